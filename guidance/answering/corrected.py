"""Corrected answering: the extractive answer, unless an officer's correction answers the question.

``guidance.corrections.match`` decides whether a question asks the same thing as one an officer corrected; when
the correction still applies, the answer cites the officer's section first, quoting the officer's sentence or the
section's sentence that best answers the question. A correction that matched but no longer applies (its section
changed) is noted on the extractive answer instead.
"""

from __future__ import annotations

from guidance.answering.answerer import PreparedQuestion
from guidance.answering.extractive import ExtractiveAnswerer
from guidance.answering.stream import AnswerStream
from guidance.citing.citations import format_quote
from guidance.corrections.match import CorrectionMatch, CorrectionMatcher
from guidance.models import Answer
from guidance.retrieval.search import SectionHit

OFFICER_CONFIRMED = "An officer confirmed this section for a similar question"


class CorrectingAnswerer:
    """An ``Answerer``: the extractive answer, unless an officer's correction answers the question."""

    def __init__(self, matcher: CorrectionMatcher, extractive: ExtractiveAnswerer):
        self.matcher = matcher
        self.extractive = extractive

    def stream(self, prepared: PreparedQuestion) -> AnswerStream:
        return AnswerStream.of(self.answer(prepared))

    def answer(self, prepared: PreparedQuestion) -> Answer:
        """The officer's answer when a correction applies; else the extractive one, noting a correction that
        matched but no longer applies."""
        match = self.matcher.match(prepared.search_text, prepared.query_vector)
        if match and match.status.applies:
            return self.officers_answer(match, prepared)
        answer = self.extractive.answer(prepared)
        answer.notes.extend([match.withheld_note] if match else [])
        return answer

    def officers_answer(self, match: CorrectionMatch, prepared: PreparedQuestion) -> Answer:
        """The answer an officer's correction gives: its section cited first, quoting the officer's sentence
        when given, else the section's sentence that best answers the question."""
        extractive = self.extractive
        correction = match.status.correction
        if correction.quote:
            citation = self.matcher.book.library.citation(correction.section, correction.quote)
        else:
            hits = [SectionHit(correction.section, fused=1.0)]
            best = extractive.score_sentences(prepared.search_text, prepared.query_vector, hits)[0]
            citation = extractive.citation(best)
        lines = [f"{OFFICER_CONFIRMED} (“{correction.question}”).", extractive.lead(citation), f"• {format_quote(citation)}"]
        signpost = extractive.signpost()
        if signpost and extractive.warns(citation) and extractive.signpost_quote(signpost) != citation.quote:
            lines.append(f"If you are unsure, ask first: {extractive.signpost_text(signpost)}")
        lines.append(extractive.sources_line([citation]))
        return Answer(question=prepared.question, status="answered", answer="\n".join(lines), citations=[citation],
                      basis="officer_correction", correction_id=correction.id)
