"""Compare: set two run folders side by side — the change in every aggregate metric, and the
questions that regressed (passed in A, fail in B) or improved (failed in A, pass in B). Questions are matched by
id; runs whose ids ask different questions, or share none, are of different eval sets, and the comparison warns.
"""

from __future__ import annotations

import csv
from pathlib import Path

from pydantic import BaseModel, ValidationError

from guidance.evaluation.dataset import first_problem
from guidance.evaluation.metrics import METRICS
from guidance.evaluation.report import RunFiles, RunSummary, read_summary


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
    warnings: list[str] = []  # e.g. that the runs are of different eval sets


# The columns of questions.csv that comparing reads; a file without them is not one a run wrote.
COMPARED_COLUMNS = ("id", "question", "passed", "failed_checks")


def _questions(files: RunFiles) -> dict[str, dict[str, str]]:
    with files.questions_csv.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in COMPARED_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            columns = f"{', '.join(map(repr, missing))} column{'s' if len(missing) > 1 else ''}"
            raise RunFolderError(_damaged(files, f"{files.questions_csv.name} has no {columns}"))
        return {row["id"]: row for row in reader}


def _read_run(files: RunFiles) -> tuple[RunSummary, dict[str, dict[str, str]]]:
    """A run's summary and its questions' rows, or ``RunFolderError`` saying what is wrong with it."""
    try:
        if not files.folder.is_dir():
            raise RunFolderError(f"{files.folder} is not a folder: give the folder an eval run wrote")
        for path in (files.aggregate_json, files.questions_csv):
            if not path.is_file():
                raise RunFolderError(f"{files.folder} is not an eval run folder: {path.name} is missing "
                                     "(make one with `guidance eval run`)")
    except OSError as error:  # e.g. a name too long, which is_dir does not take as "no such folder"
        raise RunFolderError(f"{files.folder} cannot be read as a run folder: {error.strerror or error}") from error
    try:
        summary = read_summary(files)
    except ValidationError as error:  # its own message runs to many lines, with links; the first problem will do
        raise RunFolderError(_damaged(files, f"{files.aggregate_json.name}, {first_problem(error)}")) from error
    except (OSError, ValueError) as error:  # not UTF-8, or unreadable
        raise RunFolderError(_damaged(files, f"{files.aggregate_json.name}: {_described(error)}")) from error
    try:
        return summary, _questions(files)
    except RunFolderError:
        raise
    except (OSError, ValueError, csv.Error) as error:  # edited by hand, cut short, or not UTF-8
        raise RunFolderError(_damaged(files, f"{files.questions_csv.name}: {_described(error)}")) from error


def _described(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


def _damaged(files: RunFiles, problem: str) -> str:
    return f"The run in {files.folder} is damaged ({problem}); run the set again or compare another run"


def _different_sets(a: RunSummary, b: RunSummary, questions_a: dict, questions_b: dict, shared: list[str]) -> list[str]:
    """Why the runs look like runs of different eval sets, whose questions matched by id are not the same questions."""
    sets = f"{a.eval_set} and {b.eval_set}"
    if questions_a and questions_b and not shared:
        return [f"The runs share no question id, so they are runs of different eval sets ({sets}); "
                "only their aggregate metrics are compared."]
    asked_otherwise = [q for q in shared if questions_a[q]["question"] != questions_b[q]["question"]]
    if not asked_otherwise:
        return []
    shown = ", ".join(asked_otherwise[:5]) + (" …" if len(asked_otherwise) > 5 else "")
    return [f"{len(asked_otherwise)} of the {len(shared)} question ids the runs share ask a different question in each "
            f"({shown}), so these are runs of different eval sets or versions of one ({sets}); a change in those "
            "questions may be the question's, not the answerer's."]


def compare_runs(run_a: Path, run_b: Path) -> Comparison:
    a, b = RunFiles(Path(run_a)), RunFiles(Path(run_b))
    (summary_a, questions_a), (summary_b, questions_b) = _read_run(a), _read_run(b)
    metrics_a, metrics_b = summary_a.metrics, summary_b.metrics

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
        warnings=_different_sets(summary_a, summary_b, questions_a, questions_b, shared),
    )
