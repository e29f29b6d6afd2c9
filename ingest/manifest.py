"""Manifest: optional ``manifest.yaml`` in the corpus folder giving documents their ids, titles, kinds and dates."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from ingest.load import MANIFEST_NAMES, UnreadableFile
from ingest.sections import KINDS

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

    def entry(self, file: str, part: str) -> ManifestEntry | None:
        for entry in self.documents:
            if entry.file == file and entry.part.lower() == part.lower():
                return entry
        return None


def read_manifest(corpus_dir: Path) -> Manifest:
    """The folder's manifest, or an empty one; a malformed manifest is an error naming the field."""
    for name in MANIFEST_NAMES:
        path = corpus_dir / name
        if path.exists():
            try:
                return Manifest.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
            except yaml.YAMLError as error:
                raise UnreadableFile(f"{path.name} is not valid YAML: {error}") from error
            except ValidationError as error:
                problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
                raise UnreadableFile(f"{path.name} has invalid entries: {problems}") from error
    return Manifest()
