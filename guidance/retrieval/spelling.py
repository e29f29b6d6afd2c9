"""Spelling: correct a question's misspelt words, preferring the words the indexed documents use, for retrieval only.

"can i tweet about a planing aplication" finds nothing by keyword; corrected against the corpus's own
vocabulary it becomes "planning application". A word is only changed when neither the corpus nor English as
people write it knows it (wordfreq's word frequencies, British spellings and "admin", "retweet" included), so
ordinary words the documents never use ("bins", "Facebook") are left alone; the one exception is a rare word
that is a far commoner corpus word with a letter dropped ("planing"). An unknown word becomes, in order of
preference: a corpus word one edit away (a letter dropped, swapped, changed or added, in that order of
likelihood: "papr" → "paper", "reprot" → "report"); a close corpus word ("councilers" → "councillors"); the
likeliest English word one edit away ("budjet" → "budget"). Misspellings rarely change the first letter, so
no correction does. Acronyms ("GDPR") and names (a capital inside a sentence: "Ayton") are left alone.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Iterable
from functools import cached_property

from ingest.words import SPELLING_WORD

# A corpus-vocabulary word with its contraction or possessive ("didn't", "resident's"), so "didn" is never
# corrected on its own.
WORD = re.compile(rf"{SPELLING_WORD.pattern}(?:['’]{SPELLING_WORD.pattern})*")
SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n)[\"“‘'(]*$")
MIN_LENGTH = 4  # a shorter word has too many words one edit away to guess between ("pdf", "ict")
CLOSE_MIN_LENGTH = 5  # below this a "close" word is too easily a different word
SIMILARITY_CUTOFF = 0.85
# wordfreq's frequency (share of all words) from which a word is English as written: Zipf 2.3, about one word
# in 200 million ("unfollow" 2.5, "cllr" 2.7); most misspellings are rarer ("actualy" 2.2, "comunity" 1.8).
KNOWN = 10 ** (2.3 - 9)
RARE_SLIP = 100  # "planing" is 138 times rarer than "planning" in English; "diner" only 20 times rarer than "dinner"


class Speller:
    def __init__(self, vocabulary: Iterable[str]):
        """``vocabulary``: the corpus's words in lower case (made at ingest by ``ingest.words.vocabulary``)."""
        self.vocabulary = set(vocabulary)
        self._by_initial: dict[str, list[str]] = {}
        for word in self.vocabulary:
            self._by_initial.setdefault(word[0], []).append(word)

    @cached_property
    def _frequency(self) -> dict[str, float]:
        """English word frequencies, loaded the first time a question has a word the corpus lacks (~0.3 s)."""
        import wordfreq

        return wordfreq.get_frequency_dict("en", wordlist="best")

    def known(self, word: str) -> bool:
        return self._frequency.get(word, 0.0) >= KNOWN

    def correct_word(self, word: str) -> str:
        """``word`` corrected, keeping its capital; unchanged when it is short, known, in capitals or no slip fits."""
        lower = word.lower()
        if len(lower) < MIN_LENGTH or lower in self.vocabulary or word.isupper():
            return word
        corrected = self._correction(lower)
        if corrected is None:
            return word
        return corrected[0].upper() + corrected[1:] if word[0].isupper() else corrected

    def _correction(self, lower: str) -> str | None:
        frequency = self._frequency
        one_edit = {w for w in _one_edit(lower) if w[0] == lower[0]}
        likeliest = lambda w: (_edit_kind(lower, w), -frequency.get(w, 0.0), w)  # noqa: E731
        in_corpus = sorted(one_edit & self.vocabulary, key=likeliest)
        if self.known(lower):
            # A rare word that is a common corpus word with a letter dropped is that slip ("planing" for "planning").
            slips = [w for w in in_corpus
                     if _edit_kind(lower, w) == 0 and frequency.get(w, 0.0) >= RARE_SLIP * frequency[lower]]
            return slips[0] if slips else None
        if in_corpus:
            return in_corpus[0]
        if len(lower) >= CLOSE_MIN_LENGTH:
            close = difflib.get_close_matches(lower, self._by_initial.get(lower[0], []), n=1, cutoff=SIMILARITY_CUTOFF)
            if close:
                return close[0]
        in_english = sorted((w for w in one_edit if self.known(w)), key=likeliest)
        return in_english[0] if in_english else None

    def correct(self, text: str) -> str:
        return WORD.sub(lambda match: self._correct_token(match, text), text)

    def _correct_token(self, match: re.Match, text: str) -> str:
        token = match.group(0)
        if token[0].isupper() and not SENTENCE_START.search(text[: match.start()]):
            return token  # a name
        apostrophe = re.search("['’]", token)
        if not apostrophe:
            return self.correct_word(token)
        head, rest = token[: apostrophe.start()], token[apostrophe.start():]
        corrected = self.correct_word(head)
        # The word list is only loaded when the word before the apostrophe is itself unknown to the corpus.
        if corrected == head or self.known(token.lower().replace("’", "'")):
            return token
        return corrected + rest


def _one_edit(word: str) -> set[str]:
    """Every string one letter dropped, swapped, changed or added away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    letters = string.ascii_lowercase
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters}) - {word}


def _edit_kind(misspelt: str, word: str) -> int:
    """How likely a slip turns ``word`` into ``misspelt``, commonest first: a letter dropped ("writen"), two
    letters swapped ("reprot"), a letter changed ("budjet"), a letter added ("cani")."""
    if len(word) > len(misspelt):
        return 0
    if len(word) < len(misspelt):
        return 3
    return 1 if sorted(word) == sorted(misspelt) else 2
