"""PDF layout: the words of each page (``ingest.formats.pdf``) written as headings, paragraphs, lists and tables.

A PDF only knows where each word is drawn, so the structure is read from the layout:

- words on one baseline are a row; words far apart on a row are table cells, or a list marker and its item;
- a row at the top or bottom of a page whose text (numbers folded) repeats at the edge of many pages, or
  a bare page number ("3", "Page | 3", "Page 3 of 9"), is a page header or footer and is dropped;
- a new block starts at a wider gap than the line spacing, a change of size or of weight, a numbered heading
  or list marker at the start of a row, and, where paragraphs are not spaced apart, where a row ends so far
  short of the right margin that the next row's first word would have fitted and the next row starts a
  sentence; a paragraph cut by a page break goes on as one paragraph;
- a block set larger than the body text, or bold throughout and short, is a heading;
- a word hyphenated across a line or page break is joined, unless the document writes it with the hyphen.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from ingest.formats.blocks import TextWriter, bold_lead_in
from ingest.formats.pdf import Word
from ingest.text import fold_whitespace

BULLET = re.compile(r"^[-•▪◦‣●■□➢✓\u2013\x7f\uf0b7\uf0a7\uf0d8\uf076]$")
NUMBER_MARKER = re.compile(r"^\(?(\d{1,2})[.)]$")
MARKER_CELL = re.compile(r"^(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]?|\(?[a-z][.)]?|\(?[ivx]{1,5}[.)])$")
MARKER_WORD = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*\.|\d{1,2}(?:\.\d{1,2})+|\(?[a-z][.)]|\(?[ivx]{1,5}[.)])$")
PAGE_NUMBER = re.compile(r"^[-–\s]*(?:page\s*[|:]?\s*)?#+(?:\s*(?:of|/)\s*#+)?[-–\s]*$", re.IGNORECASE)
SENTENCE_START = re.compile(r"^(?:[\"“‘(\[]|[A-Z0-9£$])")  # a capital, a number, or an opening quote or bracket
LEAD_END = re.compile(r"(?:[.!?:;][\"”’)]*|\s[—–-])$")  # a sentence ended, or a lead-in to a list ("must —")
PAREN_MARKER = re.compile(r"^\((?:\d{1,2}|[a-z]{1,2}|[ivx]{1,5})\)")
SOFT_HYPHEN = "\ufffe"  # PDFium's mark for a hyphen it found at the end of a line
HYPHEN_BREAK = re.compile(rf"[a-z][-{SOFT_HYPHEN}]$")
COMPOUND_PREFIXES = {"co", "sub", "non", "self", "ex", "anti", "cross", "multi", "vice", "well", "cyber", "e"}
PARAGRAPH_GAP = 0.45  # a gap between baselines this many font sizes wider than the line spacing starts a block
CELL_GAP = 2.0  # a horizontal gap wider than this many font sizes separates table cells (justified text stays one)
MARKER_GAP = 0.6  # a list marker is set apart from its item's text by at least this many font sizes
SPACE = 0.3  # the width of a space, in font sizes
SHORT_ROW = 0.4  # a row ending this share of the text width short of the right margin is short
EDGE_ROWS = 3  # rows at the top and at the bottom of a page that may be page furniture


@dataclass
class Row:
    """Words on one baseline, in cells; read-only once made, so its measures are computed once."""

    page: int
    cells: list[list[Word]]

    @cached_property
    def words(self) -> list[Word]:
        return [word for cell in self.cells for word in cell]

    @cached_property
    def bottom(self) -> float:
        return min(word.bottom for word in self.words)

    @cached_property
    def x1(self) -> float:
        return self.cells[-1][-1].x1

    @cached_property
    def size(self) -> float:
        sizes = Counter()
        for word in self.words:
            sizes[word.size] += len(word.text)
        return sizes.most_common(1)[0][0]

    @cached_property
    def bold(self) -> bool:
        return all(word.bold for word in self.words if any(c.isalnum() for c in word.text))

    @cached_property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @cached_property
    def marker(self) -> str | None:
        """The list marker or paragraph number this row opens with, if it has one."""
        first = self.cells[0]
        if len(self.cells) >= 2 and len(first) == 1 and (MARKER_CELL.match(first[0].text) or BULLET.match(first[0].text)):
            return first[0].text
        word = first[0].text
        return word if BULLET.match(word) or MARKER_WORD.match(word) else None

    @cached_property
    def is_table_row(self) -> bool:
        return len(self.cells) >= 3 or (len(self.cells) == 2 and self.marker != self.cells[0][0].text)


@dataclass
class _Block:
    rows: list[Row] = field(default_factory=list)


def _cells(words: list[Word]) -> list[list[Word]]:
    cells: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.x0):
        after_marker = len(cells) == 1 and len(cells[0]) == 1 and (
            MARKER_CELL.match(cells[0][0].text) or BULLET.match(cells[0][0].text))
        gap = MARKER_GAP if after_marker else CELL_GAP
        if cells and word.x0 - cells[-1][-1].x1 <= gap * max(word.size, cells[-1][-1].size):
            cells[-1].append(word)
        else:
            cells.append([word])
    return cells


def _rows(lines: list[list[Word]], page: int) -> list[Row]:
    """A page's words grouped into rows top to bottom, however the PDF ordered its drawing."""
    words = sorted((word for line in lines for word in line), key=lambda w: -w.bottom)
    grouped: list[list[Word]] = []
    for word in words:
        if grouped and abs(grouped[-1][0].bottom - word.bottom) <= max(2.0, 0.3 * word.size):
            grouped[-1].append(word)
        else:
            grouped.append([word])
    return [Row(page, _cells(row)) for row in grouped]


