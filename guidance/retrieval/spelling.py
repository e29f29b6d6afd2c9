"""Spelling: correct a question's misspelt words to words the indexed documents use, for retrieval only.

"can i tweet about a planing aplication" finds nothing by keyword; corrected against the corpus's own
vocabulary it becomes "planning application". Only longer words the corpus does not contain are changed,
and only to a very close corpus word, so ordinary words the documents never use are left alone.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from ingest.words import SPELLING_WORD

MIN_LENGTH = 5  # short words are too easily "corrected" into a different word
SIMILARITY_CUTOFF = 0.85


class Speller:
    def __init__(self, vocabulary: Iterable[str]):
        """``vocabulary``: the corpus's words in lower case (made at ingest by ``ingest.words.vocabulary``)."""
        self.vocabulary = set(vocabulary)
        self._by_initial: dict[str, list[str]] = {}
        for word in self.vocabulary:
            self._by_initial.setdefault(word[0], []).append(word)

    def correct_word(self, word: str) -> str:
        lower = word.lower()
        if len(lower) < MIN_LENGTH or lower in self.vocabulary:
            return word
        # Misspellings rarely change the first letter; searching within it keeps this fast and safer.
        close = difflib.get_close_matches(lower, self._by_initial.get(lower[0], []), n=1, cutoff=SIMILARITY_CUTOFF)
        return close[0] if close else word

    def correct(self, text: str) -> str:
        return SPELLING_WORD.sub(lambda match: self.correct_word(match.group(0)), text)
