"""Sub-paragraphs: the numbered sub-paragraphs of a paragraph written statute-style, as model codes of conduct
and standing orders print them: ``10.—(1) You must …``, then ``(2) You must regard …``, ``(2A) Where …`` at
the start of later blocks. Each is a section keyed by the paragraph's number and its own as printed, joined
by a dot (``10.1``, ``10.2``, ``14.2A``), and titled by the paragraph's title.

Only a paragraph whose text opens with ``(1)`` has sub-paragraphs, and a later one is accepted only in
sequence (``(3)`` after ``(2)``, ``(2A)`` after ``(2)``, ``(2B)`` after ``(2A)``) and opening a sentence, so
a "(2)" a sentence or a list happens to start with is read as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SUB_PARAGRAPH = re.compile(r"^\s*\((\d{1,2})([A-Z]?)\)\s*(?=[A-Z(“\"‘'])")
MAX_NUMBER_STEP = 3  # as for paragraph numbers: tolerate a sub-paragraph or two left out


@dataclass
class SubParagraphs:
    """The sub-paragraphs of one paragraph being read: its number and title, and the last one's number."""

    paragraph: str
    title: str
    last: tuple[int, str] = (1, "")

    @classmethod
    def opened_by(cls, paragraph: str, title: str, text: str) -> tuple[SubParagraphs, re.Match] | None:
        """The sub-paragraphs of a paragraph whose ``text`` (after its number) opens with "(1)", and that mark."""
        first = SUB_PARAGRAPH.match(text)
        if first is None or (first.group(1), first.group(2)) != ("1", ""):
            return None
        return cls(paragraph, title), first

    def next(self, text: str) -> re.Match | None:
        """The mark of the next sub-paragraph, if ``text`` opens with one in sequence (and then it is the last)."""
        mark = SUB_PARAGRAPH.match(text)
        if mark is None:
            return None
        number, letter = int(mark.group(1)), mark.group(2)
        last_number, last_letter = self.last
        inserted = number == last_number and letter and ord(letter) == ord(last_letter or "@") + 1  # "@" precedes "A"
        following = not letter and last_number < number <= last_number + MAX_NUMBER_STEP
        if not (inserted or following):
            return None
        self.last = (number, letter)
        return mark

    def key(self) -> str:
        """The last sub-paragraph's key: "10.2", "14.2A"."""
        number, letter = self.last
        return f"{self.paragraph}.{number}{letter}"