def _furniture_key(row: Row) -> str:
    return re.sub(r"\d+", "#", fold_whitespace(row.text)).lower()


def _drop_page_furniture(pages: list[list[Row]]) -> list[list[Row]]:
    """Rows at a page's top or bottom that repeat at the edges of many pages, and bare page numbers."""
    def edges(rows: list[Row]) -> list[Row]:
        return list({id(row): row for row in rows[:EDGE_ROWS] + rows[-EDGE_ROWS:]}.values())

    seen = Counter(key for rows in pages for key in {_furniture_key(row) for row in edges(rows)})
    repeated = {key for key, count in seen.items() if len(pages) > 1 and count >= max(2, len(pages) / 2)}
    kept = []
    counters = _page_counters(pages)
    for rows in pages:
        furniture = {id(row) for row in edges(rows)
                     if _furniture_key(row) in repeated or PAGE_NUMBER.match(_furniture_key(row))}
        kept.append([row for row in rows if id(row) not in furniture and _furniture_key(row) not in counters])
    return kept


def _page_counters(pages: list[list[Row]]) -> set[str]:
    """Short rows that recur on several pages with a number that goes up with the page, wherever they sit
    (a running title with its page number, typed into the body of each page)."""
    offsets: dict[str, list[int]] = {}
    for number, rows in enumerate(pages):
        for key, row in {_furniture_key(row): row for row in rows if len(row.words) <= 12}.items():
            if re.fullmatch(r"[^#]*[a-z][^#]*#", key):  # words, then the page's number: a running title
                offsets.setdefault(key, []).append(int(re.findall(r"\d+", row.text)[-1]) - number)
    return {key for key, found in offsets.items() if len(found) >= 2 and len(set(found)) == 1}


