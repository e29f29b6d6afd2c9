"""Eval set files an officer's tools produce that `guidance eval run` must refuse with the real problem named (exit
2, file and line, never "Unexpected error"), or read as meant: JSON nested past Python's recursion limit, which
`guidance changes` leaves out like any broken set, and CSV from Excel with blank rows, semicolons, an unclosed quote
or a heading twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import run
from tests.test_eval_cli import guidance
from tests.test_eval_cli_faults import refused

DEEP = "[" * 100_000 + "]" * 100_000
HEADER = "id,question,expected_sections,behaviour,must_mention,must_not_mention,notes"
TWEET = "tweet,Can I tweet about a planning application?,social-media-guidance#3.3,answer,,,"


def written(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "text", "message"), [
    ("deep.jsonl", DEEP + "\n", "deep.jsonl, line 1: not valid JSON: it nests lists or objects too deeply to read"),
    ("deep.csv", f"id,question,behaviour,tags\na,q?,decline,\"{DEEP[:20_000]}{DEEP[-20_000:]}\"\n",
     "deep.csv, line 2, field 'tags': not a valid JSON list: it nests lists or objects too deeply to read"),
    ("deep.yaml", DEEP + "\n", "deep.yaml: not valid YAML: it nests lists or mappings too deeply to read"),
])
def test_json_nested_too_deeply_is_a_bad_line(tmp_path, name, text, message):
    out = tmp_path / "run"
    refused(guidance("eval", "run", written(tmp_path, name, text), "--out", out), message)
    assert not out.exists()


def test_changes_leaves_out_a_set_nested_too_deeply_and_reads_the_others(seed_index_dir, tmp_path):
    evals = tmp_path / "evals"
    evals.mkdir()
    written(evals, "deep.jsonl", DEEP + "\n")
    written(evals, "good.csv", f"{HEADER}\n{TWEET}\n")
    result = run("changes", "--index-dir", str(seed_index_dir), "--evals-dir", str(evals))
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 0, output
    assert "Eval set left out: " in output and "deep.jsonl, line 1: not valid JSON" in output
    assert "social-media-guidance#3.3 ← good:tweet" in output
    assert "Unexpected error" not in output


def test_blank_rows_excel_saves_are_skipped(seed_index_dir, tmp_path):
    eval_set = written(tmp_path, "excel.csv", f"{HEADER}\n,,,,,,\n{TWEET}\n,,,,,,\n\n")
    result = guidance("eval", "run", eval_set, "--out", tmp_path / "run", "--index-dir", seed_index_dir)
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "run" / "aggregate.json").read_text())["metrics"]["questions"] == 1


@pytest.mark.parametrize(("text", "message"), [
    (f"{HEADER.replace(',', ';')}\n{TWEET.replace(',', ';')}\n",
     f"set.csv, line 1: the header has one column ({HEADER.replace(',', ';')!r}): is it separated by semicolons? "
     "Save it as comma-separated CSV"),
    (f"{HEADER}\n{TWEET}\n\"unclosed,Who wrote it?,,decline,,,\nlast,Who approved it?,,decline,,,\n",
     "set.csv, line 3: a quoted cell in the row starting here has an unclosed quote"),
    (f"{HEADER}\n\"unclosed,Who wrote it?,,decline,,,\n" + "x,Who approved it?,,decline,,,\n" * 5000,
     "set.csv, line 2: a cell in the row starting here runs past 131072 characters, usually because a quote"),
    (f"{HEADER},question\n{TWEET},Can I blog?\n", "set.csv, line 1: the column heading 'question' appears twice"),
    (f"{HEADER},\n{TWEET},stray\n", "set.csv, line 2: a cell holds 'stray' under a column with no heading"),
])
def test_a_csv_set_with_the_wrong_shape_names_the_real_problem(tmp_path, text, message):
    refused(guidance("eval", "run", written(tmp_path, "set.csv", text), "--out", tmp_path / "run"), message)
    assert not (tmp_path / "run").exists()
