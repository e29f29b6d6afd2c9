"""Changes: which sections an ingest added, changed or removed (``guidance.evaluation.dataset.questions_citing``
finds the eval questions that cite them).

Each ingest writes ``changes.json`` into its build, comparing it with the build it replaced, so an
officer can see what to re-check after a document was revised (``guidance changes``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel

from ingest.chunks import Chunk

CHANGES_FILE = "changes.json"


class SectionChanges(BaseModel):
    previous_build: str | None = None
    added: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    unchanged: list[str] = []

    @property
    def touched(self) -> list[str]:
        return self.added + self.changed + self.removed


def section_fingerprints(chunks: list[Chunk]) -> dict[str, str]:
    """One hash per section ("doc_id#section") over the text of all its chunks."""
    parts: dict[str, list[str]] = defaultdict(list)
    for chunk in chunks:
        parts[chunk.section_id].append(chunk.content_hash)
    return {section: hashlib.sha256("".join(h).encode()).hexdigest() for section, h in parts.items()}


def compare(new_chunks: list[Chunk], old: dict[str, str], previous_build: str | None) -> SectionChanges:
    """The new chunks' sections against the previous build's ``section_fingerprints``."""
    new = section_fingerprints(new_chunks)
    return SectionChanges(
        previous_build=previous_build,
        added=sorted(new.keys() - old.keys()),
        changed=sorted(k for k in new.keys() & old.keys() if new[k] != old[k]),
        removed=sorted(old.keys() - new.keys()),
        unchanged=sorted(k for k in new.keys() & old.keys() if new[k] == old[k]),
    )


def write_changes(build: Path, changes: SectionChanges) -> None:
    (build / CHANGES_FILE).write_text(changes.model_dump_json(indent=2), encoding="utf-8")


def read_changes(build: Path) -> SectionChanges | None:
    path = build / CHANGES_FILE
    return SectionChanges.model_validate_json(path.read_text(encoding="utf-8")) if path.exists() else None
