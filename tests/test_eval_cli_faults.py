"""Faults an officer can meet with the real `guidance eval` CLI, each refused with one plain line (exit 2) that says
what to do, never "Unexpected error" nor a traceback, and never at the cost of a file already on disk: run folders
that are not new or empty, names too long, limits that could never be missed, answers files with a question twice,
and runs compared that are damaged or of different sets. Bad eval set files are in test_eval_set_faults.py."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from tests.test_eval_cli import guidance

# Neither question has must-not-mention patterns, so a limit on that rate cannot be checked.
SMALL_SET = "".join(json.dumps(case) + "\n" for case in [
    {"id": "tweet", "question": "Can I tweet about a planning application?",
     "expected_sections": ["social-media-guidance#3.3"], "behaviour": "answer"},
    {"id": "weather", "question": "What will the weather be tomorrow?", "behaviour": "decline"},
])


def refused(result, message: str, code: int = 2) -> None:
    output = " ".join(result.output.split())
    assert result.exit_code == code, output
    assert message in output, output
    assert "Unexpected error" not in output and "Traceback" not in output


@pytest.fixture(scope="module")
def small_set(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sets") / "small.jsonl"
    path.write_text(SMALL_SET, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def small_run(small_set, seed_index_dir, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small-runs") / "run"
    result = guidance("eval", "run", small_set, "--out", folder, "--index-dir", seed_index_dir)
    assert result.exit_code == 0, result.output
    return folder


def contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def test_a_run_is_not_written_into_a_folder_of_other_files(small_set, seed_index_dir, tmp_path):
    mydocs = tmp_path / "mydocs"
    mydocs.mkdir()
    (mydocs / "report.md").write_text("precious", encoding="utf-8")
    result = guidance("eval", "run", small_set, "--out", mydocs, "--index-dir", seed_index_dir)
    refused(result, f"{mydocs} is not empty (it holds report.md); give a new or empty folder")
    assert contents(mydocs) == {"report.md": b"precious"}


def test_a_run_is_not_written_loose_into_the_current_folder(small_set, seed_index_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refused(guidance("eval", "run", small_set, "--out", "", "--index-dir", seed_index_dir), "--out is empty")
    assert not list(tmp_path.iterdir())


def test_an_empty_folder_takes_a_run(small_run):
    assert (small_run / "answers.jsonl").is_file() and (small_run / "report.html").is_file()


@pytest.mark.parametrize("into", ["the run it reads", "another run"])
def test_re_scoring_never_writes_over_a_run(small_run, seed_index_dir, tmp_path, into):
    target = small_run if into == "the run it reads" else shutil.copytree(small_run, tmp_path / "other")
    before = contents(target)
    result = guidance("eval", "evaluate", small_run, "--out", target, "--index-dir", seed_index_dir)
    refused(result, f"{target} already holds a run; give a new or empty folder")
    assert contents(target) == before


def test_re_scoring_refuses_an_empty_out(small_run, seed_index_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refused(guidance("eval", "evaluate", small_run, "--out", "", "--index-dir", seed_index_dir), "--out is empty")
    assert not list(tmp_path.iterdir())


def test_an_out_folder_name_too_long_is_refused(small_set, seed_index_dir, tmp_path):
    result = guidance("eval", "run", small_set, "--out", tmp_path / ("x" * 300), "--index-dir", seed_index_dir)
    refused(result, "a name in that path is longer than the file system allows; give a shorter one")


def test_a_set_with_the_longest_legal_name_gets_a_legal_default_run_folder(seed_index_dir, tmp_path, monkeypatch):
    eval_set = tmp_path / ("s" * 234 + ".jsonl")  # 240 characters; the time stamp adds 23
    eval_set.write_text(SMALL_SET, encoding="utf-8")
    monkeypatch.setenv("GUIDANCE_EVAL_RUNS_DIR", str(tmp_path / "runs"))
    result = guidance("eval", "run", eval_set, "--index-dir", seed_index_dir)
    assert result.exit_code == 0, result.output
    [folder] = (tmp_path / "runs").iterdir()
    assert folder.name.startswith("sss") and len(folder.name.encode()) <= 255
    assert (folder / "aggregate.json").is_file()


@pytest.mark.parametrize(("limits", "message"), [
    (["--min", "hit_rate=nan"], "'hit_rate=nan': the limit must be a number such as 0.9, not 'nan'"),
    (["--max", "false_decline_rate=inf"], "the limit must be a number such as 0.9, not 'inf'"),
    (["--min", "hit_rate=90"], "hit_rate is a rate from 0 to 1, so its limit is a fraction (e.g. 0.9 for 90%), not 90"),
    (["--max", "false_decline_rate=-0.1"], "false_decline_rate is a rate from 0 to 1"),
    (["--max", "latency_p95_ms=-5"], "latency_p95_ms is never negative"),
    (["--min", "hit_rate=0.9", "--min", "hit_rate=0.8"],
     "hit_rate is given two --min values (0.9 and 0.8); give it once"),
])
def test_a_limit_that_could_never_be_missed_or_is_given_twice_is_refused(small_set, tmp_path, limits, message):
    out = tmp_path / "run"
    refused(guidance("eval", "run", small_set, "--out", out, *limits), message)
    assert not out.exists()


def test_a_millisecond_limit_above_one_and_a_minimum_with_a_maximum_are_accepted(small_run, seed_index_dir, tmp_path):
    result = guidance("eval", "evaluate", small_run, "--out", tmp_path / "rescored", "--index-dir", seed_index_dir,
                      "--max", "latency_p95_ms=600000", "--min", "hit_rate=0", "--max", "hit_rate=1")
    assert result.exit_code == 0, result.output


def test_a_limit_on_a_metric_the_set_cannot_measure_says_so(small_run, seed_index_dir, tmp_path):
    result = guidance("eval", "evaluate", small_run, "--out", tmp_path / "rescored", "--index-dir", seed_index_dir,
                      "--max", "must_not_mention_pass_rate=0.5")
    refused(result, "Limit missed: must_not_mention_pass_rate could not be checked against the maximum 0.5, because "
                    "the run has no questions it measures (share of questions with must-not-mention patterns", code=1)
    assert "(not measured) is above" not in result.output


def test_an_answers_file_with_a_question_twice_is_refused(small_run, seed_index_dir, tmp_path):
    answers = tmp_path / "answers.jsonl"
    first, second = (small_run / "answers.jsonl").read_text(encoding="utf-8").splitlines()
    answers.write_text(f"{first}\n{second}\n{first}\n", encoding="utf-8")
    result = guidance("eval", "evaluate", answers, "--out", tmp_path / "rescored", "--index-dir", seed_index_dir)
    refused(result, f"{answers}, line 3, field 'case.id': 'tweet' is already used on line 1")
    assert not (tmp_path / "rescored").exists()


def test_an_answers_path_too_long_is_refused(seed_index_dir, tmp_path):
    result = guidance("eval", "evaluate", tmp_path / ("x" * 300), "--index-dir", seed_index_dir)
    refused(result, "cannot read the answers file: File name too long")


def damaged_copy(run: Path, folder: Path, file_name: str, edit) -> Path:
    copy = shutil.copytree(run, folder)
    path = copy / file_name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return copy


def test_a_damaged_aggregate_is_named_in_one_line(small_run, tmp_path):
    damaged = damaged_copy(small_run, tmp_path / "damaged", "aggregate.json",
                           lambda text: json.dumps({**json.loads(text), "metrics": {"hit_rate": "high"}}))
    result = guidance("eval", "compare", small_run, damaged)
    refused(result, f"The run in {damaged} is damaged (aggregate.json, field 'metrics.hit_rate': Input should be")
    assert "pydantic.dev" not in result.output and "validation error for" not in result.output


def test_a_questions_file_with_other_columns_is_named(small_run, tmp_path):
    damaged = damaged_copy(small_run, tmp_path / "damaged", "questions.csv",
                           lambda text: text.replace("failed_checks", "failures", 1))
    refused(guidance("eval", "compare", small_run, damaged),
            f"The run in {damaged} is damaged (questions.csv has no 'failed_checks' column)")


def asking_otherwise(text: str) -> str:
    rows = list(csv.DictReader(text.splitlines()))
    for row in rows:
        row["question"] = f"Another set's question {row['id']}"
    with_other_questions = [",".join(rows[0])] + [",".join(f'"{value}"' for value in row.values()) for row in rows]
    return "\n".join(with_other_questions) + "\n"


def test_runs_of_different_sets_are_compared_with_a_warning(small_run, tmp_path):
    other = damaged_copy(small_run, tmp_path / "other-set", "questions.csv", asking_otherwise)
    result = guidance("eval", "compare", small_run, other, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["warnings"]  # stdout stays one JSON document
    stderr = " ".join(result.stderr.split())
    assert "Warning: 2 of the 2 question ids the runs share ask a different question in each (tweet, weather)" in stderr
    assert "runs of different eval sets" in stderr


def test_runs_that_share_no_question_are_said_to_be_of_different_sets(small_run, tmp_path):
    other = damaged_copy(small_run, tmp_path / "other-set", "questions.csv",
                         lambda text: text.replace("\ntweet,", "\nanother,").replace("\nweather,", "\nyet-another,"))
    result = guidance("eval", "compare", small_run, other)
    assert result.exit_code == 0, result.output
    assert "The runs share no question id, so they are runs of different eval sets" in " ".join(result.stderr.split())


def test_a_run_compared_with_itself_gets_no_warning(small_run):
    result = guidance("eval", "compare", small_run, small_run)
    assert result.exit_code == 0 and "Warning" not in result.output, result.output
