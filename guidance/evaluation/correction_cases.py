"""Correction cases: officers' corrections (``guidance/corrections/store.py``) as eval cases, in JSONL or CSV.

Each correction becomes an ``answer`` case whose ``expected_sections`` is the section the officer chose, so an
eval set can hold the assistant to every fix officers have made, and show when it needs the fix to pass.
"""

from __future__ import annotations

import csv
import io
import json

from guidance.corrections.store import Correction
from guidance.evaluation.dataset import LIST_FIELDS, EvalCase
from guidance.evaluation.spreadsheet import safe_row

EXPORT_SUFFIXES = (".jsonl", ".csv")


def correction_case(correction: Correction) -> EvalCase:
    note = f" Note: {correction.note}" if correction.note else ""
    return EvalCase(
        id=f"correction-{correction.id}",
        question=correction.question,
        expected_sections=[correction.section],
        behaviour="answer",
        notes=f"Officer correction {correction.id} by {correction.officer} on {correction.created[:10]}.{note}",
    )


def cases_text(corrections: list[Correction], suffix: str) -> str:
    """The corrections as an eval set in the format of ``suffix`` (".jsonl" or ".csv")."""
    cases = [correction_case(c).model_dump() for c in corrections]
    if suffix == ".jsonl":
        return "".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases)
    if suffix != ".csv":
        raise ValueError(f"Corrections export as {' or '.join(EXPORT_SUFFIXES)}, not {suffix or 'a file without a suffix'}.")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(EvalCase.model_fields))
    writer.writeheader()
    writer.writerows(safe_row({**case, **{name: json.dumps(case[name]) for name in LIST_FIELDS}}) for case in cases)
    return out.getvalue()
