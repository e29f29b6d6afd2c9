"""Calibrate: choose the extractive answerer's weights and coverage threshold on a question set.

Retrieval is run once per question; then every combination in the grid re-scores the sentences and
decides answer-or-decline. A question counts as right when a "decline" question is declined, or an
"answer" question is answered with its first citation in an expected section. Ties go to the setting
nearest the middle of the winning threshold range, so the choice is not balanced on one question.
Run it on ``evals/calibration.jsonl``, never on the starter set that measures the result.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from guidance.answer import AnswerSettings, ScoredSentence
from guidance.assistant import Assistant
from guidance.followup import retrieval_query
from guidance.retrieve import SectionHit
from guidance.safety import check_question

RANK_WEIGHTS = (0.0, 0.06, 0.12, 0.2, 0.3)
OVERLAP_WEIGHTS = (0.0, 0.15, 0.3, 0.45, 0.6, 0.8)
SECTIONS_CONSIDERED = (3, 5)
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.25, 1.2, 0.01))


@dataclass
class _Case:
    question: str
    behaviour: str
    expected: set[str]
    refused: bool
    vector: np.ndarray | None = None
    hits: list[SectionHit] | None = None


@dataclass
class CalibrationResult:
    settings: AnswerSettings
    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def _qualified(section: str) -> str:
    return section if "#" in section else f"*#{section}"


def _hit(expected: set[str], section_id: str) -> bool:
    return section_id in expected or f"*#{section_id.split('#', 1)[1]}" in expected


def load_cases(path: Path, assistant: Assistant) -> list[_Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        case = _Case(
            question=record["question"],
            behaviour=record["behaviour"],
            expected={_qualified(s) for s in record.get("expected_sections", [])},
            refused=check_question(record["question"]) is not None,
        )
        if not case.refused:
            query = retrieval_query(case.question.strip(), [])
            case.vector = assistant.embed([query])[0]
            case.hits = assistant.extractive.searcher.search(query, case.vector, k=max(SECTIONS_CONSIDERED))
        cases.append(case)
    return cases


def _top(assistant: Assistant, case: _Case, settings: AnswerSettings) -> ScoredSentence | None:
    answerer = assistant.extractive
    answerer.settings = settings
    scored = answerer.score_sentences(case.question, case.vector, case.hits)
    return scored[0] if scored else None


def calibrate(assistant: Assistant, cases: list[_Case]) -> CalibrationResult:
    original = assistant.extractive.settings
    best: tuple[int, float, AnswerSettings] | None = None
    try:
        grid = itertools.product(RANK_WEIGHTS, OVERLAP_WEIGHTS, SECTIONS_CONSIDERED)
        for rank_weight, overlap_weight, sections in grid:
            settings = replace(
                original, section_rank_weight=rank_weight, word_overlap_weight=overlap_weight, sections_considered=sections
            )
            tops = [None if case.refused else _top(assistant, case, settings) for case in cases]
            scores_by_threshold = []
            for threshold in THRESHOLDS:
                correct = 0
                for case, top in zip(cases, tops):
                    answered = top is not None and top.score >= threshold
                    if case.behaviour == "decline":
                        correct += not answered
                    else:
                        section = assistant.index.chunk_by_id[top.sentence.chunk_id].section_id if answered else ""
                        correct += answered and _hit(case.expected, section)
                scores_by_threshold.append(correct)
            top_score = max(scores_by_threshold)
            winners = [t for t, c in zip(THRESHOLDS, scores_by_threshold) if c == top_score]
            threshold = winners[len(winners) // 2]
            margin = len(winners)  # a wider winning range is a safer choice
            if best is None or (top_score, margin) > (best[0], best[1]):
                best = (top_score, margin, replace(settings, coverage_threshold=threshold))
    finally:
        assistant.extractive.settings = original
    return CalibrationResult(settings=best[2], correct=best[0], total=len(cases))
