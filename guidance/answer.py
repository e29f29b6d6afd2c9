"""Answer: the default extractive answerer. It quotes the guidance verbatim, with no language model.

From the top retrieved sections it scores every sentence against the question (its meaning, its section's
meaning, and shared words weighted by rarity), quotes the best one or two, and composes a short answer in a fixed
shape: a lead in the guidance's own terms (a "Don't" is never presented as advice), the quoted rules
with their citations, and, where the guidance warns, who to ask. When the best sentence is too weak,
it says the documents do not cover the question instead of guessing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from guidance.calibrated import calibrated_defaults
from guidance.cite import citation_for, format_quote
from guidance.models import Answer, Citation
from guidance.retrieve import HybridSearcher, SectionHit
from ingest.chunks import Sentence
from ingest.index import StoredIndex
from ingest.words import content_words, unseen_word_idf


@dataclass(frozen=True)
@calibrated_defaults
class AnswerSettings:
    """How sentences are scored and when the answerer declines.

    The fields without a default here take theirs from ``calibrated.json``, which ``guidance calibrate
    evals/calibration.jsonl`` writes (balanced accuracy 77%: 71% of its answer questions hit with their
    first citation, 83% of its decline questions declined); the starter set is kept out of calibration so
    that it measures the result honestly.
    """

    coverage_threshold: float
    section_rank_weight: float
    section_similarity_weight: float
    word_overlap_weight: float
    second_quote_margin: float = 0.06  # a second quote may score this fraction below the best
    max_quoted_words: int = 85
    sections_considered: int


PROHIBITION = re.compile(r"\b(do not|don't|don’t|should not|must not|never|cannot|is a breach)\b", re.I)
CODE_OF_CONDUCT_QUESTION = re.compile(r"code of conduct", re.I)
# Matters only a Code of Conduct settles; guidance on social media would be a guess at them.
CODE_ONLY_TOPIC = re.compile(
    r"\b(declar\w*|register\w*)\b.{0,40}\binterests?\b|\bpecuniary\b|\bgifts?\b|\bhospitality\b"
    r"|\bdispensation\b|\bstandards committee\b|\bcomplain\w*\b.{0,40}\b(councillor|member|code)\b",
    re.I,
)
HELP_QUERY = "who is happy to help members with additional guidance and advice"
# Councils title their signposting section in a few familiar ways; the guidance's is "6.0 Further guidance".
HELP_SECTION_TITLE = re.compile(r"\b(further (guidance|information|advice)|contacts?|help|advice and support)\b", re.I)


@dataclass
class ScoredSentence:
    sentence: Sentence
    score: float


class ExtractiveAnswerer:
    def __init__(self, index: StoredIndex, searcher: HybridSearcher, settings: AnswerSettings = AnswerSettings()):
        self.index = index
        self.searcher = searcher
        self.settings = settings
        self.sentences_by_section: dict[str, list[int]] = defaultdict(list)
        for chunk in index.chunks:
            self.sentences_by_section[chunk.section_id].extend(index.sentence_positions[chunk.chunk_id])
        self.idf: dict[str, float] = index.words["idf"]
        self.unseen_idf = unseen_word_idf(index.words["sentence_count"])
        self._sentence_words: dict[int, frozenset[str]] = {}
        self.has_code_of_conduct = any(d.get("kind") == "code_of_conduct" for d in index.documents)
        self._signpost: ScoredSentence | None | bool = False

    def signpost(self, embed_fn) -> ScoredSentence | None:
        """The corpus's own sentence about who helps members (the guidance's §6.0), found once by search."""
        if self._signpost is False:
            vector = embed_fn([HELP_QUERY])[0]
            titled = {c.section_id for c in self.index.chunks if HELP_SECTION_TITLE.search(c.section_title)}
            hits = [SectionHit(section_id, fused=1.0) for section_id in sorted(titled)]
            scored = self.score_sentences(HELP_QUERY, vector, hits or self.searcher.search(HELP_QUERY, vector))
            self._signpost = scored[0] if scored and scored[0].score >= self.settings.coverage_threshold else None
        return self._signpost

    def sentence_words(self, position: int) -> frozenset[str]:
        """Content words of a candidate sentence, stemmed when first needed rather than for the whole corpus."""
        if position not in self._sentence_words:
            self._sentence_words[position] = content_words(self.index.sentences[position].context)
        return self._sentence_words[position]

    def word_overlap(self, question_words: set[str], sentence_words: set[str]) -> float:
        """Share of the question's words (weighted by rarity in the corpus) that the sentence contains."""
        weight = lambda word: self.idf.get(word, self.unseen_idf)  # noqa: E731
        total = sum(weight(w) for w in question_words)
        return sum(weight(w) for w in question_words & sentence_words) / total if total else 0.0

    def score_sentences(self, question: str, query_vector: np.ndarray, hits: list[SectionHit]) -> list[ScoredSentence]:
        settings = self.settings
        question_words = content_words(question)
        top_fused = max((h.fused for h in hits), default=1.0) or 1.0
        scored = []
        for hit in hits[: settings.sections_considered]:
            positions = self.sentences_by_section[hit.section_id]
            similarities = self.index.sentence_vectors[positions] @ query_vector
            for position, similarity in zip(positions, similarities):
                overlap = self.word_overlap(question_words, self.sentence_words(position))
                score = (
                    float(similarity)
                    + settings.section_rank_weight * hit.fused / top_fused
                    + settings.section_similarity_weight * hit.evidence.get("dense", 0.0)
                    + settings.word_overlap_weight * overlap
                )
                scored.append(ScoredSentence(self.index.sentences[position], score))
        return sorted(scored, key=lambda s: -s.score)

    def choose_quotes(self, scored: list[ScoredSentence]) -> list[ScoredSentence]:
        """The best sentence, and one close behind it that fits the word budget; from another document
        when there is one, so an answer resting on two documents (guidance and Code) cites both."""
        best = scored[0]
        budget = self.settings.max_quoted_words - len(best.sentence.text.split())
        close = [
            candidate
            for candidate in scored[1:]
            if candidate.score >= best.score * (1 - self.settings.second_quote_margin)
            and len(candidate.sentence.text.split()) <= budget
            and candidate.sentence.text != best.sentence.text
        ]
        if not close:
            return [best]
        document = lambda s: self.index.chunk_by_id[s.sentence.chunk_id].doc_id  # noqa: E731
        from_another_document = [candidate for candidate in close if document(candidate) != document(best)]
        return [best, (from_another_document or close)[0]]

    def answer(self, question: str, query_vector: np.ndarray, retrieval_query: str, embed_fn) -> Answer:
        if CODE_ONLY_TOPIC.search(question) and not self.has_code_of_conduct:
            return self.not_covered(question, embed_fn, needs_code=True)
        hits = self.searcher.search(retrieval_query, query_vector, k=self.settings.sections_considered)
        scored = self.score_sentences(retrieval_query, query_vector, hits)
        if not scored or scored[0].score < self.settings.coverage_threshold:
            return self.not_covered(question, embed_fn)
        citations = [citation_for(self.index.chunk_by_id[s.sentence.chunk_id], s.sentence) for s in self.choose_quotes(scored)]
        lines = [self.lead(citations[0])] + [f"• {format_quote(c)}" for c in citations]
        notes = []
        signpost = self.signpost(embed_fn)
        if signpost and self.warns(citations[0]) and signpost.sentence.text not in {c.quote for c in citations}:
            lines.append(f"If you are unsure, ask first: {self.signpost_text(signpost)}")
        if CODE_OF_CONDUCT_QUESTION.search(question) and not self.has_code_of_conduct:
            notes.append(self.code_not_loaded_note(citations[0]))
        lines.append(self.sources_line(citations))
        return Answer(question=question, status="answered", answer="\n".join(lines + notes), citations=citations, notes=notes)

    @staticmethod
    def warns(citation: Citation) -> bool:
        return citation.label == "Don't" or bool(PROHIBITION.search(citation.quote))

    def lead(self, citation: Citation) -> str:
        """One line in the guidance's own terms; each quote below carries its own reference."""
        if citation.label == "Don't":
            return f"The {citation.doc_title} lists this among the things not to do:"
        if citation.label == "Do":
            return f"The {citation.doc_title} recommends this:"
        if PROHIBITION.search(citation.quote):
            return f"The {citation.doc_title} warns against this:"
        return f"The {citation.doc_title} says:"

    @staticmethod
    def edition(citation: Citation) -> str:
        """The cited document with its version and date, e.g. "Social Media Guidance (version 1.0, 6 September 2017)"."""
        stamp = ", ".join(filter(None, [f"version {citation.doc_version}" if citation.doc_version else "", citation.doc_date]))
        return f"{citation.doc_title} ({stamp})" if stamp else citation.doc_title

    def sources_line(self, citations: list[Citation]) -> str:
        """Which edition of each cited document the answer rests on, so a superseded one is noticed."""
        return "Source: " + "; ".join(dict.fromkeys(self.edition(c) for c in citations)) + "."

    def signpost_text(self, signpost: ScoredSentence) -> str:
        chunk = self.index.chunk_by_id[signpost.sentence.chunk_id]
        return f"“{signpost.sentence.text}” ({chunk.doc_title} {chunk.heading})"

    def code_not_loaded_note(self, citation: Citation) -> str:
        return (
            f"Note: the Members' Code of Conduct itself is not loaded here. This answer rests on the "
            f"{self.edition(citation)}, which refers to the Code as it stood then; ask the Monitoring Officer for "
            "the current Code."
        )

    def not_covered(self, question: str, embed_fn, needs_code: bool = False) -> Answer:
        titles = " and ".join(sorted({d["citation_title"] for d in self.index.documents}))
        if needs_code or CODE_OF_CONDUCT_QUESTION.search(question) and not self.has_code_of_conduct:
            text = (
                "This needs the Members' Code of Conduct, which is not loaded here, so I cannot answer it from the "
                f"documents I have ({titles})."
            )
        else:
            text = f"The documents loaded here ({titles}) do not cover this, so I will not guess."
        signpost = self.signpost(embed_fn)
        if signpost:
            text += f" For help, {self.signpost_text(signpost)}"
        return Answer(question=question, status="not_covered", answer=text)
