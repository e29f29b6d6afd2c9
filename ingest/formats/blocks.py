"""Blocks: write a document's structure as the plain text the section parser reads.

The conventions: a heading on its own line; paragraphs separated by blank lines; the items of one
list on consecutive lines as ``- item`` or ``3. item``; a bold lead-in as ``**Libel** – text``;
a table as consecutive tab-separated rows. Loaders that see structure (headings, lists, tables,
bold runs) describe it with ``TextWriter`` so every format reaches the parser the same way.
"""

from __future__ import annotations

import re

from ingest.text import fold_whitespace

SPACES = re.compile(r"[^\S\t]+")


def fold_keeping_tabs(text: str) -> str:
    """Fold white space but keep tabs, which mark contents-page numbers and table cells."""
    return SPACES.sub(" ", text).strip()


def bold_lead_in(runs: list[tuple[str, bool]]) -> str:
    """Join (text, bold) runs; bold text opening a paragraph that goes on in plain text becomes ``**lead**``.

    Only a lead-in is marked: bold elsewhere is emphasis, and a paragraph that is bold throughout
    is a heading or a title, which the parser recognises from its shape.
    """
    runs = [(text, bold) for text, bold in runs if text]
    lead = ""
    while runs and (runs[0][1] or not runs[0][0].strip()):
        lead += runs.pop(0)[0]
    rest = "".join(text for text, _ in runs)
    if not lead.strip() or not rest.strip():
        return fold_keeping_tabs(lead + rest)
    return fold_keeping_tabs(f"**{lead.strip()}** {rest.lstrip()}")


class TextWriter:
    """Collects blocks in reading order and renders them as parser-ready text."""

    def __init__(self) -> None:
        self._blocks: list[tuple[str, list[str]]] = []

    def _add(self, kind: str, line: str, joins: bool) -> None:
        if joins and self._blocks and self._blocks[-1][0] == kind:
            self._blocks[-1][1].append(line)
        else:
            self._blocks.append((kind, [line]))

    def heading(self, text: str) -> None:
        if text := fold_whitespace(text):
            self._add("heading", text, joins=False)

    def paragraph(self, text: str) -> None:
        if text := fold_keeping_tabs(text):
            self._add("paragraph", text, joins=False)

    def item(self, text: str, marker: str = "-") -> None:
        """One list item; consecutive items form one list. An empty marker: the text prints its own."""
        if text := fold_whitespace(text):
            self._add("list", f"{marker} {text}" if marker else text, joins=True)

    def row(self, cells: list[str]) -> None:
        """One table row; consecutive rows form one table. A row with one cell is a paragraph."""
        cells = [fold_whitespace(cell) for cell in cells]
        if len(cells) < 2:
            self.paragraph(cells[0] if cells else "")
        elif any(cells):
            self._add("table", "\t".join(cells), joins=True)

    def end_table(self) -> None:
        """Close the current table so that the next one starts a new block."""
        self._blocks.append(("break", []))

    def text(self) -> str:
        return "\n\n".join("\n".join(lines) for kind, lines in self._blocks if lines) + "\n"
