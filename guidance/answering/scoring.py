"""Scoring: rank the quotable sentences of the retrieved sections for a question, keeping each score's parts.

A sentence's score adds up, each part weighted by ``AnswerSettings``: its meaning's similarity to the question,
its section's similarity, the share of the question's words (weighted by rarity in the corpus) it contains,
and, for a row stating a document fact the question asks about (``guidance.answering.document_facts``) in a document
the search found, ``fact_weight``.
The parts are kept, so an officer can be told why a quote won.

``coverage`` is the answerability check: the share of the question's words, weighted by rarity, that the
quote's whole unit and its heading path contain. A question that shares only its common words ("council",
"meeting") with the best passage is not answered by it, however close the passage's meaning looks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from guidance.answering.calibrated import calibrated_defaults
from guidance.answering.document_facts import FactRows
from guidance.retrieval.search import SectionHit
from ingest.index import StoredIndex
from ingest.words import content_words


FACT_ROWS_CONSIDERED = 12


@dataclass(frozen=True)
@calibrated_defaults
class AnswerSettings:
    """How sentences are scored and when the answerer declines.

    The fields without a default here take theirs from ``calibrated.json``, which ``guidance calibrate
    evals/calibration.jsonl`` writes; the starter and held-out sets are kept out of calibration so that they
    measure the result honestly.
    """

    coverage_threshold: float  # the score below which the best quote is too weak to answer with
    section_rank_weight: float
    section_similarity_weight: float
    word_overlap_weight: float
    fact_weight: float
    min_word_coverage: float  # a quote must contain this share of the question's words (by rarity)
    sections_considered: int
    # how much higher a quote must score for each unit of the question's likeness to unanswered questions
    # (``guidance.answering.likeness``)
    likeness_weight: float
    # A second quote may score this fraction below the best, and the quotes may run to this many words
    # (0.06 and 85 before): the wider choice raised must-mention and hit rate on the tunable sets with citation
    # precision within a point (README, "Officer evals").
    second_quote_margin: float = 0.10
    max_quoted_words: int = 110


@dataclass
class ScoredSentence:
    position: int
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    fact: str = ""  # the document fact it states for this question, e.g. "author"


class SentenceScorer:
    def __init__(self, index: StoredIndex):
        self.index = index
        self.idf: dict[str, float] = index.words.idf
        self.unseen_idf = index.words.unseen_idf
        titles = sorted({title for document in index.documents for title in (document.title, document.citation_title)})
        self.facts = FactRows(index.sentences, index.chunk_by_id, titles)
        self._words: dict[int, frozenset[str]] = {}

    def section_of(self, position: int) -> str:
        return self.index.chunk_by_id[self.index.sentences[position].chunk_id].section_id

    def words(self, position: int) -> frozenset[str]:
        """Content words of a sentence and its heading path, stemmed when first needed, not for the whole corpus."""
        if position not in self._words:
            self._words[position] = content_words(self.index.sentences[position].context)
        return self._words[position]

    def unit(self, position: int) -> range:
        """Positions of the sentences a quote of ``position`` shows (ingest stores a unit's sentences together)."""
        sentence = self.index.sentences[position]
        return range(position - sentence.unit_before, position + sentence.unit_after + 1)

    def unit_text(self, position: int) -> str:
        return " ".join(self.index.sentences[p].text for p in self.unit(position))

    def overlap(self, question_words: frozenset[str], words: frozenset[str]) -> float:
        """Share of the question's words (weighted by rarity in the corpus) that ``words`` contains."""
        weight = lambda word: self.idf.get(word, self.unseen_idf)  # noqa: E731
        total = sum(weight(w) for w in question_words)
        return sum(weight(w) for w in question_words & words) / total if total else 0.0

    def coverage(self, question: str, scored: ScoredSentence) -> float:
        """How much of the question the quote's unit addresses; a row stating the fact asked for does wholly."""
        if scored.fact:
            return 1.0
        unit_words = frozenset().union(*(self.words(p) for p in self.unit(scored.position)))
        return self.overlap(content_words(question), unit_words)

    def nearest(self, positions, query_vector: np.ndarray) -> list[int]:
        """The ``FACT_ROWS_CONSIDERED`` of ``positions`` nearest the question: a corpus of many documents has
        an attributes table in each, and only the closest rows can win."""
        positions = np.fromiter(positions, dtype=np.int64)
        if len(positions) > FACT_ROWS_CONSIDERED:
            similarities = self.index.sentence_vectors[positions] @ query_vector
            positions = positions[np.argsort(-similarities, kind="stable")[:FACT_ROWS_CONSIDERED]]
        return positions.tolist()

    def score(self, question: str, query_vector: np.ndarray, hits: list[SectionHit],
              settings: AnswerSettings) -> list[ScoredSentence]:
        question_words = content_words(question)
        top_fused = max((h.fused for h in hits), default=1.0) or 1.0
        documents = list(dict.fromkeys(hit.section_id.partition("#")[0] for hit in hits))
        facts = self.facts.for_question(question, documents)
        candidates: dict[int, SectionHit | None] = {}
        for hit in hits[: settings.sections_considered]:
            section = self.index.by_section.get(hit.section_id)
            candidates.update((p, hit) for p in (section.positions if section else []))
        hit_by_section = {hit.section_id: hit for hit in hits}
        for position in self.nearest(facts, query_vector):
            candidates.setdefault(position, hit_by_section.get(self.section_of(position)))
        if not candidates:
            return []
        positions = np.fromiter(candidates, dtype=np.int64)
        similarities = self.index.sentence_vectors[positions] @ query_vector
        scored = []
        for position, similarity in zip(positions.tolist(), similarities.tolist()):
            hit = candidates[position]
            parts = {
                "similarity": similarity,
                "section rank": settings.section_rank_weight * (hit.fused / top_fused if hit else 0.0),
                "section similarity": settings.section_similarity_weight * (hit.evidence.get("dense", 0.0) if hit else 0.0),
                "shared words": settings.word_overlap_weight * self.overlap(question_words, self.words(position)),
            }
            if position in facts:
                parts[f"document fact ({facts[position]})"] = settings.fact_weight
            scored.append(ScoredSentence(position, sum(parts.values()), parts, facts.get(position, "")))
        return sorted(scored, key=lambda s: -s.score)


def explain(scored: ScoredSentence, coverage: float) -> str:
    """Why a quote scored what it did, in one line an officer can read."""
    parts = ", ".join(f"{name} {value:.2f}" for name, value in scored.parts.items() if value)
    return f"score {scored.score:.2f} ({parts}); covers {coverage:.0%} of the question's words"
