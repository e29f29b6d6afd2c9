"""Manifest: optional ``manifest.yaml`` in the corpus folder giving documents their ids, titles, kinds and dates."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from ingest.encoding import UndecodableText, decode_bytes
from ingest.load import MANIFEST_NAMES, UnreadableFile
from ingest.sections import KINDS
from ingest.yaml_errors import yaml_problem

Kind = Literal[KINDS]  # type: ignore[valid-type]


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


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    documents: list[ManifestEntry] = []

    @cached_property
    def by_file_and_part(self) -> dict[tuple[str, str], ManifestEntry]:
        """Each (file, lower-cased part) and its first entry: a corpus of thousands of documents looks up each."""
        found: dict[tuple[str, str], ManifestEntry] = {}
        for entry in self.documents:
            found.setdefault((entry.file, entry.part.lower()), entry)
        return found

    def entry(self, file: str, part: str) -> ManifestEntry | None:
        return self.by_file_and_part.get((file, part.lower()))


def _load_yaml(text: str):
    """The YAML read by libyaml where PyYAML has it (several times faster on a manifest of thousands of
    entries, the same data); a text it refuses is read again by the pure-Python reader, whose error messages
    officers have been shown."""
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is not None:
        try:
            return yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def read_manifest(corpus_dir: Path) -> Manifest:
    """The folder's manifest, or an empty one; a malformed manifest is an error naming the field."""
    for name in MANIFEST_NAMES:
        path = corpus_dir / name
        if path.exists():
            try:
                # a manifest saved by a Windows editor (cp1252, UTF-16) is read like any other text file
                return Manifest.model_validate(_load_yaml(decode_bytes(path.read_bytes()).text) or {})
            except OSError as error:
                raise UnreadableFile(f"{path.name} could not be opened ({error.strerror or error})") from error
            except UndecodableText as error:
                raise UnreadableFile(f"{path.name} is not text: {error}") from error
            except yaml.YAMLError as error:
                raise UnreadableFile(f"{path.name} is not valid YAML at {yaml_problem(error)}") from error
            except ValidationError as error:
                problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
                raise UnreadableFile(f"{path.name} has invalid entries: {problems}") from error
    return Manifest()