class _Layout:
    """Measures of the body text that the block rules compare against."""

    def __init__(self, rows: list[Row]):
        sizes = Counter()
        for row in rows:
            for word in row.words:
                sizes[word.size] += len(word.text)
        self.body_size = sizes.most_common(1)[0][0]
        body = [row for row in rows if abs(row.size - self.body_size) <= 0.5 and not row.is_table_row]
        ends = sorted(row.x1 for row in body)
        typical = ends[int(len(ends) * 0.98)] if ends else 0.0
        # the column's edge: the longest lines, leaving out any that overrun it (an unbreakable web address)
        self.right_margin = max((end for end in ends if end <= typical + 2 * self.body_size), default=0.0)
        pitches = Counter(round(above.bottom - below.bottom) for above, below in zip(body, body[1:])
                          if above.page == below.page and above.bottom > below.bottom)
        # the closest spacing that is common: lines within a paragraph (single-line items are spaced wider)
        common = [pitch for pitch, count in pitches.items() if count >= 0.15 * sum(pitches.values())]
        self.line_pitch = min(common) if common else 1.2 * self.body_size

    def paragraph_gap(self, above: Row, below: Row) -> bool:
        """Wider apart than lines of a paragraph set in this size (the body's line spacing, scaled)."""
        size = max(above.size, below.size)
        return above.bottom - below.bottom > self.line_pitch * size / self.body_size + PARAGRAPH_GAP * size

    def new_block(self, block: _Block, row: Row) -> bool:
        previous, first = block.rows[-1], block.rows[0]
        if abs(previous.size - row.size) > 0.5 or previous.bold != row.bold:
            return True
        if first.is_table_row:  # a table row: its cells' lines run on until the gap to the next row
            columns = [cell[0].x0 for cell in first.cells]
            aligned = all(any(abs(cell[0].x0 - x) <= 3 for x in columns) for cell in row.cells)
            return row.page != previous.page or not aligned or self.paragraph_gap(previous, row)
        if row.marker or row.is_table_row:
            return True
        same_page = row.page == previous.page
        if HYPHEN_BREAK.search(previous.text) and row.text[:1].islower():  # a word broken over the two rows
            return same_page and self.paragraph_gap(previous, row)
        if same_page and self.paragraph_gap(previous, row):
            return True
        if PAREN_MARKER.match(row.text) and LEAD_END.search(previous.text):  # "... as follows:" then "(2) ..."
            return True
        if SENTENCE_START.match(row.text) and _capitals(previous.text) and not _capitals(row.text):
            return True  # a heading in capitals, then its text
        # a row that ended where the next row's first word would have fitted was broken there on purpose
        room, next_word = self.right_margin - previous.x1, row.words[0]
        if room > next_word.x1 - next_word.x0 + SPACE * row.size:
            return True
        return not same_page and bool(LEAD_END.search(previous.text)) and bool(SENTENCE_START.match(row.text))


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _blocks(rows: list[Row], layout: _Layout) -> list[_Block]:
    blocks: list[_Block] = []
    for row in rows:
        if not blocks or layout.new_block(blocks[-1], row):
            blocks.append(_Block())
        blocks[-1].rows.append(row)
    following = [block.rows[0] for block in blocks[1:]] + [None]
    return [part for block, after in zip(blocks, following) for part in _split_trailing_heading(block, after, layout)]


def _split_trailing_heading(block: _Block, after: Row | None, layout: _Layout) -> list[_Block]:
    """A short last row without a full stop, after a row that ended a sentence, is a line of its own: a
    heading set in body type just before the next paragraph on its page, not the end of this paragraph."""
    first = block.rows[0]
    if len(block.rows) < 2 or first.is_table_row or after is None or after.page != block.rows[-1].page:
        return [block]
    before, last = block.rows[-2], block.rows[-1]
    if (LEAD_END.search(before.text) and not LEAD_END.search(last.text) and SENTENCE_START.match(last.text)
            and layout.right_margin - last.x1 > SHORT_ROW * (layout.right_margin - last.words[0].x0)):
        return [_Block(block.rows[:-1]), _Block([last])]
    return [block]


