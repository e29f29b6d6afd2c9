"""Words: a text's stemmed content words, how rare each is across the corpus, and the corpus vocabulary.

Computed once at ingest and stored in the build (``words.json``), so answering processes start without
stemming every sentence of a large corpus.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

CONTENT_WORD = re.compile(r"[a-z0-9]+")
VOCABULARY_WORD = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=1)
def _stem_and_stopwords():
    import Stemmer
    from bm25s.stopwords import STOPWORDS_EN

    return Stemmer.Stemmer("english").stemWords, frozenset(STOPWORDS_EN)


def content_words(text: str) -> frozenset[str]:
    """Stems of the words that carry meaning: no stopwords, nothing under three letters."""
    stem_words, stopwords = _stem_and_stopwords()
    return frozenset(stem_words([w for w in CONTENT_WORD.findall(text.lower()) if w not in stopwords and len(w) > 2]))


def inverse_document_frequency(texts: list[str]) -> dict[str, float]:
    """How rare each content word is among ``texts``: log(1 + N / texts containing it)."""
    frequency = Counter(word for text in texts for word in content_words(text))
    return {word: math.log(1 + len(texts) / count) for word, count in frequency.items()}


def unseen_word_idf(text_count: int) -> float:
    """The weight of a word no text contains: rarer than any that does."""
    return math.log(1 + max(text_count, 1))


def vocabulary(texts: Iterable[str]) -> list[str]:
    words: set[str] = set()
    for text in texts:
        words.update(VOCABULARY_WORD.findall(text.lower()))
    return sorted(words)
