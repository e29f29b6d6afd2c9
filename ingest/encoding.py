"""Encoding: turn the bytes of a text file or a batch of questions into text, whatever tool saved them.

UTF-8 (with or without a byte-order mark) and UTF-16/UTF-32 with a byte-order mark are read as they say.
Anything else is a legacy code page, found by ``charset-normalizer``; among the code pages it finds
plausible, Windows-1252 is preferred, because that is what Excel ("CSV"), Notepad ("ANSI") and Word
("plain text") save on English-language Windows, and a short text ("£60") fits several code pages equally.
Every result says which encoding was assumed, so the officer can be told when it was not UTF-8.
Used for corpus text files (``ingest.load``), ``guidance ask -`` batches and eval sets.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from typing import BinaryIO

# Longest first: the UTF-32 little-endian mark begins with the UTF-16 one.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
PREFERRED_CODE_PAGES = ("cp1252",)
UTF8_NAMES = {"utf-8", "utf-8-sig", "ascii"}
BINARY_MESSAGE = "it looks like a binary file, not text"
BINARY_LINE_MESSAGE = "it looks like binary data, not text"


class UndecodableText(ValueError):
    """Bytes that are not text in any encoding that could be recognised; the message says why."""


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # Python's name for the codec, e.g. "utf-8", "utf-16", "cp1252"

    @property
    def note(self) -> str | None:
        """What to tell the reader when the text was not UTF-8, e.g. "read as cp1252 (it is not UTF-8)"."""
        return None if self.encoding in UTF8_NAMES else f"read as {self.encoding} (it is not UTF-8)"


@dataclass(frozen=True)
class TextLine:
    number: int  # counted from 1, as an editor shows it
    text: str
    problem: str = ""  # why the line could not be read; its text is then empty
    encoding: str = "utf-8"  # the codec it was read with


def lines_note(lines: list[TextLine]) -> str | None:
    """Which encoding was assumed for which lines, when not all were UTF-8, e.g. "line(s) 2 read as cp1252 (not UTF-8)"."""
    read_as: dict[str, list[str]] = {}
    for line in lines:
        if line.encoding not in UTF8_NAMES and not line.problem:
            read_as.setdefault(line.encoding, []).append(str(line.number))
    return "; ".join(f"line(s) {', '.join(numbers)} read as {codec} (not UTF-8)" for codec, numbers in read_as.items()) or None


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    control = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return control > len(sample) * 0.05


def _codec_name(name: str) -> str:
    return codecs.lookup(name).name


def _byte_order_mark(data: bytes) -> str | None:
    return next((codec for mark, codec in BYTE_ORDER_MARKS if data.startswith(mark)), None)


def legacy_code_page(data: bytes) -> str | None:
    """The code page ``data`` is most likely written in, or None when no code page fits it."""
    from charset_normalizer import from_bytes

    # Asked on its own first: over all code pages, a file with one "ö" among ids and hashes was read as HP Roman-8
    # or Windows-1250, by chance of its other bytes. Windows-1252 alone is refused where it makes no sense (Cyrillic,
    # Greek, most Central European text), and those go on to the full search.
    preferred = from_bytes(data, cp_isolation=list(PREFERRED_CODE_PAGES)).best()
    best = preferred or from_bytes(data).best()
    return _codec_name(best.encoding) if best else None


def decode_bytes(data: bytes) -> DecodedText:
    """The text in ``data`` and the encoding assumed; raises ``UndecodableText`` when it is not text."""
    if codec := _byte_order_mark(data):
        try:
            return DecodedText(data.decode(codec), _codec_name(codec))
        except UnicodeDecodeError as error:
            raise UndecodableText(f"it starts with a {codec} byte-order mark but is not {codec} text ({error.reason})") from error
    if looks_binary(data):
        raise UndecodableText(BINARY_MESSAGE)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    code_page = legacy_code_page(data)
    if code_page is None:
        raise UndecodableText("its text encoding could not be recognised (it is not UTF-8, UTF-16 or Windows-1252); "
                              "save it as UTF-8")
    return DecodedText(data.decode(code_page), code_page)


def read_lines(stream: BinaryIO) -> Iterator[TextLine]:
    """Each line as it arrives, decoded on its own, so that a line that is not text is reported by number and the
    others are kept, and a batch piped in is answered while it is still being written.

    A UTF-8 line is read as UTF-8, any other in the code page that fits it (Windows-1252 when it fits). UTF-16 and
    UTF-32 (which start with a byte-order mark) cannot be split into lines before decoding, so are read whole.
    """
    first = stream.readline()
    codec = _byte_order_mark(first)
    if codec and codec != "utf-8-sig":
        decoded = decode_bytes(first + stream.read())
        yield from (TextLine(n, line, encoding=decoded.encoding) for n, line in enumerate(decoded.text.splitlines(), 1))
        return
    for number, raw in enumerate(chain([first.removeprefix(codecs.BOM_UTF8)], stream), 1):
        if number == 1 and not first:
            return
        raw = raw.rstrip(b"\r\n")
        yield _line(number, raw, "utf-8" if _is_utf8(raw) else legacy_code_page(raw))


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _line(number: int, raw: bytes, codec: str | None) -> TextLine:
    if looks_binary(raw):
        return TextLine(number, "", BINARY_LINE_MESSAGE)
    if codec is None:
        return TextLine(number, "", "it is not text in UTF-8 or in any code page that could be recognised")
    try:
        return TextLine(number, raw.decode(codec), encoding=codec)
    except UnicodeDecodeError as error:
        return TextLine(number, "", f"it is not UTF-8 or {codec} text ({error.reason})")
