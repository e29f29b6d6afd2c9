"""Calibrate: choose the extractive answerer's weights, document-fact weight, word-coverage floor and
coverage threshold on a question set.

Retrieval is run once per question; then every combination in the grid re-scores the sentences and
decides answer-or-decline as the answerer does (the first of its best quotes that states the kind of thing
asked for and covers enough of the question's words, if it scores above the threshold). A question counts as
right when a "decline" question is declined, or an "answer" question is answered with its first quote from an
expected section and saying what the case says it must (``must_mention``): the right section quoted by a
sentence that does not answer is not right. Settings declining more than 5% of the answer questions are not
considered. A question's likeness to unanswered questions (``guidance.answering.likeness``) is measured against
the labelled questions asked of other indexes only, as it would be on documents no question was asked of.
``write_calibration`` saves the settings and the labelled questions for answering to load.
Ties go to the setting nearest the middle of the winning threshold range, so the choice is not
balanced on one question.
Run it on ``evals/calibration.jsonl``, never on the starter set that measures the result.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from guidance.answering.calibrated import write_calibrated
from guidance.answering.extractive import QUOTES_CHECKED
from guidance.answering.assistant import Assistant
from guidance.answering.likeness import labelled_path, likeness_values, write_labelled
from guidance.evaluation.dataset import EvalCase, EvalSetError, load_eval_set
from guidance.evaluation.run import check_sections_exist
from guidance.evaluation.metrics import section_matches
from guidance.retrieval.search import SectionHit
from guidance.answering.safety import check_question
from guidance.answering.scoring import AnswerSettings, ScoredSentence

RANK_WEIGHTS = (0.0, 0.2)
SIMILARITY_WEIGHTS = (0.0, 1.0, 2.0, 3.0, 4.0)
OVERLAP_WEIGHTS = (0.0, 0.3, 0.45, 0.6, 0.8, 1.0)
FACT_WEIGHTS = (0.0, 0.5, 1.0, 2.0)
SECTIONS_CONSIDERED = (3, 5)
WORD_COVERAGES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
LIKENESS_WEIGHTS = (0.0, 1.0, 2.0, 4.0, 8.0, 16.0)
MAX_FALSE_DECLINES = 0.05
THRESHOLDS = np.round(np.arange(0.25, 6.0, 0.01), 2)
# The AnswerSettings fields the grid above searches: what `guidance calibrate` writes to calibrated.json.
CALIBRATED_FIELDS = ["section_rank_weight", "section_similarity_weight", "word_overlap_weight", "fact_weight",
                     "sections_considered", "min_word_coverage", "coverage_threshold", "likeness_weight"]


@dataclass
class _Case:
    """An eval case with its retrieval done once (none for a question the safety rules refuse or the answerer
    declines outright, whatever the settings)."""

    case: EvalCase
    assistant: Assistant  # over the index the case's set is asked of
    refused: bool
    search_text: str = ""
    vector: np.ndarray | None = None
    hits: list[SectionHit] | None = None
    _says: dict[int, bool] = field(default_factory=dict, repr=False)  # by sentence position

    def says_what_it_must(self, scored: ScoredSentence) -> bool:
        """Whether an answer quoting ``scored`` first matches every ``must_mention`` pattern (by position: the
        grid's settings rank the same sentences in different orders)."""
        if scored.position not in self._says:
            shown = self.assistant.extractive.quoted_text(scored)
            self._says[scored.position] = all(re.search(p, shown, re.IGNORECASE) for p in self.case.must_mention)
        return self._says[scored.position]


@dataclass
class CalibrationResult:
    settings: AnswerSettings
    answer_right_rate: float
    decline_rate: float

    @property
    def balanced_accuracy(self) -> float:
        return (self.answer_right_rate + self.decline_rate) / 2


def load_cases(path: Path, assistant: Assistant) -> list[_Case]:
    """The eval set (validated like ``guidance eval``, its expected sections checked against the index), each
    question retrieved for once."""
    eval_cases = load_eval_set(path)
    check_sections_exist(eval_cases, assistant.index, str(path))
    return prepare_cases(eval_cases, assistant)


def check_both_kinds(cases: list[_Case]) -> None:
    """Refuse, with ``EvalSetError``, sets that cannot choose a threshold: one needs questions to answer and
    questions to decline, or every setting scores alike and the file written would say nothing."""
    behaviours = {case.case.behaviour for case in cases}
    for behaviour in ("answer", "decline"):
        if behaviour not in behaviours:
            raise EvalSetError(f"The sets have no question to {behaviour}; calibration needs both kinds "
                               "(the calibration sets in evals/ have both).")


def prepare_cases(eval_cases: list[EvalCase], assistant: Assistant) -> list[_Case]:
    """Eval cases asked of ``assistant``'s index, each question retrieved for once."""
    cases = []
    for case in eval_cases:
        calibration_case = _Case(case=case, assistant=assistant, refused=check_question(case.question) is not None)
        if not calibration_case.refused:
            prepared = assistant.prepare(case.question, [])
            calibration_case.search_text, calibration_case.vector = prepared.search_text, prepared.query_vector
            # Declined whatever the settings, as the answerer does (a fact of a document that is not loaded).
            calibration_case.refused = assistant.extractive.outright_decline(case.question, prepared.search_text) is not None
        if not calibration_case.refused:
            calibration_case.hits = assistant.extractive.searcher.search(
                calibration_case.search_text, calibration_case.vector, k=max(SECTIONS_CONSIDERED)
            )
        cases.append(calibration_case)
    return cases


def _candidates(case: _Case, settings: AnswerSettings) -> tuple[np.ndarray, np.ndarray, list[bool]]:
    """The best ``QUOTES_CHECKED`` quotes' scores and word coverages, as the answerer sees them, and whether
    each, quoted first, would be a right answer: from an expected section, saying what it must."""
    answerer = case.assistant.extractive
    scorer = answerer.scorer
    scored = [] if case.refused else scorer.score(case.search_text, case.vector, case.hits, settings)[:QUOTES_CHECKED]
    # A quote lacking the kind of thing asked for (a time, a figure) never answers; coverage -1 says so.
    coverages = [scorer.coverage(case.search_text, s) if answerer.addresses(case.search_text, s) else -1.0 for s in scored]
    expected = case.case.expected_sections
    right = [any(section_matches(e, scorer.section_of(s.position)) for e in expected) and case.says_what_it_must(s)
             for s in scored] if expected else [False] * len(scored)
    return np.array([s.score for s in scored]), np.array(coverages), right


def _likeness(cases: list[_Case]) -> np.ndarray:
    """Each case's likeness to unanswered questions among the cases asked of other indexes (0 for a refused one)."""
    asked = [i for i, case in enumerate(cases) if not case.refused]
    values = np.zeros(len(cases))
    if asked:
        vectors = np.stack([cases[i].vector for i in asked])
        similarities = vectors @ vectors.T
        asked_of = np.array([id(cases[i].assistant) for i in asked])  # one Assistant per index
        same_index = asked_of[:, None] == asked_of[None, :]
        declined = np.array([cases[i].case.behaviour == "decline" for i in asked])
        values[asked] = likeness_values(np.where(same_index, np.nan, similarities), declined)
    return values


def _rates(cases: list[_Case], candidates: list, coverage: float,
           shifts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every threshold: (share of answer questions answered rightly, share of decline questions declined,
    share of answer questions declined), choosing each case's quote as ``ExtractiveAnswerer.choose_quotes`` does,
    each case needing its ``shifts`` more than the threshold."""
    rightly = np.zeros(len(THRESHOLDS))
    declines = np.zeros(len(THRESHOLDS))
    false_declines = np.zeros(len(THRESHOLDS))
    answerable = 0
    for case, (scores, coverages, right), shift in zip(cases, candidates, shifts):
        # Scores fall down the list, so the first quote with enough coverage is the chosen one at any
        # threshold it reaches; at lower thresholds nothing is chosen.
        passing = np.flatnonzero(coverages >= coverage)
        answered = THRESHOLDS + shift <= scores[passing[0]] if len(passing) else np.zeros(len(THRESHOLDS), bool)
        if case.case.behaviour == "decline":
            declines += ~answered
        else:
            answerable += 1
            false_declines += ~answered
            if len(passing) and right[passing[0]]:
                rightly += answered
    return (rightly / max(answerable, 1), declines / max(len(cases) - answerable, 1),
            false_declines / max(answerable, 1))


def calibrate(cases: list[_Case]) -> CalibrationResult:
    """Maximise balanced accuracy, so the fewer decline questions weigh as much as the answer questions,
    among the settings that decline at most ``MAX_FALSE_DECLINES`` of the answer questions. The cases may come
    from several sets, each asked of its own index: one setting is chosen for them all. The scoring weights are
    chosen first, with no likeness; then the likeness weight, with its threshold and coverage floor, for those
    weights, so that a question's likeness to unanswered ones changes whether it is answered, never which
    passage answers it."""
    original = cases[0].assistant.extractive.settings  # the fields the grid leaves alone keep their values
    grid = itertools.product(RANK_WEIGHTS, SIMILARITY_WEIGHTS, OVERLAP_WEIGHTS, FACT_WEIGHTS, SECTIONS_CONSIDERED)
    weighed = [replace(original, section_rank_weight=rank, section_similarity_weight=similarity,
                       word_overlap_weight=overlap, fact_weight=fact, sections_considered=sections)
               for rank, similarity, overlap, fact, sections in grid]
    scoring = _best(cases, weighed, (0.0,), np.zeros(len(cases)))
    return _best(cases, [scoring.settings], LIKENESS_WEIGHTS, _likeness(cases))


def _best(cases: list[_Case], weighed: list[AnswerSettings], likeness_weights: tuple[float, ...],
          likeness: np.ndarray) -> CalibrationResult:
    """The best of ``weighed`` with each word-coverage floor, likeness weight and threshold."""
    best: tuple[float, float, CalibrationResult] | None = None
    for settings in weighed:
        candidates = [_candidates(case, settings) for case in cases]
        # A wider winning range of thresholds is a safer choice; measured relative to the score's scale,
        # or scaling every weight up would always look safer.
        scale = 1 + settings.section_rank_weight + settings.section_similarity_weight + settings.word_overlap_weight
        for coverage, likeness_weight in itertools.product(WORD_COVERAGES, likeness_weights):
            shifts = likeness_weight * likeness
            right_rates, decline_rates, false_decline_rates = _rates(cases, candidates, coverage, shifts)
            # A member who is refused an answer the documents hold is failed too: settings that decline
            # more than MAX_FALSE_DECLINES of the answer questions are not considered.
            balanced = np.where(false_decline_rates <= MAX_FALSE_DECLINES, (right_rates + decline_rates) / 2, -1.0)
            top_score = float(balanced.max())
            winners = np.flatnonzero(balanced == top_score)
            margin = len(winners) / scale
            if best is None or (top_score, margin) > best[:2]:
                middle = int(winners[len(winners) // 2])
                chosen = replace(settings, coverage_threshold=float(THRESHOLDS[middle]), min_word_coverage=coverage,
                                 likeness_weight=likeness_weight)
                best = (top_score, margin, CalibrationResult(chosen, float(right_rates[middle]), float(decline_rates[middle])))
    return best[2]


def write_calibration(result: CalibrationResult, cases: list[_Case], path: Path) -> Path:
    """Write the chosen settings to ``path`` and the questions they were chosen on, labelled, beside it."""
    asked = [(c.case.question, c.case.behaviour == "decline") for c in cases if not c.refused]
    write_labelled(asked, labelled_path(path))
    return write_calibrated(result.settings, CALIBRATED_FIELDS, path)
