"""PDF page furniture: running headers and footers and page numbers, found by where they sit and how they
repeat from page to page (numbers folded), so that they never reach a passage or split a sentence."""

from __future__ import annotations

import re
from collections import Counter

from ingest.formats.pdf_rows import Row
from ingest.text import PAGE_NUMBER, furniture_shape

EDGE_ROWS = 3  # rows at the top and at the bottom of a page that may be page furniture


def drop_page_furniture(pages: list[list[Row]]) -> list[list[Row]]:
    """Rows at a page's top or bottom that repeat at the edges of many pages, and bare page numbers."""
    def edges(rows: list[Row]) -> list[Row]:
        return list({id(row): row for row in rows[:EDGE_ROWS] + rows[-EDGE_ROWS:]}.values())

    seen = Counter(key for rows in pages for key in {furniture_shape(row.text) for row in edges(rows)})
    repeated = {key for key, count in seen.items() if len(pages) > 1 and count >= max(2, len(pages) / 2)}
    kept = []
    counters = _page_counters(pages)
    for rows in pages:
        furniture = {id(row) for row in edges(rows)
                     if furniture_shape(row.text) in repeated or PAGE_NUMBER.match(furniture_shape(row.text))}
        kept.append([row for row in rows if id(row) not in furniture and furniture_shape(row.text) not in counters])
    return kept


def _page_counters(pages: list[list[Row]]) -> set[str]:
    """Short rows that recur on several pages with a number that goes up with the page, wherever they sit
    (a running title with its page number, typed into the body of each page)."""
    offsets: dict[str, list[int]] = {}
    for number, rows in enumerate(pages):
        for key, row in {furniture_shape(row.text): row for row in rows if len(row.words) <= 12}.items():
            if re.fullmatch(r"[^#]*[a-z][^#]*#", key):  # words, then the page's number: a running title
                offsets.setdefault(key, []).append(int(re.findall(r"\d+", row.text)[-1]) - number)
    return {key for key, found in offsets.items() if len(found) >= 2 and len(set(found)) == 1}
