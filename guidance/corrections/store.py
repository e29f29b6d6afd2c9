"""Corrections: officers' fixes to answers, kept in a plain YAML file in the corpus folder.

Each correction says which section (and, optionally, which verbatim sentence) answers a question, who
made it and against which edition of the section: its fingerprint (``ingest.changes.section_fingerprints``)
and the document's version. A correction is checked when it is made (the section must exist, the quote
must be verbatim in it) and again against every new build: ``current`` ones apply, ``changed`` ones apply
but are flagged for an officer to re-check, and ``gone`` ones (section or quote no longer there) are not
applied until an officer re-confirms or removes them. The file is written whole, atomically, under a lock,
so two officers saving at once lose nothing, and comments officers wrote in it are kept. The shipped corpus
has no corrections file.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from filelock import FileLock, Timeout
from pydantic import BaseModel, ValidationError

from guidance.config import DEFAULT_CORPUS_DIR, MAX_QUESTION_CHARS
from guidance.corrections.yaml_file import corrections_yaml
from guidance.files import replace_text
from guidance.models import NonBlankStr
from ingest.changes import section_fingerprints
from ingest.encoding import UndecodableText, decode_bytes
from ingest.index import StoredIndex
from ingest.load import CORRECTIONS_FILE
from ingest.sections.records import unknown_section_hint
from ingest.text import fold_whitespace
from ingest.yaml_errors import yaml_problem


CorrectionState = Literal["current", "changed", "gone"]


class CorrectionError(ValueError):
    """A correction that cannot be made or a corrections file that cannot be read; the message says why."""


class Correction(BaseModel):
    id: str
    question: NonBlankStr
    section: str  # qualified: "doc_id#section"
    quote: str | None = None
    note: str = ""
    officer: NonBlankStr
    created: str
    doc_version: str | None = None
    fingerprint: str


@dataclass(frozen=True)
class CorrectionStatus:
    """A correction as it stands against the current build; ``reason`` says why it is flagged or not applied."""

    correction: Correction
    state: CorrectionState
    reason: str = ""

    @property
    def applies(self) -> bool:
        return self.state != "gone"


def corrections_path(index: StoredIndex, explicit: str | Path | None = None) -> Path:
    """The given file (the settings' ``GUIDANCE_CORRECTIONS_FILE``), else ``corrections.yaml`` in the corpus the index was
    built from."""
    return Path(explicit) if explicit else Path(index.info.corpus_dir or DEFAULT_CORPUS_DIR) / CORRECTIONS_FILE


def read_corrections(path: Path) -> list[Correction]:
    """Every correction in the file; none when there is no file. Read in whatever encoding the officer's editor
    saved it in (Notepad's "ANSI" or "Unicode" too: ``ingest.encoding``); it is saved back as UTF-8."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(_file_text(path)) or {}
        # another YAML file (a manifest, say) is not an empty corrections file: saving would replace it
        is_corrections_file = isinstance(data, dict) and (not data or "corrections" in data)
        rows = (data.get("corrections") or []) if is_corrections_file else None
        if not isinstance(rows, list):
            raise CorrectionError("it is not a corrections file: expected a 'corrections:' list at the top of the file.")
        corrections = [_correction(number, row) for number, row in enumerate(rows, 1)]
    except yaml.YAMLError as error:
        raise CorrectionError(f"{path}: cannot read the corrections file: not valid YAML at {yaml_problem(error)}") from error
    except UndecodableText as error:
        raise CorrectionError(f"{path}: cannot read the corrections file: {error}") from error
    except OSError as error:
        raise CorrectionError(f"{path}: cannot read the corrections file ({error.strerror or error})") from error
    except CorrectionError as error:
        raise CorrectionError(f"{path}: {error}") from error
    repeated = sorted(correction_id for correction_id, count in Counter(c.id for c in corrections).items() if count > 1)
    if repeated:  # removing or re-confirming by id would touch only the first
        raise CorrectionError(f"{path}: each correction needs its own id, but {', '.join(repeated)} "
                              f"{'is' if len(repeated) == 1 else 'are'} used more than once: give the copies new ids.")
    return corrections


def _correction(number: int, row) -> Correction:
    """The file's ``number``th entry as a Correction, or which entry is wrong and how."""
    try:
        return Correction.model_validate(row)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"]) or "the entry"
        named = f" (id {row['id']})" if isinstance(row, dict) and row.get("id") else ""
        raise CorrectionError(f"correction {number}{named} is malformed at {where}: {problem['msg']}") from error


def _file_text(path: Path) -> str:
    return decode_bytes(path.read_bytes()).text


def write_corrections(path: Path, corrections: list[Correction]) -> None:
    """Replace the file's corrections (under the lock), e.g. to load a council's set in one go."""
    with _locked(path):
        _write(path, corrections)


def _write(path: Path, corrections: list[Correction]) -> None:
    """Rewrite the file with these corrections, keeping officers' own comments in it (corrections/yaml_file.py)."""
    try:
        existing = _file_text(path) if path.exists() else ""
        replace_text(path, corrections_yaml(existing, [c.model_dump() for c in corrections]))
    except OSError as error:
        raise CorrectionError(f"{path} cannot be written ({error.strerror or error}).") from error


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold the file's lock, or say at once why it cannot be saved; the lock is waited for only while another
    officer is saving."""
    folder = path.parent
    if not folder.is_dir():
        problem = "is a file, not a folder" if folder.exists() else "does not exist"
        raise CorrectionError(f"The corrections file's folder {folder} {problem}, so it cannot be saved.")
    if not os.access(folder, os.W_OK):
        raise CorrectionError(f"The corrections file's folder {folder} cannot be written to.")
    try:
        with FileLock(str(folder / f".{path.name}.lock"), timeout=10):
            yield
    except Timeout as error:
        raise CorrectionError(f"{path} stayed locked for 10 seconds while another officer saved; try again.") from error


class CorrectionBook:
    """The corrections file read and checked against one build of the index."""

    def __init__(self, index: StoredIndex, path: Path):
        self.index = index
        self.path = path

    @cached_property
    def library(self):
        from guidance.citing.checker import SectionLibrary

        return SectionLibrary(self.index)

    @cached_property
    def fingerprints(self) -> dict[str, str]:
        return section_fingerprints(self.index.chunks)

    def corrections(self) -> list[Correction]:
        return read_corrections(self.path)

    def section_text(self, section_id: str) -> str:
        return self.library.source(section_id)

    def checked_section(self, section_id: str, quote: str | None) -> tuple[str, str | None]:
        """The section id as the index spells it and the quote, white space folded; or ``CorrectionError``."""
        section_id = self._qualified(section_id.strip())
        if section_id not in self.fingerprints:
            hint = unknown_section_hint(section_id, list(self.fingerprints))
            raise CorrectionError(f"{section_id!r} is not a section of the indexed documents. {hint[0].upper()}{hint[1:]}")
        folded = fold_whitespace(quote or "") or None
        if folded and folded not in fold_whitespace(self.section_text(section_id)):
            raise CorrectionError(
                f"The quote is not verbatim in {section_id}: copy the sentence exactly as the document has it "
                f"(white space aside), or leave the quote out to cite the whole section."
            )
        return section_id, folded

    def _qualified(self, section_id: str) -> str:
        """"8.0" as the one document's section that has that number ("social-media-guidance#8.0"), as eval sets
        allow; otherwise as given, so an unknown or ambiguous number is refused with the nearest ids."""
        if "#" in section_id:
            return section_id
        numbered = [known for known in self.fingerprints if known.partition("#")[2] == section_id]
        return numbered[0] if len(numbered) == 1 else section_id

    def add(self, question: str, section_id: str, quote: str | None = None, note: str = "", officer: str = "") -> Correction:
        if not question.strip() or len(question) > MAX_QUESTION_CHARS:
            raise CorrectionError(f"The question must be between 1 and {MAX_QUESTION_CHARS:,} characters.")
        if not officer.strip():
            raise CorrectionError("Give the officer's name, so the correction says who made it.")
        section_id, quote = self.checked_section(section_id, quote)
        correction = Correction(
            id=uuid.uuid4().hex[:8], question=fold_whitespace(question), section=section_id, quote=quote,
            note=note.strip(), officer=officer, created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            doc_version=self.doc_version(section_id), fingerprint=self.fingerprints[section_id],
        )
        with _locked(self.path):
            corrections = self.corrections()
            asked = correction.question.casefold()
            earlier = next((c for c in corrections if c.question.casefold() == asked), None)
            if earlier is not None:  # two corrections of one question would answer it from whichever matched first
                raise CorrectionError(f"This question is already corrected (correction {earlier.id}, to "
                                      f"{earlier.section}): remove that one first to correct it differently.")
            _write(self.path, [*corrections, correction])
        return correction

    def doc_version(self, section_id: str) -> str | None:
        """The version of the section's document (found from its chunks: an older build's ids may hold a "#")."""
        return self.index.record(self.index.by_section[section_id].chunks[0].doc_id).version or None

    def remove(self, correction_id: str) -> Correction:
        with _locked(self.path):
            corrections = self.corrections()
            found = self._find(corrections, correction_id)
            _write(self.path, [c for c in corrections if c is not found])
        return found

    def confirm(self, correction_id: str) -> Correction:
        """Re-make a flagged correction against the current documents (its quote must still be there)."""
        with _locked(self.path):
            corrections = self.corrections()
            found = self._find(corrections, correction_id)
            section_id, _ = self.checked_section(found.section, found.quote)
            confirmed = found.model_copy(update={"fingerprint": self.fingerprints[section_id],
                                                 "doc_version": self.doc_version(section_id)})
            _write(self.path, [confirmed if c is found else c for c in corrections])
        return confirmed

    @staticmethod
    def _find(corrections: list[Correction], correction_id: str) -> Correction:
        found = next((c for c in corrections if c.id == correction_id.strip()), None)
        if found is None:
            known = ", ".join(c.id for c in corrections) or "none"
            raise CorrectionError(f"No correction has the id {correction_id!r}; corrections: {known}.")
        return found

    def status(self, correction: Correction) -> CorrectionStatus:
        if correction.section not in self.fingerprints:
            return CorrectionStatus(correction, "gone", f"section {correction.section} is no longer in the documents")
        if correction.quote and fold_whitespace(correction.quote) not in fold_whitespace(self.section_text(correction.section)):
            return CorrectionStatus(correction, "gone", f"its quote is no longer in {correction.section}")
        if self.fingerprints[correction.section] != correction.fingerprint:
            return CorrectionStatus(correction, "changed", f"section {correction.section} changed since the correction was made")
        return CorrectionStatus(correction, "current")

    def statuses(self) -> list[CorrectionStatus]:
        return [self.status(c) for c in self.corrections()]
