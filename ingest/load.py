"""Load: read a corpus file into text, or say clearly why it cannot be read.

Plain text is read here; PDF, Word, HTML and Markdown loaders live in ``ingest.formats`` and are
registered in ``LOADERS``. Every loader returns the text that quotes are checked against, so what a
member sees quoted is what was loaded.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from ingest.encoding import UndecodableText, decode_bytes

# Larger files are refused rather than read into memory: guidance documents are a few MB at most,
# so a bigger file is almost always a scanned archive or the wrong file.
MAX_FILE_MB = 40


class UnreadableFile(Exception):
    """A corpus file that cannot be ingested; the message says why, for the officer who dropped it in."""


class SkippedFile(BaseModel):
    """A file, folder or manifest entry the ingest left out, and why: the report names each."""

    file: str
    reason: str


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    text: str
    format: str


MANIFEST_NAMES = ("manifest.yaml", "manifest.yml")  # read by ingest.manifest
# Files in the corpus folder that are configuration, not documents.
CORRECTIONS_FILE = "corrections.yaml"  # officers' corrections, read by guidance/corrections/store.py
NOT_DOCUMENTS = {*MANIFEST_NAMES, CORRECTIONS_FILE, "readme.md", ".gitkeep"}


def decode_text(data: bytes) -> str:
    """The text of a corpus file in whatever encoding it was saved (see ``ingest.encoding``)."""
    try:
        return decode_bytes(data).text
    except UndecodableText as error:
        raise UnreadableFile(str(error)) from error


def load_plain_text(path: Path) -> str:
    return decode_text(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")


def _lazy(module: str, function: str) -> Callable[[Path], str]:
    """A loader imported on first use, so that ``import ingest`` stays cheap."""

    def load(path: Path) -> str:
        return getattr(importlib.import_module(module), function)(path)

    return load


LOADERS: dict[str, tuple[str, Callable[[Path], str]]] = {
    ".txt": ("text", load_plain_text),
    ".text": ("text", load_plain_text),
    ".md": ("markdown", _lazy("ingest.formats.markdown", "load_markdown")),
    ".markdown": ("markdown", _lazy("ingest.formats.markdown", "load_markdown")),
    ".pdf": ("pdf", _lazy("ingest.formats.pdf", "load_pdf")),
    ".docx": ("docx", _lazy("ingest.formats.docx", "load_docx")),
    ".html": ("html", _lazy("ingest.formats.html", "load_html")),
    ".htm": ("html", _lazy("ingest.formats.html", "load_html")),
}

# Formats people commonly drop in that cannot be read, with what to do instead.
CONVERT_HINTS = {
    ".doc": "save it as .docx (Word: File → Save As → Word Document)",
    ".rtf": "save it as .docx",
    ".odt": "save it as .docx",
    ".xlsx": "guidance in a spreadsheet cannot be cited by section; save the text as .docx",
    ".pptx": "save the slides' text as .docx or PDF",
}


# Word, Excel and PowerPoint write "~$name.docx" beside a document while it is open, holding who opened it.
OFFICE_LOCK_PREFIX = "~$"


def is_passed_over(name: str) -> bool:
    """Files no one put in the corpus to be read: hidden ones (".DS_Store") and Office's lock files, which come
    and go as officers open documents, so they neither count as skipped nor make the index stale."""
    return name.startswith((".", OFFICE_LOCK_PREFIX))


def is_document(path: Path) -> bool:
    """A file of the corpus folder's own to read: not a link (never followed: ``ingest.pipeline``), not passed over."""
    return (path.is_file() and not path.is_symlink() and not is_passed_over(path.name)
            and path.name.lower() not in NOT_DOCUMENTS)


def load_file(path: Path) -> LoadedFile:
    """Read one corpus file; raise ``UnreadableFile`` with a reason an officer can act on."""
    suffix = path.suffix.lower()
    if suffix not in LOADERS:
        supported = ", ".join(sorted(LOADERS))
        hint = f"; {CONVERT_HINTS[suffix]}" if suffix in CONVERT_HINTS else ""
        raise UnreadableFile(f"'{suffix or 'no extension'}' files are not supported (supported: {supported}){hint}")
    fmt, loader = LOADERS[suffix]
    try:
        size = path.stat().st_size
        if size == 0:
            raise UnreadableFile("it is empty (0 bytes)")
        if size > MAX_FILE_MB * 1024 * 1024:
            raise UnreadableFile(
                f"it is {size / 1024 / 1024:.1f} MB, over the {MAX_FILE_MB} MB limit; "
                "split it into its documents or remove scanned images"
            )
        text = loader(path)
    except UnreadableFile:
        raise
    except OSError as error:
        raise UnreadableFile(f"it could not be opened ({error.strerror or error})") from error
    if not text.strip():
        raise UnreadableFile("it has no text in it" if fmt == "text" else f"no text could be read from this {fmt} file "
                             "(a scanned document needs text recognition first)")
    return LoadedFile(path=path, text=text, format=fmt)
