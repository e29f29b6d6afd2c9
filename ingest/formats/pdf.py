"""PDF: the words of each page as PDFium reads them (pypdfium2), with where each sits and its font.

PDFium decides where one word ends and the next begins and where its lines break, so the words are
the document's words; this module only adds each word's box, size and weight, which
``ingest.formats.pdf_layout`` reads to rebuild headings, paragraphs, lists and tables, and to drop
page headers and footers. A file that cannot be read raises ``UnreadableFile`` saying why.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.load import UnreadableFile

BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
BOLD_WEIGHT = 600
# a line break PDFium put between lines, or a word; a word PDFium joined across a line end at a hyphen it marks
# with U+FFFE ("sub\ufffecommittee") is two tokens, and the line breaks after the first
TOKEN = re.compile(r"\r\n|\n|[^\s\ufffe]*\ufffe|[^\s\ufffe]+")
SOFT_HYPHEN = "\ufffe"


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    baseline: float
    size: float
    bold: bool


def _untyped(function, restype, *argtypes):
    """The same PDFium function called with plain pointers: the two calls made for every word cost a tenth."""
    return ctypes.cast(function, ctypes.CFUNCTYPE(restype, *argtypes))


class _PageReader:
    """One page's words, line by line; a text object's font is looked up once, not per word."""

    def __init__(self, page):
        import pypdfium2.raw as pdfium_c

        self.c = pdfium_c
        self.textpage = page.get_textpage()
        self.raw = self.textpage.raw
        self.fonts: dict[int, tuple[float, bool]] = {}
        self.box = pdfium_c.FS_RECTF()
        self.box_pointer = ctypes.addressof(self.box)
        self.name = ctypes.create_string_buffer(256)
        self.text_object = _untyped(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
        self.loose_box = _untyped(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int, ctypes.c_void_p, ctypes.c_int,
                                  ctypes.c_void_p)
        self.origin = _untyped(pdfium_c.FPDFText_GetCharOrigin, ctypes.c_int, ctypes.c_void_p, ctypes.c_int,
                               ctypes.c_void_p, ctypes.c_void_p)
        self.x, self.y = ctypes.c_double(), ctypes.c_double()
        self.x_pointer, self.y_pointer = ctypes.addressof(self.x), ctypes.addressof(self.y)

    def _font(self, index: int) -> tuple[float, bool]:
        key = self.text_object(self.raw, index) or 0
        if key not in self.fonts:
            matrix = self.c.FS_MATRIX()
            # the size set in the text, times the text matrix's vertical scale: the size as printed
            scale = math.hypot(matrix.c, matrix.d) if self.c.FPDFText_GetMatrix(self.raw, index, matrix) else 1.0
            size = self.c.FPDFText_GetFontSize(self.raw, index) * scale
            flags = ctypes.c_int(0)
            self.c.FPDFText_GetFontInfo(self.raw, index, self.name, len(self.name), flags)
            name = self.name.value.decode("latin-1", "replace")
            bold = bool(BOLD_FONT.search(name)) or self.c.FPDFText_GetFontWeight(self.raw, index) >= BOLD_WEIGHT
            self.fonts[key] = (round(size, 1), bold)
        return self.fonts[key]

    def _start(self, index: int) -> tuple[float, float]:
        """Where a character is drawn from: its left edge and its baseline (the same for every font on a line)."""
        self.origin(self.raw, index, self.x_pointer, self.y_pointer)
        return self.x.value, self.y.value

    def _end(self, index: int) -> tuple[float, float]:
        """A character's right edge, and the height of its font's box (a size for fonts that give none)."""
        self.loose_box(self.raw, index, self.box_pointer)
        return self.box.right, abs(self.box.top - self.box.bottom)

    def lines(self) -> list[list[Word]]:
        count = self.textpage.count_chars()
        text = self.textpage.get_text_range(0, count)
        if len(text) != count:  # characters outside the BMP: read them one by one to keep indexes aligned
            text = "".join(chr(self.c.FPDFText_GetUnicode(self.raw, i) or 32) for i in range(count))
        lines: list[list[Word]] = [[]]
        for match in TOKEN.finditer(text):
            if match.group().endswith("\n"):
                lines.append([])
                continue
            first, last = match.start(), match.end() - 1
            x0, baseline = self._start(first)
            x1, height = self._end(last)
            size, bold = self._font(first)
            lines[-1].append(Word(match.group(), x0, x1, baseline, size or height, bold))
            if match.group().endswith(SOFT_HYPHEN) and text[match.end():match.end() + 1].strip():
                lines.append([])
        return [line for line in lines if line]


def read_pages(path: Path) -> list[list[list[Word]]]:
    """Each page's lines of words, in PDFium's reading order; ``UnreadableFile`` when the file cannot be read."""
    import pypdfium2 as pdfium

    with open(path, "rb") as handle:
        if b"%PDF" not in handle.read(1024):
            raise UnreadableFile("it is not a PDF file (it does not start with %PDF); check the file or its extension")
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower() or "security" in str(error).lower():
            raise UnreadableFile("it is password-protected; save a copy without a password and ingest that") from error
        raise UnreadableFile(f"it is a damaged or incomplete PDF ({error})") from error
    try:
        if len(document) == 0:
            raise UnreadableFile("it is a damaged or incomplete PDF (it has no pages)")
        return [_PageReader(document[number]).lines() for number in range(len(document))]
    except pdfium.PdfiumError as error:
        raise UnreadableFile(f"it is a damaged PDF ({error})") from error
    finally:
        document.close()


def load_pdf(path: Path) -> str:
    from ingest.formats.pdf_layout import lay_out

    return lay_out(read_pages(path))
