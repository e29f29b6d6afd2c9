"""PDF: text with its position on the page (pypdf), rebuilt into headings, paragraphs, lists and tables.

A PDF only knows where each piece of text is drawn, so the structure is read from the layout:

- lines are pieces of text on one baseline; pieces far apart on a line are table cells;
- a wider gap than the line spacing, a change of font size or a list marker starts a new block;
- a block set larger than the body text (or bold throughout and short) is a heading;
- a line repeated at the top or bottom of most pages, or a bare page number, is a page header or
  footer and is dropped;
- a word hyphenated at the end of a line, or at the foot of a page, is joined up again (a paragraph
  cut by a page break is joined by the section parser).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.formats.blocks import TextWriter, bold_lead_in
from ingest.load import UnreadableFile
from ingest.text import fold_whitespace

LIST_MARKER = re.compile(r"^(?:[-•▪◦‣\u2013\x7f\uf0b7\uf0a7o]|\(?\d{1,2}[.)]|\(?[a-z][.)])$")
PAGE_NUMBER = re.compile(r"^(?:page\s*)?#+(?:\s*(?:of|/)\s*#+)?$", re.IGNORECASE)
BOLD_FONT = re.compile(r"bold|black|heavy|semibold", re.IGNORECASE)
PARAGRAPH_GAP = 1.45  # a gap between baselines wider than this many font sizes starts a new block
CELL_GAP = 1.0  # a horizontal gap wider than this many font sizes separates table cells
HYPHENATED = re.compile(r"[a-z]-$")  # a word broken at the end of a line


def _half_em_per_character(text: str) -> float:
    return len(text) * 500.0


@dataclass
class _Piece:
    x: float
    y: float
    text: str
    bold: bool
    size: float
    width: float


@dataclass
class _Line:
    y: float
    size: float
    cells: list[tuple[float, list[tuple[str, bool]]]]  # (x, runs) per cell
    page: int

    @property
    def text(self) -> str:
        return " ".join("".join(t for t, _ in runs).strip() for _, runs in self.cells)


@dataclass
class _Block:
    lines: list[_Line] = field(default_factory=list)


def _font_metrics(font) -> Callable[[str], float]:
    """Width of a string in thousandths of an em, from the font's widths or the standard-font metrics."""
    try:
        from pypdf.generic._font import Font  # pypdf's own metrics, including the 14 standard fonts

        return Font.from_font_resource(font).get_text_width
    except Exception:  # no usable metrics (unusual or damaged font)
        return _half_em_per_character


def _pieces(page) -> list[_Piece]:
    pieces: list[_Piece] = []
    metrics: dict[int, Callable[[str], float]] = {}

    def width(text: str, font, size: float) -> float:
        key = id(font)
        if key not in metrics:
            metrics[key] = _font_metrics(font) if font else _half_em_per_character
        return metrics[key](text) / 1000 * size

    def visit(text, cm, tm, font, size) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1.0
        name = str(font.get("/BaseFont", "")) if font else ""
        text = text.replace("\n", "")
        pieces.append(_Piece(x, y, text, bool(BOLD_FONT.search(name)), size * scale, width(text, font, size * scale)))

    page.extract_text(visitor_text=visit)
    return pieces


def _lines(pieces: list[_Piece], page: int) -> list[_Line]:
    rows: list[list[_Piece]] = []
    for piece in sorted(pieces, key=lambda p: -p.y):  # stable: pieces on one line keep their drawing order
        if rows and abs(rows[-1][0].y - piece.y) <= max(2.0, piece.size * 0.3):
            rows[-1].append(piece)
        else:
            rows.append([piece])
    lines = []
    for row in rows:
        cells: list[tuple[float, list[tuple[str, bool]]]] = []
        cursor = None
        ordered = sorted(row, key=lambda p: p.x)
        for index, piece in enumerate(ordered):
            after_marker = index == 1 and LIST_MARKER.match(ordered[0].text.strip())  # "•" and its item's text
            if cursor is None or after_marker or piece.x > cursor + CELL_GAP * piece.size:
                cells.append((piece.x, []))
            cells[-1][1].append((piece.text.strip() if after_marker or not cells[-1][1] else piece.text, piece.bold))
            cursor = max(cursor or piece.x, piece.x + piece.width)
        main = max(row, key=lambda p: len(p.text.strip()))  # a list bullet may be set in another size
        lines.append(_Line(row[0].y, main.size, cells, page))
    return lines


def _normalised(line: _Line) -> str:
    return re.sub(r"\d+", "#", fold_whitespace(line.text)).lower()


