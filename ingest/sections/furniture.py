"""Page furniture: find the lines a document repeats on every page, or that only a page carries, so they
never become sections or split a sentence.

Furniture is recognised by shape, never by particular words:

- a line repeated through the text (three times or more, numbers folded, so "Page 2 of 16" and
  "Page 13 of 16" are the same line), short enough to be a header or footer;
- a bare page number ("3", "Page | 2", "- 4 -", "Page 5 of 9");
- a signature line: a name, or initials, and a date ("J.Ziegler 06/06/2022", "Chairperson 10 January 2018"),
  outside a table or at the very end (a "Date Created | 6 September 2017" row of a table is not one).
"""

from __future__ import annotations

import re
from collections import Counter

from ingest.text import PAGE_NUMBER, fold_whitespace, furniture_shape

DATE = r"(?:\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\s+\d{4})"
SIGNATURE = re.compile(rf"^(?:[A-Z][A-Za-z.'’-]*\s*){{1,3}}\s*{DATE}$")
NUMBERED = re.compile(r"^\(?(?:\d+(?:\.\d+)*|[a-z]{1,2}|[ivx]{1,5})[.)]")
MIN_REPEATS = 3
MAX_FURNITURE_WORDS = 12


def _repeatable(text: str) -> bool:
    """Only short lines that are not numbered paragraphs, list items or table rows can be a running header or
    footer ("4. You must —" opens several paragraphs of a code)."""
    return 0 < len(text.split()) <= MAX_FURNITURE_WORDS and "\t" not in text \
        and not text.startswith(("-", "•", "*")) and not NUMBERED.match(text)


def furniture_lines(lines: list[str]) -> set[int]:
    """The indexes of the lines that are page furniture."""
    shapes = [furniture_shape(line) for line in lines]
    last_lines = [i for i, line in enumerate(lines) if line.strip()][-3:]
    counts = Counter(s for s, line in zip(shapes, lines) if _repeatable(line.strip()))
    found = set()
    for index, (line, folded) in enumerate(zip(lines, shapes)):
        text = fold_whitespace(line)
        if not text:
            continue
        if (counts[folded] >= MIN_REPEATS and _repeatable(text)) or PAGE_NUMBER.match(folded) \
                or (":" not in text and ("\t" not in line or index in last_lines) and SIGNATURE.match(text)):
            found.add(index)
    return found