class _Hyphens:
    """Whether a word broken with a hyphen at a line end keeps it: yes if the document writes it that way."""

    def __init__(self, rows: list[Row]):
        self.words = Counter(w.text.strip(".,;:()‘’'\"“”").lower() for row in rows for w in row.words)

    def join(self, before: str, after: str) -> str:
        head, tail = before.rstrip("-" + SOFT_HYPHEN), after
        stem = re.sub(r"^.*[^A-Za-z]", "", head).lower()
        rest = re.sub(r"[^A-Za-z].*$", "", tail).lower()
        if self.words[f"{stem}-{rest}"] or (not self.words[stem + rest] and stem in COMPOUND_PREFIXES):
            return f"{head}-{tail}"
        return head + tail

    def inline(self, text: str) -> str:
        return re.sub(rf"(\S+){SOFT_HYPHEN}(\S+)", lambda m: self.join(m.group(1), m.group(2)), text)


def _runs(rows: list[list[Word]], hyphens: _Hyphens) -> list[tuple[str, bool]]:
    """(text, bold) runs of consecutive rows, with a word hyphenated across a row break joined up."""
    runs: list[tuple[str, bool]] = []
    for words in rows:
        for index, word in enumerate(words):
            last = runs[-1][0] if runs else ""
            if index == 0 and HYPHEN_BREAK.search(last) and word.text[:1].islower():
                runs[-1] = (hyphens.join(last, word.text), runs[-1][1] and word.bold)
                continue
            if runs:
                runs.append((" ", runs[-1][1] and word.bold))
            runs.append((hyphens.inline(word.text) if SOFT_HYPHEN in word.text else word.text, word.bold))
    return runs


class _PdfWriter:
    def __init__(self, layout: _Layout, hyphens: _Hyphens):
        self.out = TextWriter()
        self.layout, self.hyphens = layout, hyphens
        self.columns: list[float] | None = None  # x of each column of the table being read

    def _column(self, x: float) -> int | None:
        return next((i for i, start in enumerate(self.columns or []) if abs(x - start) <= 3), None)

    def block(self, block: _Block) -> None:
        first = block.rows[0]
        if first.is_table_row:
            self.columns = [cell[0].x0 for cell in first.cells]
        elif not (self.columns and all(self._column(c[0].x0) is not None for row in block.rows for c in row.cells)):
            if self.columns:
                self.out.end_table()
            self.columns = None
        if self.columns:
            self.table_row(block)
            return
        runs = _runs([row.words for row in block.rows], self.hyphens)
        text = "".join(t for t, _ in runs)
        short_bold = first.bold and len(block.rows) == 1 and len(text.split()) <= 12
        marker = first.marker
        if first.size > self.layout.body_size + 0.5 or (short_bold and not (marker and BULLET.match(marker))):
            self.out.heading(text)
        elif marker and len(first.words) > 1 and (BULLET.match(marker) or NUMBER_MARKER.match(marker) and len(first.cells) > 1):
            number = NUMBER_MARKER.match(marker)
            item_rows = [row.words[1:] if row is first else row.words for row in block.rows]
            self.out.item(bold_lead_in(_runs(item_rows, self.hyphens)), f"{number.group(1)}." if number else "-")
        else:
            self.out.paragraph(bold_lead_in(runs))

    def table_row(self, block: _Block) -> None:
        cells: list[list[list[Word]]] = [[] for _ in self.columns]
        for row in block.rows:
            for cell in row.cells:
                column = self._column(cell[0].x0)
                cells[column if column is not None else -1].append(cell)
        self.out.row(["".join(t for t, _ in _runs(lines, self.hyphens)) for lines in cells])


def lay_out(pages: list[list[list[Word]]]) -> str:
    """The pages' words (lines of ``Word``) as text in the conventions of ``ingest.formats.blocks``."""
    rows = [row for page in _drop_page_furniture([_rows(lines, n) for n, lines in enumerate(pages)]) for row in page]
    if not rows:
        return ""
    layout, hyphens = _Layout(rows), _Hyphens(rows)
    writer = _PdfWriter(layout, hyphens)
    for block in _blocks(rows, layout):
        writer.block(block)
    return writer.out.text()
