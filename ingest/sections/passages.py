"""Passages: a block's paragraphs, list items and table cells, each a verbatim slice of the loaded text.

- A bold lead-in (``**Libel** – …``) names the sub-section of what follows.
- Tab-separated tables are read row by row; a Do's/Don'ts table gives each cell a "Do"/"Don't" label
  so that a Don't is never presented as advice; a two-column key/value table is also metadata.
- A paragraph cut by a page break (no closing punctuation, next passage starts in lower case or is a
  fragment of a few words, "Regulations 2012") is joined.
"""

from __future__ import annotations

import re

from ingest.sections.headings import BULLET, LETTERED_ITEM, NUMBERED_ITEM, SENTENCE_END, starts_lower
from ingest.sections.lines import Block, Line
from ingest.sections.records import Passage, Section
from ingest.text import fold_whitespace

MAX_FRAGMENT_WORDS = 4
BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*\s*(?:[–—:-]\s*)?")
DO_HEADER = re.compile(r"^do'?’?s?$", re.IGNORECASE)
DONT_HEADER = re.compile(r"^don'?’?ts?'?’?$", re.IGNORECASE)


class PassageReader:
    """Reads blocks of one document into passages, keeping the sub-section a bold lead-in names."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.subsection: str | None = None
        self.metadata: dict[str, str] = {}

    def block(self, block: Block, start: int | None = None) -> list[Passage]:
        """The block's passages; ``start`` skips a marker or number already read as the section's."""
        if all("\t" in line.text for line in block):
            return self._table(block)
        return self._text(block, start)

    def _passage(self, spans: list[tuple[int, int]], kind: str) -> Passage | None:
        """A passage from the source's ``spans`` (its lines, furniture between them left out)."""
        start, end = spans[0][0], spans[-1][1]
        body = self.source[start:spans[0][1]]
        stripped = body.lstrip()
        start += len(body) - len(stripped)
        bold = BOLD_LEAD.match(stripped)
        if bold:
            self.subsection = bold.group(1).strip()
            start += bold.end()
        text = fold_whitespace(" ".join(self.source[a:b] for a, b in [(start, spans[0][1]), *spans[1:]]))
        if not text:
            return None
        return Passage(text=text, start=start, end=end, subsection=self.subsection, kind=kind)

    def _text(self, block: Block, first_start: int | None) -> list[Passage]:
        passages: list[Passage] = []
        spans: list[tuple[int, int]] = []
        kind = "paragraph"

        def flush() -> None:
            if spans and (passage := self._passage(spans, kind)):
                passages.append(passage)

        for index, line in enumerate(block):
            marker = BULLET.match(line.text) or NUMBERED_ITEM.match(line.text) or LETTERED_ITEM.match(line.text)
            if index == 0 and first_start is not None:
                spans, kind = [(first_start, line.end)], "paragraph"
            elif marker or not spans:
                flush()
                kind = "list_item" if marker else "paragraph"
                spans = [(line.start + (marker.end() if marker else 0), line.end)]
            else:
                spans.append((line.start, line.end))
        flush()
        return passages

    def _table(self, block: Block) -> list[Passage]:
        rows = [_cells(line) for line in block]
        header = [fold_whitespace(text) for text, _, _ in rows[0]]
        polarity = len(header) == 2 and DO_HEADER.match(header[0]) and DONT_HEADER.match(header[1])
        passages: list[Passage] = []
        if polarity:
            for row in rows[1:]:
                for (text, start, end), label in zip(row, ("Do", "Don't")):
                    if text.strip():
                        passages.append(
                            Passage(fold_whitespace(text), start, end, self.subsection, label=label, kind="table_cell")
                        )
            return passages
        if all(len(row) == 2 and row[1][0].strip() for row in rows):
            for (key, _, _), (value, start, end) in rows:
                label = fold_whitespace(key)
                passages.append(Passage(fold_whitespace(value), start, end, self.subsection, label, "table_cell"))
                self.metadata.setdefault(label, fold_whitespace(value))
            return passages
        for line, row in zip(block[1:], rows[1:]):
            for name, (value, _, _) in zip(header, row):
                if name.lower() == "version" and value.strip():
                    self.metadata["Version"] = value.strip()  # the last row of a history table is the latest
            passages.append(
                Passage(fold_whitespace(line.text), line.start, line.end, self.subsection, kind="table_row"))
        return passages


def _cells(line: Line) -> list[tuple[str, int, int]]:
    cells = []
    offset = line.start
    for cell in line.text.split("\t"):
        lead = len(cell) - len(cell.lstrip())
        cells.append((cell, offset + lead, offset + len(cell.rstrip())))
        offset += len(cell) + 1
    return cells


def join_page_breaks(source: str, section: Section) -> None:
    """Join a paragraph that a page break (or a dropped footer) cut in two."""
    joined: list[Passage] = []
    for passage in section.passages:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and passage.kind == "paragraph"
            and previous.kind in ("paragraph", "list_item")
            and (starts_lower(passage.text) or len(passage.text.split()) <= MAX_FRAGMENT_WORDS)
            and not SENTENCE_END.search(previous.text)
        ):
            previous.text = f"{previous.text} {passage.text}"  # furniture between them is left out
            previous.end = passage.end
        else:
            joined.append(passage)
    section.passages = joined
