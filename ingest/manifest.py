"""Manifest: optional ``manifest.yaml`` in the corpus folder giving documents their ids, titles, kinds and dates.

Reading it refuses what would silently break citations later (an id that cannot be cited, an impossible date, a
manifest of the wrong shape), naming the entry; entries that clash with an earlier one (the same document again,
or its id again) are kept out and listed in ``Manifest.clashes`` for the ingest to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from ingest.dates import impossible_date
from ingest.encoding import UndecodableText, decode_bytes
from ingest.load import MANIFEST_NAMES, UnreadableFile
from ingest.sections import KINDS
from ingest.text import slugify
from ingest.yaml_errors import yaml_problem

Kind = Literal[KINDS]  # type: ignore[valid-type]

# Section ids are "doc_id#section" and eval sets and ``guidance correct --cite`` split them at "#", so an id may
# hold only what the ids ingest makes from titles hold ("social-media-guidance"), plus capitals, "_" and ".".
DOCUMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
SHAPE = ("the manifest must start with `documents:` followed by a list of entries, one per document, "
         "each beginning `- file: NAME` (see the shipped corpus/manifest.yaml)")


class ManifestEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file: str
    part: str = "main"
    id: str | None = None
    title: str | None = None
    short_title: str | None = None
    kind: Kind | None = None  # code_of_conduct, guidance, policy, procedure, standing_orders, report, other
    version: str | None = None
    date: str | None = None
    review_date: str | None = None
    owner: str | None = None
    source_url: str | None = None

    @field_validator("id")
    @classmethod
    def _citable(cls, value: str | None) -> str | None:
        if value is not None and not DOCUMENT_ID.fullmatch(value):
            raise ValueError(
                f"{value!r} cannot be cited: an id may contain only letters, digits, hyphens (-), underscores (_) and "
                f"full stops, starting with a letter or digit, like the ids made from titles (e.g. {slugify(value)!r}), "
                "since a section is cited as id#section")
        return value

    @field_validator("date", "review_date")
    @classmethod
    def _possible(cls, value: str | None) -> str | None:
        problem = impossible_date(value) if value else None
        if problem:
            raise ValueError(f"{value!r} is not a real date: {problem}")
        return value


@dataclass(frozen=True)
class EntryClash:
    """An entry not used, or not wholly, because an earlier one already says it: ``number`` counts from 1."""

    number: int
    entry: ManifestEntry
    reason: str
    id_dropped: bool  # only its id was left out; its other fields describe the document


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[ManifestEntry] = []

    @field_validator("documents", mode="before")
    @classmethod
    def _none_is_empty(cls, value):
        return [] if value is None else value  # "documents:" with no entries under it yet

    @cached_property
    def _resolved(self) -> tuple[dict[tuple[str, str], ManifestEntry], list[EntryClash]]:
        """Each (file, lower-cased part) and the entry used for it (looked up once per document of a corpus of
        thousands), and the entries that clash with an earlier one: the first entry wins, as it reads."""
        used: dict[tuple[str, str], tuple[int, ManifestEntry]] = {}
        id_owners: dict[str, tuple[int, ManifestEntry]] = {}
        clashes: list[EntryClash] = []
        for number, entry in enumerate(self.documents, 1):
            key = (entry.file, entry.part.lower())
            if key in used:
                first = used[key][0]
                clashes.append(EntryClash(number, entry, (
                    f"it describes file {entry.file!r}, part {entry.part!r} again, after entry {first}, so it was not "
                    f"used{f' (nor its id {entry.id!r})' if entry.id else ''}; one part of a file is one document: merge "
                    "the two entries, or give this one the part it meant (e.g. 'appendix 1')"), id_dropped=False))
                continue
            if entry.id and entry.id in id_owners:
                first, owner = id_owners[entry.id]
                clashes.append(EntryClash(number, entry, (
                    f"its id {entry.id!r} is already entry {first}'s (file {owner.file!r}, part {owner.part!r}); an id "
                    f"must name one document, or citations of {entry.id}#… would point at either. Entry {first} keeps "
                    "it"), id_dropped=True))
                entry = entry.model_copy(update={"id": None})
            elif entry.id:
                id_owners[entry.id] = (number, entry)
            used[key] = (number, entry)
        return {key: entry for key, (_, entry) in used.items()}, clashes

    @property
    def clashes(self) -> list[EntryClash]:
        return self._resolved[1]

    def entry(self, file: str, part: str) -> ManifestEntry | None:
        return self._resolved[0].get((file, part.lower()))

    def cited_ids(self) -> set[str]:
        """The ids the manifest gives documents, which no id made from a title may take."""
        return {entry.id for entry in self._resolved[0].values() if entry.id}


class _TextDates(yaml.SafeLoader):
    """Dates kept as written (``date: 2012-07-11`` is shown as typed) rather than made date objects, which a
    text field refuses and an impossible one (2020-13-01) crashes the reader on."""


class _FastTextDates(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same with libyaml's parser where PyYAML has it: several times faster on a manifest of thousands."""


