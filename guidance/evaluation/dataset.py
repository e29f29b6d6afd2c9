"""Dataset: read an eval set from JSONL, CSV or YAML into validated ``EvalCase`` records.

Every row is checked before anything runs; the first bad row raises ``EvalSetError`` naming the file,
the line and the field, so an officer can open the file at that line and mend it.
In CSV, a list column holds either a JSON list (``["3.3", "3.4"]``) or one item per line of the cell; blank
rows (Excel saves them as ``,,,,``) are skipped like blank JSONL lines.
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

from guidance.evaluation.spreadsheet import unguarded
from guidance.models import NonBlankStr
from ingest.encoding import UndecodableText, decode_bytes
from ingest.yaml_errors import yaml_problem

LIST_FIELDS = ("expected_sections", "must_mention", "must_not_mention", "tags")
SUFFIXES = (".jsonl", ".csv", ".yaml", ".yml")
UNION_MEMBERS = {"float", "int", "str", "bool", "none", "list", "dict"}
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
        if repeated := repeated_id(first_line_of, case.id, line):
            raise EvalSetError(f"{name}, line {line}, field 'id': {repeated}")
        cases.append(case)
    if not cases:
        raise EvalSetError(f"{name}: the eval set has no questions")
    return cases


def repeated_id(first_line_of: dict[str, int], case_id: str, line: int) -> str | None:
    """What is wrong when ``case_id`` was already seen (each question is scored once, so a second would count
    twice), else ``None`` and it is remembered as first seen on ``line``."""
    if case_id in first_line_of:
        return f"{case_id!r} is already used on line {first_line_of[case_id]}; give each question its own id"
    first_line_of[case_id] = line
    return None


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
    """The first thing pydantic found wrong, as "field 'x': what is wrong", or just what is wrong when it is the
    whole record (JSON that does not parse, a rule across fields)."""
    problem = error.errors()[0]
    message = problem["msg"].removeprefix("Value error, ")
    # pydantic adds the member of a union it tried ("metrics.hit_rate.float"); that is no field of the file
    field = ".".join(str(part) for part in problem["loc"] if part not in UNION_MEMBERS)
    return f"field '{field}': {message}" if field else message


def _jsonl_rows(text: str, name: str):
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        yield number, _json(line, f"{name}, line {number}: not valid JSON")


def _json(text: str, where: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise EvalSetError(f"{where}: {error.msg} (column {error.colno})") from error
    except RecursionError as error:  # thousands of nested brackets: no question looks like that
        raise EvalSetError(f"{where}: it nests lists or objects too deeply to read") from error


def _csv_rows(text: str, name: str):
    # strict, so that an unclosed quote is an error rather than the rest of the file read as one cell
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    while True:
        line = reader.line_num + 1  # where the next record starts; a cell may hold line breaks
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise EvalSetError(_csv_problem(error, name, line)) from error
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, or a row Excel saved as ",,,,"
        if header is None:
            header = _csv_header(cells, name, line)
            continue
        if any(cell.strip() for cell in cells[len(header):]):
            raise EvalSetError(f"{name}, line {line}: more cells than there are column headings")
        yield line, _csv_row(header, cells, name, line)


def _csv_header(cells: list[str], name: str, line: int) -> list[str]:
    header = [cell.strip() for cell in cells]
    if len(header) == 1:
        for separator, called in ((";", "semicolons"), ("\t", "tabs")):
            if separator in header[0]:
                raise EvalSetError(
                    f"{name}, line {line}: the header has one column ({header[0]!r}): is it separated by {called}? "
                    "Save it as comma-separated CSV (in Excel, \"CSV UTF-8 (Comma delimited)\")")
    named = [heading for heading in header if heading]
    for heading in named:
        if named.count(heading) > 1:  # else the later column's cells would silently replace the earlier's
            raise EvalSetError(f"{name}, line {line}: the column heading {heading!r} appears twice; "
                               "keep one column of that name")
    return header


def _csv_problem(error: csv.Error, name: str, line: int) -> str:
    if "field larger than field limit" in str(error):  # where an unclosed quote ends up in a long file
        return (f"{name}, line {line}: a cell in the row starting here runs past {csv.field_size_limit()} characters, "
                'usually because a quote (") in it is never closed; close the quote, and write a quote inside a '
                'quoted cell twice ("")')
    if "unexpected end of data" in str(error):
        return (f"{name}, line {line}: a quoted cell in the row starting here has an unclosed quote, so the rest "
                'of the file would be read into it; close the quote, and write a quote inside a quoted cell twice ("")')
    return (f"{name}, line {line}: not valid CSV ({error}); a cell that starts with a quote must end with one, and a "
            'quote inside it is written twice ("")')


def _csv_row(header: list[str], cells: list[str], name: str, line: int) -> dict:
    row = {}
    for key, value in zip(header, cells):
        if not key and value.strip():
            raise EvalSetError(f"{name}, line {line}: a cell holds {value!r} under a column with no heading; "
                               "give the column a heading or empty the cell")
        if key and value != "":
            row[key] = _csv_cell(key, unguarded(value), name, line)
    return row


def _csv_cell(key: str, value: str, name: str, line: int):
    if key not in LIST_FIELDS:
        return value
    if value.lstrip().startswith("["):
        return _json(value, f"{name}, line {line}, field '{key}': not a valid JSON list")
    return [item.strip() for item in value.splitlines() if item.strip()]


def _yaml_rows(text: str, name: str):
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        rows = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise EvalSetError(f"{name}: not valid YAML at {yaml_problem(error)}") from error
    except RecursionError as error:
        raise EvalSetError(f"{name}: not valid YAML: it nests lists or mappings too deeply to read") from error
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
