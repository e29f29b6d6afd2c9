"""Correction match: decide whether a question asks the same thing as one an officer corrected, and answer it.

Two tests, both needed. The questions must mean the same: cosine similarity of their embeddings at or above
``MatchSettings.similarity``. And their focus words must agree: a focus word is a content word the indexed
documents never use, so it may name a subject outside them ("budget" in "who wrote the council's budget
report?"); each question may lack at most ``focus_tolerance`` of the other's, since paraphrases also bring in
everyday words the documents do not use. Both are calibrated by ``benchmarks.corrections`` on the calibration
sets. A correction for "who wrote the social media guidance?" therefore does not answer "who wrote the
council's budget report?" (similarity 0.21), nor a question alike in wording that adds several unfamiliar
subjects. The corrections file is re-read when it changes and each corrected question is embedded once (its
vector cached in the build), so a correction applies from the next question without re-embedding anything.
``guidance.answering.corrected`` answers with the officer's section when a correction matches.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from guidance.corrections.store import CorrectionBook, CorrectionError, CorrectionStatus
from guidance.files import replace_file
from ingest.words import content_words

log = logging.getLogger(__name__)
VECTOR_CACHE = "correction_vectors.npz"


@dataclass(frozen=True)
class MatchSettings:
    # From `python -m benchmarks.corrections calibrate` (calibration sets only): leave-one-out hit rate 75% -> 91%
    # on their 56 answer questions, no decline question captured; 0.7-0.85 scored alike, and ties go to the strictest.
    similarity: float = 0.85
    # Focus words of one question the other may lack: paraphrases bring in everyday words the documents never
    # use ("keen", "ever"); with none allowed, leave-one-out hit only 80%.
    focus_tolerance: int = 2


@dataclass(frozen=True)
class CorrectionMatch:
    status: CorrectionStatus
    similarity: float

    @property
    def withheld_note(self) -> str:
        return (f"An officer's correction {self.status.correction.id} for a similar question was not applied: "
                f"{self.status.reason}; an officer needs to re-confirm or remove it.")


def question_key(text: str) -> str:
    return "q" + hashlib.sha256(text.encode()).hexdigest()[:24]


class CorrectionMatcher:
    """The corrections of one index, ready to match; ``normalise`` is the spelling correction applied to questions."""

    def __init__(self, book: CorrectionBook, embed_fn, normalise: Callable[[str], str] = lambda text: text,
                 settings: MatchSettings = MatchSettings()):
        self.book = book
        self.embed_fn = embed_fn
        self.normalise = normalise
        self.settings = settings
        self.corpus_words = frozenset(book.index.words.idf)
        self._vectors: dict[str, np.ndarray] = {}  # by corrected question's key, so a reload embeds only new ones
        # in the build, whose vectors came from the same model
        self.cache_path = book.index.build_dir / VECTOR_CACHE
        self._seen: tuple | None = None
        self.statuses: list[CorrectionStatus] = []
        self._matrix = np.zeros((0, 0), dtype=np.float32)
        self._words: list[frozenset[str]] = []

    def focus_words(self, words: frozenset[str]) -> frozenset[str]:
        return words - self.corpus_words

    def refresh(self) -> None:
        """Re-read the corrections file if it changed since the last question."""
        try:
            stat = self.book.path.stat()
            # the file is replaced whole on every save, so a new inode shows a save even within the mtime's resolution
            seen = (stat.st_mtime_ns, stat.st_ino, stat.st_size)
        except FileNotFoundError:
            seen = None
        if seen == self._seen:
            return
        try:
            statuses = self.book.statuses()
        except CorrectionError as error:  # members still get answers; the officers' page and CLI show the fault
            log.warning("Corrections not applied: %s", error)
            statuses = []
        texts = [self.normalise(s.correction.question) for s in statuses]
        self._embed_new(texts)
        self.statuses, self._words = statuses, [content_words(text) for text in texts]
        self._matrix = np.stack([self._vectors[question_key(text)] for text in texts]) if texts else np.zeros((0, 0), dtype=np.float32)
        self._seen = seen

    def _embed_new(self, texts: list[str]) -> None:
        """Vectors for questions not seen before: from the build's cache, else embedded and added to it, so a
        process starting with many corrections does not embed them all again."""
        if not self._vectors and self.cache_path.exists():
            with np.load(self.cache_path) as cached:
                self._vectors.update({key: cached[key] for key in cached.files})
        new = [text for text in dict.fromkeys(texts) if question_key(text) not in self._vectors]
        if not new:
            return
        self._vectors.update(zip(map(question_key, new), np.asarray(self.embed_fn(new), dtype=np.float32)))
        try:
            replace_file(self.cache_path, lambda out: np.savez(out, **self._vectors))
        except OSError as error:  # a read-only index still answers; the next process embeds again
            log.warning("Could not cache the corrected questions' vectors in %s: %s", self.cache_path, error)

    def match(self, search_text: str, query_vector) -> CorrectionMatch | None:
        """The most similar correction that asks the same thing as the question (its search text, spelling
        corrected, and that text's vector), applied or not, or None."""
        self.refresh()
        if not self.statuses:
            return None
        similarities = self._matrix @ np.asarray(query_vector, dtype=np.float32)
        words = content_words(search_text)
        focus = self.focus_words(words)
        for at in np.argsort(-similarities, kind="stable"):
            if similarities[at] < self.settings.similarity:
                return None
            corrected = self._words[at]
            tolerance = self.settings.focus_tolerance
            if len(focus - corrected) <= tolerance and len(self.focus_words(corrected) - words) <= tolerance:
                return CorrectionMatch(self.statuses[at], float(similarities[at]))
        return None
