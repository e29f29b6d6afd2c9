"""Words: the one place text is cut into words, with one tokeniser for each purpose, and the word statistics
ingest stores in the build (``words.json``) so answering processes start without stemming a large corpus.

- ``search_tokens``: what BM25 indexes chunks by and searches with (bm25s's tokeniser, stop words out, stemmed);
- ``content_words``: what scoring and the officers' corrections weigh (stems of the words that carry meaning);
- ``SPELLING_WORD``: what the corpus vocabulary the speller corrects to is made of, and so what it corrects.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

WORD = re.compile(r"[a-z0-9]+")  # of lower-cased text
SPELLING_WORD = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=1)
def _stem_and_stopwords():
    import Stemmer
    from bm25s.stopwords import STOPWORDS_EN

    return Stemmer.Stemmer("english").stemWords, frozenset(STOPWORDS_EN)


def search_tokens(texts: list[str]):
    """The words BM25 indexes and searches with: English stop words dropped, the rest stemmed."""
    import bm25s
    import Stemmer

    return bm25s.tokenize(texts, stopwords="en", stemmer=Stemmer.Stemmer("english"), show_progress=False)


def content_words(text: str) -> frozenset[str]:
    """Stems of the words that carry meaning: no stopwords, nothing under three letters."""
    stem_words, stopwords = _stem_and_stopwords()
    return frozenset(stem_words([w for w in WORD.findall(text.lower()) if w not in stopwords and len(w) > 2]))


@dataclass
class WordStatistics:
    """What ingest counts once for answering: each content word's ``idf`` among the sentences, how many
    sentences there were, and the corpus ``vocabulary`` the speller corrects to."""

    idf: dict[str, float]
    sentence_count: int
    vocabulary: list[str]

    @classmethod
    def of(cls, sentence_texts: list[str], chunk_texts: Iterable[str]) -> WordStatistics:
        return cls(inverse_document_frequency(sentence_texts), len(sentence_texts), vocabulary(chunk_texts))

    @property
    def unseen_idf(self) -> float:
        """The weight of a word no sentence contains: rarer than any that does."""
        return math.log(1 + max(self.sentence_count, 1))


def inverse_document_frequency(texts: list[str]) -> dict[str, float]:
    """How rare each content word is among ``texts``: log(1 + N / texts containing it)."""
    frequency = Counter(word for text in texts for word in content_words(text))
    return {word: math.log(1 + len(texts) / count) for word, count in frequency.items()}


def vocabulary(texts: Iterable[str]) -> list[str]:
    words: set[str] = set()
    for text in texts:
        words.update(SPELLING_WORD.findall(text.lower()))
    return sorted(words)
