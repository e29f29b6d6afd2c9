"""Compare: set two run folders side by side — the change in every aggregate metric, and the
questions that regressed (passed in A, fail in B) or improved (failed in A, pass in B).
"""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel

from guidance.evaluation.metrics import METRICS
from guidance.evaluation.report import RunFiles, read_summary


class RunFolderError(ValueError):
    """A folder that is not a finished eval run; the message names the missing file."""


class MetricChange(BaseModel):
    name: str
    before: float | None
    after: float | None
    higher_is_better: bool

    @property
    def delta(self) -> float | None:
        return None if self.before is None or self.after is None else round(self.after - self.before, 4)

    @property
    def delta_shown(self) -> str:
        """The change as a signed number ("+0.05", "-3"), or "" when it cannot be computed."""
        return "" if self.delta is None else f"{self.delta:+g}"

    @property
    def verdict(self) -> str:
        if not self.delta:
            return "same" if self.delta == 0 else "not comparable"
        return "better" if (self.delta > 0) == self.higher_is_better else "worse"


class QuestionChange(BaseModel):
    id: str
    question: str
    failed_checks_before: str
    failed_checks_after: str


class Comparison(BaseModel):
    run_a: str
    run_b: str
    metrics: list[MetricChange]
    regressions: list[QuestionChange]
    improvements: list[QuestionChange]
    only_in_a: list[str]
    only_in_b: list[str]


def _questions(files: RunFiles) -> dict[str, dict[str, str]]:
    with files.questions_csv.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def _read_run(files: RunFiles) -> tuple[dict, dict[str, dict[str, str]]]:
    """A run's aggregate metrics and its questions' rows, or ``RunFolderError`` saying what is wrong with it."""
    if not files.folder.is_dir():
        raise RunFolderError(f"{files.folder} is not a folder: give the folder an eval run wrote")
    for path in (files.aggregate_json, files.questions_csv):
        if not path.is_file():
            raise RunFolderError(f"{files.folder} is not an eval run folder: {path.name} is missing (make one with `guidance eval run`)")
    try:
        return read_summary(files).metrics, _questions(files)
    except (OSError, ValueError, KeyError) as error:  # a file of the run edited by hand, cut short, or not UTF-8
        raise RunFolderError(f"The run in {files.folder} is damaged ({type(error).__name__}: {error}); "
                             "run the set again or compare another run") from error


def compare_runs(run_a: Path, run_b: Path) -> Comparison:
    a, b = RunFiles(Path(run_a)), RunFiles(Path(run_b))
    (metrics_a, questions_a), (metrics_b, questions_b) = _read_run(a), _read_run(b)

    def change(question_id: str) -> QuestionChange:
        before, after = questions_a[question_id], questions_b[question_id]
        return QuestionChange(
            id=question_id, question=after["question"],
            failed_checks_before=before["failed_checks"], failed_checks_after=after["failed_checks"],
        )

    shared = [question_id for question_id in questions_a if question_id in questions_b]
    passed = lambda row: row["passed"] == "True"  # noqa: E731
    return Comparison(
        run_a=str(run_a),
        run_b=str(run_b),
        metrics=[
            MetricChange(name=m.name, before=metrics_a.get(m.name), after=metrics_b.get(m.name), higher_is_better=m.higher_is_better)
            for m in METRICS
        ],
        regressions=[change(q) for q in shared if passed(questions_a[q]) and not passed(questions_b[q])],
        improvements=[change(q) for q in shared if not passed(questions_a[q]) and passed(questions_b[q])],
        only_in_a=[q for q in questions_a if q not in questions_b],
        only_in_b=[q for q in questions_b if q not in questions_a],
    )
