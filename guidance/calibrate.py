"""Calibrate: choose the extractive answerer's weights and coverage threshold on a question set.

Retrieval is run once per question; then every combination in the grid re-scores the sentences and
decides answer-or-decline. A question counts as right when a "decline" question is declined, or an
"answer" question is answered with its first citation in an expected section. Ties go to the setting
nearest the middle of the winning threshold range, so the choice is not balanced on one question.
Run it on ``evals/calibration.jsonl``, never on the starter set that measures the result.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from guidance.answer import AnswerSettings, ScoredSentence
from guidance.assistant import Assistant
from guidance.evaluation.dataset import EvalCase, load_eval_set
from guidance.evaluation.metrics import section_matches
from guidance.retrieve import SectionHit
from guidance.safety import check_question

RANK_WEIGHTS = (0.0, 0.1, 0.2, 0.4)
SIMILARITY_WEIGHTS = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)
OVERLAP_WEIGHTS = (0.0, 0.15, 0.3, 0.45, 0.6, 0.8, 1.0, 1.3)
SECTIONS_CONSIDERED = (3, 5)
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.25, 6.0, 0.01))
# The AnswerSettings fields the grid above searches: what `guidance calibrate` writes to calibrated.json.
CALIBRATED_FIELDS = ["section_rank_weight", "section_similarity_weight", "word_overlap_weight", "sections_considered",
                     "coverage_threshold"]


@dataclass
class _Case:
    """An eval case with its retrieval done once (none for a question the safety rules refuse)."""

    case: EvalCase
    refused: bool
    vector: np.ndarray | None = None
    hits: list[SectionHit] | None = None


@dataclass
class CalibrationResult:
    settings: AnswerSettings
    answer_hit_rate: float
    decline_rate: float

    @property
    def balanced_accuracy(self) -> float:
        return (self.answer_hit_rate + self.decline_rate) / 2


def load_cases(path: Path, assistant: Assistant) -> list[_Case]:
    """The eval set (validated like ``guidance eval``), each question retrieved for once."""
    cases = []
    for case in load_eval_set(path):
        calibration_case = _Case(case=case, refused=check_question(case.question) is not None)
        if not calibration_case.refused:
            query = assistant.retrieval_text(case.question, [])
            calibration_case.vector = assistant.embed([query])[0]
            calibration_case.hits = assistant.extractive.searcher.search(
                query, calibration_case.vector, k=max(SECTIONS_CONSIDERED)
            )
        cases.append(calibration_case)
    return cases


def _top(assistant: Assistant, case: _Case, settings: AnswerSettings) -> ScoredSentence | None:
    answerer = assistant.extractive
    answerer.settings = settings
    scored = answerer.score_sentences(case.case.question, case.vector, case.hits)
    return scored[0] if scored else None


def _rates(assistant: Assistant, cases: list[_Case], tops: list, threshold: float) -> tuple[float, float]:
    """(share of answer questions answered from an expected section, share of decline questions declined)."""
    hits = declines = answerable = 0
    for case, top in zip(cases, tops):
        answered = top is not None and top.score >= threshold
        if case.case.behaviour == "decline":
            declines += not answered
        else:
            answerable += 1
            cited = assistant.index.chunk_by_id[top.sentence.chunk_id].section_id if answered else ""
            hits += answered and any(section_matches(expected, cited) for expected in case.case.expected_sections)
    return hits / max(answerable, 1), declines / max(len(cases) - answerable, 1)


def calibrate(assistant: Assistant, cases: list[_Case]) -> CalibrationResult:
    """Maximise balanced accuracy, so the fewer decline questions weigh as much as the answer questions."""
    original = assistant.extractive.settings
    best: tuple[float, float, CalibrationResult] | None = None
    try:
        grid = itertools.product(RANK_WEIGHTS, SIMILARITY_WEIGHTS, OVERLAP_WEIGHTS, SECTIONS_CONSIDERED)
        for rank_weight, similarity_weight, overlap_weight, sections in grid:
            settings = replace(
                original,
                section_rank_weight=rank_weight,
                section_similarity_weight=similarity_weight,
                word_overlap_weight=overlap_weight,
                sections_considered=sections,
            )
            tops = [None if case.refused else _top(assistant, case, settings) for case in cases]
            results = [
                CalibrationResult(replace(settings, coverage_threshold=t), *_rates(assistant, cases, tops, t))
                for t in THRESHOLDS
            ]
            top_score = max(r.balanced_accuracy for r in results)
            winners = [r for r in results if r.balanced_accuracy == top_score]
            # A wider winning range of thresholds is a safer choice; measured relative to the score's scale,
            # or scaling every weight up would always look safer.
            scale = 1 + rank_weight + similarity_weight + overlap_weight
            margin = len(winners) / scale
            if best is None or (top_score, margin) > best[:2]:
                best = (top_score, margin, winners[len(winners) // 2])
    finally:
        assistant.extractive.settings = original
    return best[2]
