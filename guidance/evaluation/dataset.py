"""Dataset: read an eval set from JSONL, CSV or YAML into validated ``EvalCase`` records.

Every row is checked before anything runs; the first bad row raises ``EvalSetError`` naming the file,
the line and the field, so an officer can open the file at that line and mend it.
In CSV, a list column holds either a JSON list (``["3.3", "3.4"]``) or one item per line of the cell.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from guidance.models import NonBlankStr
from ingest.encoding import UndecodableText, decode_bytes
from ingest.yaml_errors import yaml_problem

LIST_FIELDS = ("expected_sections", "must_mention", "must_not_mention", "tags")
SUFFIXES = (".jsonl", ".csv", ".yaml", ".yml")
TAG = re.compile(r"[a-z0-9]+(?:[_-][a-z0-9]+)*")


class EvalSetError(ValueError):
    """An eval set that cannot be used; the message names the file, line and field at fault."""


class EvalCase(BaseModel):
    """One question of an eval set and what a good answer to it looks like."""

    model_config = ConfigDict(extra="forbid")

    id: NonBlankStr
    question: NonBlankStr
    expected_sections: list[str] = []
    behaviour: Literal["answer", "decline"]
    must_mention: list[str] = []
    must_not_mention: list[str] = []
    notes: str = ""
    # Classes of question ("document_fact", "near_domain", …) the report breaks its figures down by.
    tags: list[str] = []

    @field_validator("expected_sections")
    @classmethod
    def _section_ids(cls, sections: list[str]) -> list[str]:
        for section in sections:
            parts = section.split("#")
            if len(parts) > 2 or not all(part.strip() for part in parts):
                raise ValueError(f"{section!r} is not a section id such as '3.3' or 'social-media-guidance#3.3'")
        return sections

    @field_validator("must_mention", "must_not_mention")
    @classmethod
    def _regexes_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"{pattern!r} is not a valid regular expression: {error}") from error
        return patterns

    @field_validator("tags")
    @classmethod
    def _tag_names(cls, tags: list[str]) -> list[str]:
        for tag in tags:
            if not TAG.fullmatch(tag):
                raise ValueError(f"{tag!r} is not a tag: use lower-case words joined by '_' or '-', such as 'document_fact'")
        return list(dict.fromkeys(tags))

    @model_validator(mode="after")
    def _answers_name_a_section(self) -> "EvalCase":
        if self.behaviour == "answer" and not self.expected_sections:
            raise ValueError("expected_sections: an 'answer' case must name at least one section it may cite")
        return self


def load_eval_set(path: str | Path, on_note: Callable[[str], None] = lambda _: None) -> list[EvalCase]:
    """Every case in the file, validated; raises ``EvalSetError`` on the first problem.

    ``on_note`` is told which encoding was assumed when the file is not UTF-8 (Excel's "CSV" is Windows-1252).
    """
    path = Path(path)
    _check_suffix(path.suffix.lower(), str(path))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise EvalSetError(f"{path}: cannot read the eval set: {error.strerror or error}") from error
    text, name = decode_eval_set(data, str(path), on_note)
    return parse_eval_set(text, path.suffix.lower(), name)


def decode_eval_set(data: bytes, name: str, on_note: Callable[[str], None] = lambda _: None) -> tuple[str, str]:
    """The text of an eval set saved by any tool, and the name its messages use, which says the encoding
    when it was not UTF-8."""
    try:
        decoded = decode_bytes(data)
    except UndecodableText as error:
        raise EvalSetError(f"{name}: cannot read the eval set: {error}") from error
    if decoded.note is None:
        return decoded.text, name
    on_note(f"{name} {decoded.note}")
    return decoded.text, f"{name}, {decoded.note}"


def parse_eval_set(text: str, suffix: str, name: str) -> list[EvalCase]:
    """Cases from the text of an eval set (``suffix`` says the format, ``name`` is used in errors)."""
    _check_suffix(suffix, name)
    reader = {".jsonl": _jsonl_rows, ".csv": _csv_rows, ".yaml": _yaml_rows, ".yml": _yaml_rows}[suffix]
    cases: list[EvalCase] = []
    first_line_of: dict[str, int] = {}
    for line, row in reader(text, name):
        case = _validate(row, name, line)
        if case.id in first_line_of:
            raise EvalSetError(f"{name}, line {line}, field 'id': {case.id!r} is already used on line {first_line_of[case.id]}")
        first_line_of[case.id] = line
        cases.append(case)
    if not cases:
        raise EvalSetError(f"{name}: the eval set has no questions")
    return cases


def _check_suffix(suffix: str, name: str) -> None:
    if suffix not in SUFFIXES:
        raise EvalSetError(f"{name}: unsupported eval set format {suffix or '(none)'}; use one of {', '.join(SUFFIXES)}")


def _validate(row: object, name: str, line: int) -> EvalCase:
    if not isinstance(row, dict):
        raise EvalSetError(f"{name}, line {line}: expected an object with fields id, question, behaviour…, got {type(row).__name__}")
    try:
        return EvalCase.model_validate(row)
    except ValidationError as error:
        raise EvalSetError(f"{name}, line {line}, {first_problem(error)}") from error


def first_problem(error: ValidationError) -> str:
    """The first thing pydantic found wrong, as "field 'x': what is wrong"."""
    problem = error.errors()[0]
    field = ".".join(str(part) for part in problem["loc"]) or "(row)"
    return f"field '{field}': {problem['msg'].removeprefix('Value error, ')}"


def _jsonl_rows(text: str, name: str):
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            raise EvalSetError(f"{name}, line {number}: not valid JSON: {error.msg} (column {error.colno})") from error


def _csv_rows(text: str, name: str):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for row in reader:
        # The reader's line number is where the record ends; a record with line breaks in a cell starts earlier.
        line = reader.line_num
        if None in row:
            raise EvalSetError(f"{name}, line {line}: more cells than there are column headings")
        yield line, {key: _csv_cell(key, value, name, line) for key, value in row.items() if value not in (None, "")}


def _csv_cell(key: str, value: str, name: str, line: int):
    if key not in LIST_FIELDS:
        return value
    if value.lstrip().startswith("["):
        try:
            return json.loads(value)
        except json.JSONDecodeError as error:
            raise EvalSetError(f"{name}, line {line}, field '{key}': not a valid JSON list: {error.msg}") from error
    return [item.strip() for item in value.splitlines() if item.strip()]


def _yaml_rows(text: str, name: str):
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        rows = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise EvalSetError(f"{name}: not valid YAML at {yaml_problem(error)}") from error
    if not isinstance(rows, list):
        raise EvalSetError(f"{name}: a YAML eval set must be a list of questions")
    for node, row in zip(root.value, rows):
        yield node.start_mark.line + 1, row


def questions_citing(sections: list[str], evals_dir: Path) -> tuple[dict[str, list[str]], list[str]]:
    """For each section id, the ids of eval questions (every set in ``evals_dir``) whose expected sections name it;
    and what was wrong with each set that could not be read, which is left out rather than stopping the rest."""
    citing: dict[str, list[str]] = {section: [] for section in sections}
    if not evals_dir.is_dir():
        return citing, [f"{evals_dir} is not a folder of eval sets"]
    problems = []
    for path in sorted(p for p in evals_dir.iterdir() if p.suffix.lower() in SUFFIXES):
        try:
            cases = load_eval_set(path)
        except EvalSetError as error:
            problems.append(str(error))
            continue
        for case in cases:
            for section in citing.keys() & set(case.expected_sections):
                citing[section].append(f"{path.stem}:{case.id}")
    return citing, problems