def _drop_headers_and_footers(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Lines at the top or bottom of the page that repeat on most pages, and bare page numbers."""
    edges = Counter(_normalised(line) for lines in pages for line in {id(l): l for l in lines[:2] + lines[-2:]}.values())
    repeated = {text for text, count in edges.items() if len(pages) > 1 and count >= max(2, len(pages) / 2)}
    kept = []
    for lines in pages:
        edge = {id(line) for line in lines[:2] + lines[-2:]}
        kept.append([
            line for line in lines
            if id(line) not in edge or (_normalised(line) not in repeated and not PAGE_NUMBER.match(_normalised(line)))
        ])
    return kept


def _starts_item(line: _Line) -> bool:
    return len(line.cells) >= 2 and bool(LIST_MARKER.match("".join(t for t, _ in line.cells[0][1]).strip()))


def _blocks(pages: list[list[_Line]]) -> list[_Block]:
    blocks: list[_Block] = []
    previous: _Line | None = None
    for lines in pages:
        for line in lines:
            new = (
                previous is None
                or previous.page != line.page
                or previous.y - line.y > PARAGRAPH_GAP * max(line.size, previous.size)
                or abs(previous.size - line.size) > 0.5
                or _starts_item(line)
            )
            if new:
                blocks.append(_Block())
            blocks[-1].lines.append(line)
            previous = line
    return blocks


def _join_runs(lines: list[list[tuple[str, bool]]]) -> list[tuple[str, bool]]:
    """Runs of consecutive lines, with a word hyphenated across a line break joined up."""
    runs: list[tuple[str, bool]] = []
    for line in lines:
        if not line:
            continue
        last = runs[-1][0] if runs else ""
        if HYPHENATED.search(last) and line[0][0][:1].islower():
            runs[-1] = (last[:-1], runs[-1][1])
        elif runs:
            runs.append((" ", False))
        runs.extend(line)
    return runs


class _PdfWriter:
    def __init__(self, body_size: float):
        self.out = TextWriter()
        self.body_size = body_size
        self.columns: list[float] | None = None  # x of each column of the table being read

    def block(self, block: _Block) -> None:
        first = block.lines[0]
        if len(first.cells) >= 2 and not _starts_item(first):
            self.columns = [x for x, _ in first.cells]
        elif not (self.columns and all(self._column(x) is not None for line in block.lines for x, _ in line.cells)):
            if self.columns:
                self.out.end_table()
            self.columns = None
        if self.columns:
            self.table_row(block)
            return
        runs = _join_runs([[run for _, cell in line.cells for run in cell] for line in block.lines])
        text = "".join(t for t, _ in runs)
        bold_throughout = all(bold for t, bold in runs if t.strip())
        if first.size > self.body_size + 0.5 or (bold_throughout and len(block.lines) == 1 and len(text.split()) <= 12):
            self.out.heading(text)
        elif _starts_item(first):
            marker = "".join(t for t, _ in first.cells[0][1]).strip()
            number = re.match(r"\(?(\d+)", marker)
            item_runs = _join_runs([[run for _, cell in line.cells[1 if line is first else 0:] for run in cell] for line in block.lines])
            self.out.item(bold_lead_in(item_runs), f"{number.group(1)}." if number else "-")
        else:
            self.out.paragraph(bold_lead_in(runs))

    def _column(self, x: float) -> int | None:
        for index, start in enumerate(self.columns or []):
            if abs(x - start) <= 3:
                return index
        return None

    def table_row(self, block: _Block) -> None:
        cells: list[list[list[tuple[str, bool]]]] = [[] for _ in self.columns]
        for line in block.lines:
            for x, runs in line.cells:
                column = self._column(x)
                cells[column if column is not None else -1].append(runs)
        self.out.row(["".join(t for t, _ in _join_runs(lines)) for lines in cells])


def _join_across_pages(blocks: list[_Block]) -> None:
    """A word hyphenated at the foot of a page continues on the next page's first line."""
    before = blocks[0] if blocks else None
    for after in blocks[1:]:
        last, first = before.lines[-1], after.lines[0]
        if last.page != first.page and HYPHENATED.search(last.text) and first.text[:1].islower():
            before.lines.extend(after.lines)
            after.lines = []
        else:
            before = after


def load_pdf(path: Path) -> str:
    import pypdf
    from pypdf.errors import PdfReadError

    with open(path, "rb") as handle:
        if b"%PDF" not in handle.read(1024):
            raise UnreadableFile("it is not a PDF file (it does not start with %PDF); check the file or its extension")
    try:
        reader = pypdf.PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile("it is password-protected; save a copy without a password and ingest that")
        pages = [_lines(_pieces(page), number) for number, page in enumerate(reader.pages)]
    except UnreadableFile:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise UnreadableFile(f"it is a damaged or incomplete PDF ({type(error).__name__}: {error})") from error
    except Exception as error:  # pypdf raises many kinds of error on damaged files; name it for the officer
        if "encrypt" in str(error).lower() or "password" in str(error).lower():
            raise UnreadableFile("it is password-protected or uses an encryption that cannot be opened") from error
        raise UnreadableFile(f"it is a damaged PDF ({type(error).__name__}: {error})") from error
    pages = _drop_headers_and_footers(pages)
    sizes = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size, 1)] += len(line.text)
    if not sizes:
        return ""
    writer = _PdfWriter(body_size=sizes.most_common(1)[0][0])
    blocks = _blocks(pages)
    _join_across_pages(blocks)
    for block in blocks:
        if block.lines:
            writer.block(block)
    return writer.out.text()
