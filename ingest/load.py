"""Load: read a corpus file into text, or say clearly why it cannot be read.

Plain text and Markdown are read here; other formats register a loader in ``LOADERS``. Every loader
returns the text that quotes are checked against, so what a member sees quoted is what was loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


class UnreadableFile(Exception):
    """A corpus file that cannot be ingested; the message says why, for the officer who dropped it in."""


@dataclass(frozen=True)
class LoadedFile:
    path: Path
    text: str
    format: str


# Files in the corpus folder that are configuration, not documents.
NOT_DOCUMENTS = {"manifest.yaml", "manifest.yml", "readme.md", ".gitkeep"}


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return True
    sample = data[:8192]
    control = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return control > len(sample) * 0.05


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), falling back to Windows-1252 as Word's "plain text" saves."""
    if _looks_binary(data):
        raise UnreadableFile("it looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise UnreadableFile(f"its text encoding is not UTF-8 or Windows-1252 ({error.reason})") from error


def load_plain_text(path: Path) -> str:
    return decode_text(path.read_bytes()).replace("\r\n", "\n").replace("\r", "\n")


LOADERS: dict[str, tuple[str, Callable[[Path], str]]] = {
    ".txt": ("text", load_plain_text),
    ".md": ("markdown", load_plain_text),
}


def is_document(path: Path) -> bool:
    return path.is_file() and not path.name.startswith(".") and path.name.lower() not in NOT_DOCUMENTS


def load_file(path: Path) -> LoadedFile:
    """Read one corpus file; raise ``UnreadableFile`` with a reason an officer can act on."""
    suffix = path.suffix.lower()
    if suffix not in LOADERS:
        supported = ", ".join(sorted(LOADERS))
        raise UnreadableFile(f"'{suffix or 'no extension'}' files are not supported (supported: {supported})")
    fmt, loader = LOADERS[suffix]
    try:
        text = loader(path)
    except UnreadableFile:
        raise
    except OSError as error:
        raise UnreadableFile(f"it could not be opened ({error.strerror or error})") from error
    if not text.strip():
        raise UnreadableFile("it is empty")
    return LoadedFile(path=path, text=text, format=fmt)
