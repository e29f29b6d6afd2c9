"""Text saved by Windows tools, through the real ``guidance`` command: question files and eval CSVs in
Windows-1252 (as Excel and Notepad save them), UTF-16 and UTF-8 with a BOM are read as written and the
encoding assumed is named; one line that is not text costs only that line of a batch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GUIDANCE = str(Path(sys.executable).parent / "guidance")
QUESTIONS = [
    "Can I accept a £60 bottle of wine from a developer?",
    "Can I tweet that my mind is made up on a planning application?",
    "Members’ allowances – is a £25 voucher a gift?",
]


def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    """The console script as an officer runs it, bytes in (as a file redirected to stdin) and text out."""
    result = subprocess.run([GUIDANCE, *args], input=stdin, capture_output=True, timeout=300, env={**os.environ})
    result.stdout, result.stderr = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert "Traceback" not in result.stderr, result.stderr
    return result


def answers(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


@pytest.mark.parametrize("encoding, named", [("cp1252", "cp1252"), ("utf-16", "utf-16"), ("utf-8-sig", None)])
def test_a_question_file_from_windows_gets_one_answer_per_line_with_the_pound_sign_intact(seed_index_dir, encoding, named):
    stdin = "".join(f"{question}\r\n" for question in QUESTIONS).encode(encoding)
    result = run("ask", "--json", "--index-dir", str(seed_index_dir), "-", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert [a["question"] for a in answers(result.stdout)] == QUESTIONS
    assert all(a["status"] in {"answered", "not_covered", "declined"} for a in answers(result.stdout))
    if named:
        assert f"read as {named}" in result.stderr
    else:
        assert "read as" not in result.stderr  # UTF-8, with or without BOM, is what is expected: nothing to say


def test_a_question_argument_in_windows_1252_is_read_as_written(seed_index_dir):
    question = os.fsdecode(QUESTIONS[0].encode("cp1252"))  # what Python makes of such bytes in argv
    result = run("ask", "--json", "--index-dir", str(seed_index_dir), question)
    assert result.returncode == 0, result.stderr
    assert answers(result.stdout)[0]["question"] == QUESTIONS[0]


def test_one_bad_line_costs_only_that_line(seed_index_dir):
    lines = [
        QUESTIONS[1].encode("utf-8"),
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",  # a spreadsheet's bytes pasted in: not a question
        QUESTIONS[0].encode("cp1252"),  # typed in Notepad and appended to a UTF-8 file
        QUESTIONS[2].encode("utf-8"),
    ]
    result = run("ask", "--json", "--index-dir", str(seed_index_dir), "-", stdin=b"\n".join(lines) + b"\n")
    assert result.returncode == 1, result.stderr  # some questions were not answered
    records = answers(result.stdout)
    assert [r["question"] for r in records] == [QUESTIONS[1], "", QUESTIONS[0], QUESTIONS[2]]
    assert records[1] == {"line": 2, "question": "", "status": "error", "error": "it looks like binary data, not text"}
    assert records[0]["status"] == "answered" and all(r["status"] != "error" for r in records[2:])
    assert "line(s) 3 read as cp1252" in result.stderr
    assert "Not answered: line 2: it looks like binary data" in result.stderr


def test_an_eval_csv_saved_by_excel_runs_and_says_how_it_was_read(seed_index_dir, tmp_path):
    eval_csv = tmp_path / "councillors.csv"
    eval_csv.write_bytes(
        "id,question,behaviour,expected_sections,must_mention\r\n"
        "wine,Can I post my view on a planning application on Twitter?,answer,3.3,\r\n"
        "bins,What day are the bins collected in Ward £5?,decline,,\r\n".encode("cp1252")
    )
    result = run("eval", "run", str(eval_csv), "--out", str(tmp_path / "run"), "--index-dir", str(seed_index_dir))
    assert result.returncode == 0, result.stderr
    assert f"{eval_csv} read as cp1252 (it is not UTF-8)" in " ".join(result.stderr.split())
    answered = [json.loads(line) for line in (tmp_path / "run" / "answers.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [a["case"]["question"] for a in answered][1] == "What day are the bins collected in Ward £5?"


def test_a_bad_row_of_a_windows_1252_eval_csv_is_named_with_the_encoding(seed_index_dir, tmp_path):
    eval_csv = tmp_path / "councillors.csv"
    eval_csv.write_bytes("id,question,behaviour\r\ngift,A £60 gift?,maybe\r\n".encode("cp1252"))
    result = run("eval", "run", str(eval_csv), "--index-dir", str(seed_index_dir))
    assert result.returncode == 2
    assert f"{eval_csv}, read as cp1252 (it is not UTF-8), line 2, field 'behaviour'" in " ".join(result.stderr.split())
