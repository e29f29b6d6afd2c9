"""Metrics: score each generated answer against its case, then aggregate the scores over the set.

Sections match when they are equal, or when the expected id is unqualified ("3.3") and the cited one has
that section number in any document ("social-media-guidance#3.3"). A question passes when every check
that applies to it passes; ``failed_checks`` says in words which did not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from guidance.citing.citations import quote_in_source
from guidance.evaluation.generate import GeneratedAnswer

DECLINED = ("declined", "not_covered")
# The classes of question the extractive answerer is known to find hard; eval sets tag their cases with them.
FAILURE_CLASSES = ("document_fact", "quote_unit", "single_source", "near_domain", "paraphrase")


@dataclass(frozen=True)
class Metric:
    name: str
    definition: str
    higher_is_better: bool = True
    is_rate: bool = True


METRICS = [
    Metric("pass_rate", "Share of questions that passed every check that applies to them."),
    Metric("hit_rate", "Share of answer questions whose answer cites at least one expected section."),
    Metric("citation_precision", "Mean, over answer questions that cite anything, of the share of cited sections that are expected."),
    Metric("citation_recall", "Mean, over answer questions, of the share of expected sections that the answer cites."),
    Metric("quote_fidelity", "Share of all quotes, in every answer, that appear verbatim (white space aside) in the document they cite."),
    Metric("must_mention_pass_rate", "Share of questions with must-mention patterns whose answer matches every one of them."),
    Metric("must_not_mention_pass_rate", "Share of questions with must-not-mention patterns whose answer matches none of them."),
    Metric("decline_accuracy", "Share of decline questions that the assistant declined or found not covered."),
    Metric("false_decline_rate", "Share of answer questions that the assistant declined or found not covered.", higher_is_better=False),
    Metric("correction_share", "Share of questions answered from an officer's correction rather than by retrieval.",
           higher_is_better=False),
    Metric("latency_p50_ms", "Median time to answer one question, in milliseconds.", higher_is_better=False, is_rate=False),
    Metric("latency_p95_ms", "95th-percentile time to answer one question, in milliseconds.", higher_is_better=False, is_rate=False),
    Metric("answer_words_mean", "Mean length of an answer, in words.", higher_is_better=False, is_rate=False),
    Metric("answered_words_median", "Median length, in words, of the answers that quote the documents (declines left out).",
           higher_is_better=False, is_rate=False),
]
METRIC_BY_NAME = {metric.name: metric for metric in METRICS}


class QuestionScore(BaseModel):
    """How one answer fared; ``None`` marks a check that does not apply to this question."""

    id: str
    question: str
    behaviour: str
    status: str
    answer: str
    expected_sections: list[str]
    cited_sections: list[str]
    section_hit: bool | None
    citation_precision: float | None
    citation_recall: float | None
    quotes: int
    quotes_verbatim: int
    must_mention_pass: bool | None
    must_not_mention_pass: bool | None
    latency_ms: float
    answer_words: int
    failed_checks: list[str]
    from_correction: bool = False  # answered from an officer's correction (guidance/corrections/store.py)
    tags: list[str] = []
    reasons: list[str] = []

    @property
    def passed(self) -> bool:
        return not self.failed_checks


def section_matches(expected: str, cited: str) -> bool:
    return expected == cited or ("#" not in expected and cited.partition("#")[2] == expected)


def score_answer(record: GeneratedAnswer, sources: Mapping[str, str]) -> QuestionScore:
    """Score one answer; ``sources`` maps each document id to its full text, for the verbatim check."""
    case, answer = record.case, record.answer
    expected, cited = case.expected_sections, answer.cited_sections
    expects_answer = case.behaviour == "answer"
    failed: list[str] = []

    declined = answer.status in DECLINED
    if expects_answer and declined:
        failed.append(f"false decline (status {answer.status})")
    if not expects_answer and not declined:
        failed.append("answered instead of declining")

    relevant_cited = [c for c in cited if any(section_matches(e, c) for e in expected)]
    expected_found = [e for e in expected if any(section_matches(e, c) for c in cited)]
    section_hit = bool(relevant_cited) if expects_answer else None
    if section_hit is False:
        failed.append(f"no expected section cited (cited {', '.join(cited) or 'nothing'})")

    unfaithful = [c for c in answer.citations if not quote_in_source(c.quote, sources.get(c.doc_id, ""))]
    failed.extend(f"quote not verbatim in {c.doc_id}#{c.section}: “{c.quote[:60]}”" for c in unfaithful)

    missing = [p for p in case.must_mention if not re.search(p, answer.answer, re.IGNORECASE)]
    forbidden = [p for p in case.must_not_mention if re.search(p, answer.answer, re.IGNORECASE)]
    failed.extend(f"must mention /{p}/" for p in missing)
    failed.extend(f"must not mention /{p}/" for p in forbidden)

    return QuestionScore(
        id=case.id,
        question=case.question,
        behaviour=case.behaviour,
        status=answer.status,
        answer=answer.answer,
        expected_sections=expected,
        cited_sections=cited,
        section_hit=section_hit,
        citation_precision=len(relevant_cited) / len(cited) if expects_answer and cited else None,
        citation_recall=len(expected_found) / len(expected) if expects_answer else None,
        quotes=len(answer.citations),
        quotes_verbatim=len(answer.citations) - len(unfaithful),
        must_mention_pass=not missing if case.must_mention else None,
        must_not_mention_pass=not forbidden if case.must_not_mention else None,
        latency_ms=record.latency_ms,
        answer_words=len(answer.answer.split()),
        failed_checks=failed,
        from_correction=answer.basis == "officer_correction",
        tags=case.tags,
        reasons=answer.reasons,
    )


def score_answers(records: list[GeneratedAnswer], sources: Mapping[str, str]) -> list[QuestionScore]:
    return [score_answer(record, sources) for record in records]


def _mean(values) -> float | None:
    """Mean of the values that apply (``None`` means the check did not apply); for flags, the share true."""
    values = [float(v) for v in values if v is not None]
    return round(float(np.mean(values)), 4) if values else None


def _answered_words_median(scores: list[QuestionScore]) -> float | None:
    """The length goal is about answers a member reads, so a short "not covered" reply does not pull it down."""
    words = [s.answer_words for s in scores if s.status not in DECLINED]
    return float(np.median(words)) if words else None


def aggregate(scores: list[QuestionScore]) -> dict[str, float | int | None]:
    """Counts plus every metric in ``METRICS``; a metric no question could measure is ``None``."""
    answers = [s for s in scores if s.behaviour == "answer"]
    declines = [s for s in scores if s.behaviour == "decline"]
    quotes = sum(s.quotes for s in scores)
    latencies = [s.latency_ms for s in scores]
    return {
        "questions": len(scores),
        "answer_questions": len(answers),
        "decline_questions": len(declines),
        "passed": sum(s.passed for s in scores),
        "pass_rate": _mean(s.passed for s in scores),
        "hit_rate": _mean(s.section_hit for s in answers),
        "citation_precision": _mean(s.citation_precision for s in answers),
        "citation_recall": _mean(s.citation_recall for s in answers),
        "quote_fidelity": round(sum(s.quotes_verbatim for s in scores) / quotes, 4) if quotes else None,
        "must_mention_pass_rate": _mean(s.must_mention_pass for s in scores),
        "must_not_mention_pass_rate": _mean(s.must_not_mention_pass for s in scores),
        "decline_accuracy": _mean(s.status in DECLINED for s in declines),
        "false_decline_rate": _mean(s.status in DECLINED for s in answers),
        "correction_share": _mean(s.from_correction for s in scores),
        "latency_p50_ms": round(float(np.percentile(latencies, 50)), 1) if latencies else None,
        "latency_p95_ms": round(float(np.percentile(latencies, 95)), 1) if latencies else None,
        "answer_words_mean": _mean(s.answer_words for s in scores),
        "answered_words_median": _answered_words_median(scores),
    }


def aggregate_by_tag(scores: list[QuestionScore]) -> dict[str, dict[str, float | int | None]]:
    """``aggregate`` over the questions carrying each tag: the issue's failure classes first, present or not
    (so a set that lacks one shows it), then every other tag the set uses."""
    present = sorted({tag for score in scores for tag in score.tags} - set(FAILURE_CLASSES))
    return {tag: aggregate([s for s in scores if tag in s.tags]) for tag in (*FAILURE_CLASSES, *present)}


def hit_rate_by_section(scores: list[QuestionScore]) -> dict[str, float]:
    """For each expected section, the share of answer questions expecting it whose answer hit."""
    hits: dict[str, list[bool]] = {}
    for score in scores:
        for section in score.expected_sections:
            if score.section_hit is not None:
                hits.setdefault(section, []).append(score.section_hit)
    return {section: sum(flags) / len(flags) for section, flags in sorted(hits.items())}