for _loader in (_TextDates, _FastTextDates):
    _loader.yaml_implicit_resolvers = {
        first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _load_yaml(text: str):
    """The YAML; a text libyaml refuses is read again by the pure-Python reader, whose error messages officers
    have been shown."""
    try:
        return yaml.load(text, Loader=_FastTextDates)  # noqa: S506 (a safe loader)
    except yaml.YAMLError:
        return yaml.load(text, Loader=_TextDates)  # noqa: S506 (a safe loader)


def _problem(error: dict, data: dict) -> str:
    """One validation error told by entry, e.g. "entry 2 (file 'policy.html'), id: 'my policy#1' cannot be
    cited: …" rather than pydantic's "documents.1.id: Value error, …"."""
    location, message = error["loc"], error["msg"].removeprefix("Value error, ")
    if location[:1] != ("documents",):
        return f"{location[0]!r} is not a manifest setting: {SHAPE}" if location else SHAPE
    if len(location) < 2:
        return f"`documents:` is not followed by a list of entries: {SHAPE}"
    number = location[1]
    raw = data["documents"][number]
    if not isinstance(raw, dict):
        return f"entry {number + 1} is not `- file: NAME` with the document's fields under it"
    named = f"entry {number + 1} (file {raw['file']!r})" if isinstance(raw.get("file"), str) else f"entry {number + 1}"
    field = ".".join(map(str, location[2:]))
    if error["type"] == "string_type":
        message += f"; put it in quotes, e.g. {field}: \"{raw.get(field)}\""
    elif error["type"] == "extra_forbidden":
        message = f"{field!r} is not a field of an entry (fields: {', '.join(ManifestEntry.model_fields)})"
        return f"{named}: {message}"
    return f"{named}, {field}: {message}"


def read_manifest(corpus_dir: Path) -> Manifest:
    """The folder's manifest, or an empty one; a malformed manifest is an error naming the entry and field."""
    for name in MANIFEST_NAMES:
        path = corpus_dir / name
        if not path.exists():
            continue
        try:
            # a manifest saved by a Windows editor (cp1252, UTF-16) is read like any other text file
            data = _load_yaml(decode_bytes(path.read_bytes()).text) or {}
        except OSError as error:
            raise UnreadableFile(f"{path.name} could not be opened ({error.strerror or error})") from error
        except UndecodableText as error:
            raise UnreadableFile(f"{path.name} is not text: {error}") from error
        except yaml.YAMLError as error:
            raise UnreadableFile(f"{path.name} is not valid YAML at {yaml_problem(error)}") from error
        if not isinstance(data, dict):
            raise UnreadableFile(f"{path.name} cannot be read: {SHAPE}; it starts with "
                                 f"{'a list' if isinstance(data, list) else 'a single value'} instead. The previous "
                                 "index is unchanged.")
        try:
            return Manifest.model_validate(data)
        except ValidationError as error:
            problems = "; ".join(_problem(e, data) for e in error.errors())
            raise UnreadableFile(f"{path.name} has invalid entries: {problems}. Fix the manifest and ingest "
                                 "again; the previous index is unchanged.") from error
    return Manifest()
