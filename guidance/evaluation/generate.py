"""Generate: ask an answerer every question of an eval set and keep each case with its answer.

The answers file (JSONL, one ``GeneratedAnswer`` per line) is the hand-over to scoring, so a run can be
re-scored with changed metrics or expectations without answering again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ValidationError

from guidance.evaluation.dataset import EvalCase, first_problem, repeated_id
from guidance.models import Answer
from guidance.timing import elapsed_ms


class Askable(Protocol):
    """Anything that answers a question asked: the real ``Assistant``, or a baseline to compare it with."""

    def ask(self, question: str) -> Answer: ...


@runtime_checkable
class SelfDescribing(Protocol):
    """An answerer that can say what it answers with, for the run's config.json (the ``Assistant`` does)."""

    def described(self) -> dict: ...


class GeneratedAnswer(BaseModel):
    """One question of the set, the answer it got, and how long the answerer took (wall clock)."""

    case: EvalCase
    answer: Answer
    latency_ms: float


class AnswersFileError(ValueError):
    """An answers file that cannot be scored; the message names the file and line."""


def generate_answers(
    cases: list[EvalCase], answerer: Askable, on_answer: Callable[[GeneratedAnswer], None] | None = None
) -> list[GeneratedAnswer]:
    """Ask every question in order; ``on_answer`` is called after each one (for progress bars)."""
    generated = []
    for case in cases:
        started = time.perf_counter()
        answer = answerer.ask(case.question)
        record = GeneratedAnswer(case=case, answer=answer, latency_ms=elapsed_ms(started))
        generated.append(record)
        if on_answer:
            on_answer(record)
    return generated


def write_answers(path: Path, generated: Iterable[GeneratedAnswer]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(record.model_dump_json() + "\n" for record in generated), encoding="utf-8")
    return path


def read_answers(path: Path) -> list[GeneratedAnswer]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise AnswersFileError(f"{path}: cannot read the answers file: {error}") from error
    records = []
    first_line_of: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = GeneratedAnswer.model_validate_json(line)
        except ValidationError as error:
            raise AnswersFileError(f"{path}, line {number}, {first_problem(error)}") from error
        if repeated := repeated_id(first_line_of, record.case.id, number):
            raise AnswersFileError(f"{path}, line {number}, field 'case.id': {repeated}")
        records.append(record)
    if not records:
        raise AnswersFileError(f"{path}: the answers file has no answers")
    return records
