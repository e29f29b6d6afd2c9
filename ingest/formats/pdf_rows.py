"""PDF rows: the words of a page (``ingest.formats.pdf``) grouped into rows on one baseline, top to bottom,
and each row into cells where its words lie far apart (table cells, or a list marker and its item's text)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from ingest.formats.pdf import Word

BULLET = re.compile(r"^[-•▪◦‣●■□➢✓\u2013\x7f\uf0b7\uf0a7\uf0d8\uf076]$")
MARKER_CELL = re.compile(r"^(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]?|\(?[a-z][.)]?|\(?[ivx]{1,5}[.)])$")
# a paragraph number as a row's first word: "4.", "4.1", "4.1.", or in the statutory style a number and a dash,
# maybe with its first sub-paragraph ("6.—", "6.—(1)"); or a letter or roman numeral ("a)", "(ii)", "iv.")
MARKER_WORD = re.compile(r"^(?:\d{1,2}(?:\.\d{1,2})*(?:\.|\.?[—–](?:\(\d{1,2}\))?)|\d{1,2}(?:\.\d{1,2})+"
                         r"|\(?[a-z][.)]|\(?[ivx]{1,5}[.)])$")
CELL_GAP = 2.0  # a horizontal gap wider than this many font sizes separates table cells (justified text stays one)
MARKER_GAP = 0.6  # a list marker is set apart from its item's text by at least this many font sizes
SUPERSCRIPT = 0.85  # type smaller than this share of the row's size, raised above it, is a superscript


def commonest_size(words: Iterable[Word]) -> float:
    """The type size most of the words' characters are set in."""
    sizes = Counter()
    for word in words:
        sizes[word.size] += len(word.text)
    return sizes.most_common(1)[0][0]


@dataclass
class Row:
    """Words on one baseline, in cells; read-only once made, so its measures are computed once."""

    page: int
    cells: list[list[Word]]

    @cached_property
    def words(self) -> list[Word]:
        return [word for cell in self.cells for word in cell]

    @cached_property
    def baseline(self) -> float:
        return min(word.baseline for word in self.words)

    @cached_property
    def x1(self) -> float:
        return self.cells[-1][-1].x1

    @cached_property
    def size(self) -> float:
        return commonest_size(self.words)

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


def page_rows(lines: list[list[Word]], page: int) -> list[Row]:
    """A page's words grouped into rows top to bottom, however the PDF ordered its drawing."""
    words = sorted((word for line in lines for word in line), key=lambda w: -w.baseline)
    grouped: list[list[Word]] = []
    for word in words:
        if grouped and abs(grouped[-1][0].baseline - word.baseline) <= max(2.0, 0.3 * word.size):
            grouped[-1].append(word)
        else:
            grouped.append([word])
    return [Row(page, _cells(row)) for row in _superscripts_joined(grouped)]


def _superscripts_joined(grouped: list[list[Word]]) -> list[list[Word]]:
    """A row of small type set just above the next row (a footnote mark) belongs to that row."""
    joined: list[list[Word]] = []
    for row in reversed(grouped):
        below = joined[-1] if joined else None
        if below and max(w.size for w in row) < SUPERSCRIPT * below[0].size and \
                row[0].baseline - below[0].baseline < below[0].size * 0.6:
            below.extend(row)
        else:
            joined.append(row)
    return joined[::-1]
