"""PDF layout: the rows of each page (``ingest.formats.pdf_rows``), page furniture dropped
(``ingest.formats.pdf_furniture``), written as headings, paragraphs, lists and tables.

A PDF only knows where each word is drawn, so its blocks are read from the layout. A new block starts at:

- a wider gap than the document's line spacing, or a change of size or of weight;
- a numbered heading or list marker at the start of a row (``1.``, ``3.2``, ``6.—(1)``, ``a)``, ``ii.``, ``•``;
  a bracketed ``(2)``, or a quoted term being defined (``“member” means …``), after a row that ended a
  sentence, a clause or a lead-in);
- a row that starts under a list item's marker rather than under its text;
- where paragraphs are not spaced apart: a row that ended where the next row's first word would have fitted
  (a typesetter wraps a word only when it does not fit; the column's edge is where many lines end, so a web
  address overrunning it does not move it), a heading in capitals, or a short line without a full stop
  between two paragraphs (a heading set in body type).

A paragraph that runs over a page break is one paragraph; a block set larger than the body text, or bold
throughout and short, is a heading; a word hyphenated across a line or page break is joined, unless the
document writes it with the hyphen elsewhere (``co-opted``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.formats.blocks import TextWriter, bold_lead_in
from ingest.formats.pdf import SOFT_HYPHEN, Word
from ingest.formats.pdf_furniture import drop_page_furniture
from ingest.formats.pdf_rows import BULLET, Row, commonest_size, page_rows

NUMBER_MARKER = re.compile(r"^\(?(\d{1,2})[.)]$")
SENTENCE_START = re.compile(r"^(?:[\"“‘(\[]|[A-Z0-9£$])")  # a capital, a number, or an opening quote or bracket
LEAD_END = re.compile(r"(?:[.!?:;][\"”’)]*|\s[—–-])$")  # a sentence ended, or a lead-in to a list ("must —")
QUOTED_TERM = re.compile(r"^[\"“‘][^\"”’]{1,60}[\"”’]\s")  # "“member” means …": a definition opens with its term
PAREN_MARKER = re.compile(r"^\((?:\d{1,2}|[a-z]{1,2}|[ivx]{1,5})\)")
HYPHEN_BREAK = re.compile(rf"[a-z][-{SOFT_HYPHEN}]$")
COMPOUND_PREFIXES = {"co", "sub", "non", "self", "ex", "anti", "cross", "multi", "vice", "well", "cyber", "e"}
PARAGRAPH_GAP = 0.45  # a gap between baselines this many font sizes wider than the line spacing starts a block
SPACE = 0.3  # the width of a space, in font sizes
SHORT_ROW = 0.4  # a row ending this share of the text width short of the right margin is short


@dataclass
class _Block:
    rows: list[Row] = field(default_factory=list)


class _Layout:
    """Measures of the body text that the block rules compare against."""

    def __init__(self, rows: list[Row]):
        self.body_size = commonest_size(word for row in rows for word in row.words)
        body = [row for row in rows if abs(row.size - self.body_size) <= 0.5 and not row.is_table_row]
        self.right_margin = _column_edge([row.x1 for row in body], self.body_size)
        pitches = Counter(round(above.baseline - below.baseline) for above, below in zip(body, body[1:])
                          if above.page == below.page and above.baseline > below.baseline)
        # the closest spacing that is common: lines within a paragraph (single-line items are spaced wider)
        common = [pitch for pitch, count in pitches.items() if count >= 0.15 * sum(pitches.values())]
        self.line_pitch = min(common) if common else 1.2 * self.body_size

    def paragraph_gap(self, above: Row, below: Row) -> bool:
        """Wider apart than lines of a paragraph set in this size (the body's line spacing, scaled)."""
        size = max(above.size, below.size)
        return above.baseline - below.baseline > self.line_pitch * size / self.body_size + PARAGRAPH_GAP * size

    def new_block(self, block: _Block, row: Row) -> bool:
        previous, first = block.rows[-1], block.rows[0]
        if abs(previous.size - row.size) > 0.5:
            return True
        if previous.bold != row.bold and not row.text[:1].islower():  # bold going on mid-sentence is emphasis
            return True
        if first.is_table_row:  # a table row: its cells' lines run on until the gap to the next row
            columns = [cell[0].x0 for cell in first.cells]
            aligned = all(any(abs(cell[0].x0 - x) <= 3 for x in columns) for cell in row.cells)
            return row.page != previous.page or not aligned or self.paragraph_gap(previous, row)
        if row.marker or row.is_table_row:
            return True
        if first.marker and len(first.cells) == 2 and row.words[0].x0 < first.cells[0][-1].x1:
            return True  # a list item's lines run on under its text; a row starting under its marker is past it
        same_page = row.page == previous.page
        if HYPHEN_BREAK.search(previous.text) and row.text[:1].islower():  # a word broken over the two rows
            return same_page and self.paragraph_gap(previous, row)
        if same_page and self.paragraph_gap(previous, row):
            return True
        if PAREN_MARKER.match(row.text) and LEAD_END.search(previous.text):  # "... as follows:" then "(2) ..."
            return True
        if QUOTED_TERM.match(row.text) and LEAD_END.search(previous.text):  # the next entry of a list of definitions
            return True
        if SENTENCE_START.match(row.text) and _capitals(previous.text) and not _capitals(row.text):
            return True  # a heading in capitals, then its text
        # a row that ended where the next row's first word would have fitted was broken there on purpose
        room, next_word = self.right_margin - previous.x1, row.words[0]
        fitted = room > next_word.x1 - next_word.x0 + SPACE * row.size
        if row.text[:1].islower():  # most likely the sentence going on: only a clearly short row ended it
            return fitted and room > SHORT_ROW * (self.right_margin - previous.words[0].x0)
        if fitted:
            return True
        return not same_page and bool(LEAD_END.search(previous.text)) and bool(SENTENCE_START.match(row.text))


def _column_edge(ends: list[float], size: float) -> float:
    """The right edge of the text column: the furthest point that many lines end close to (within half a font
    size). The few lines that overrun it (an unbreakable web address, each its own length) are left out."""
    ends = sorted(ends)
    enough = max(3, len(ends) // 20)
    for index in range(len(ends) - 1, enough - 2, -1):
        if ends[index] - ends[index - enough + 1] <= size / 2:
            return ends[index]
    return ends[-1] if ends else 0.0


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
            runs.append((word.text, word.bold))
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
    rows = [row for page in drop_page_furniture([page_rows(lines, n) for n, lines in enumerate(pages)]) for row in page]
    if not rows:
        return ""
    layout, hyphens = _Layout(rows), _Hyphens(rows)
    writer = _PdfWriter(layout, hyphens)
    for block in _blocks(rows, layout):
        writer.block(block)
    return writer.out.text()
