"""Eval-set loading: JSONL, CSV and YAML give the same cases; a bad row names file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from guidance.evaluation.dataset import EvalSetError, load_eval_set

GOOD = {
    "id": "sm-3.3-planning",
    "question": "Can I tweet about a planning application?",
    "expected_sections": ["social-media-guidance#3.3", "3.4"],
    "behaviour": "answer",
    "must_mention": ["predetermin", "mind (up|made)"],
    "must_not_mention": ["£\\d"],
    "notes": "Bias and predetermination.",
}
EVALS = Path(__file__).resolve().parent.parent / "evals"
DECLINE = {"id": "dec-weather", "question": "what's the weather tomorrow", "behaviour": "decline"}


def write_jsonl(path, rows):
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows), encoding="utf-8")
    return path


def test_the_shipped_sets_load():
    assert len(load_eval_set(EVALS / "starter.jsonl")) == 81
    assert len(load_eval_set(EVALS / "calibration.jsonl")) == 103
    assert len(load_eval_set(EVALS / "calibration-paraphrases.jsonl")) == 38
    assert len(load_eval_set(EVALS / "heldout.jsonl")) == 191
    assert len(load_eval_set(EVALS / "heldout-2.jsonl")) == 163
    assert len(load_eval_set(EVALS / "code-of-conduct.jsonl")) == 83
    assert len(load_eval_set(EVALS / "calibration-real.jsonl")) == 103
    assert len(load_eval_set(EVALS / "calibration-scenarios.jsonl")) == 52
    assert len(load_eval_set(EVALS / "calibration-broad.jsonl")) == 112
    assert len(load_eval_set(EVALS / "calibration-document-facts.jsonl")) == 24


def test_jsonl_csv_and_yaml_give_the_same_cases(tmp_path):
    from_jsonl = load_eval_set(write_jsonl(tmp_path / "set.jsonl", [GOOD, DECLINE]))

    csv_path = tmp_path / "set.csv"
    csv_path.write_text(
        "id,question,expected_sections,behaviour,must_mention,must_not_mention,notes\n"
        'sm-3.3-planning,Can I tweet about a planning application?,"social-media-guidance#3.3\n3.4",answer,'
        '"[""predetermin"", ""mind (up|made)""]",£\\d,Bias and predetermination.\n'
        "dec-weather,what's the weather tomorrow,,decline,,,\n",
        encoding="utf-8",
    )
    yaml_path = tmp_path / "set.yaml"
    yaml_path.write_text(
        "- id: sm-3.3-planning\n"
        "  question: Can I tweet about a planning application?\n"
        "  expected_sections: [social-media-guidance#3.3, '3.4']\n"
        "  behaviour: answer\n"
        "  must_mention: [predetermin, 'mind (up|made)']\n"
        "  must_not_mention: ['£\\d']\n"
        "  notes: Bias and predetermination.\n"
        "- {id: dec-weather, question: \"what's the weather tomorrow\", behaviour: decline}\n",
        encoding="utf-8",
    )
    assert load_eval_set(csv_path) == from_jsonl
    assert load_eval_set(yaml_path) == from_jsonl
    assert from_jsonl[0].expected_sections == ["social-media-guidance#3.3", "3.4"]
    assert from_jsonl[1].must_mention == []


@pytest.mark.parametrize(
    ("bad_row", "expected"),
    [
        ({**GOOD, "behaviour": "maybe"}, "line 2, field 'behaviour'"),
        ({**GOOD, "must_mention": ["(unclosed"]}, "line 2, field 'must_mention': '(unclosed' is not a valid regular expression"),
        ({**GOOD, "expected_sections": ["social-media-guidance#"]}, "line 2, field 'expected_sections'"),
        ({**GOOD, "expected_sections": []}, "an 'answer' case must name at least one section"),
        ({k: v for k, v in GOOD.items() if k != "question"}, "line 2, field 'question': Field required"),
        ({**GOOD, "colour": "blue"}, "line 2, field 'colour': Extra inputs are not permitted"),
        ({**GOOD, "question": "   "}, "line 2, field 'question': must not be blank"),
        ({**DECLINE}, "line 2, field 'id': 'dec-weather' is already used on line 1"),
        ('{"id": "broken", ', "line 2: not valid JSON"),
        ('["a", "list"]', "line 2: expected an object"),
    ],
)
def test_a_malformed_row_names_file_line_and_field(tmp_path, bad_row, expected):
    path = write_jsonl(tmp_path / "bad.jsonl", [DECLINE, bad_row])
    with pytest.raises(EvalSetError) as error:
        load_eval_set(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_yaml_and_csv_errors_give_the_line_of_the_bad_row(tmp_path):
    yaml_path = tmp_path / "bad.yaml"
    yaml_path.write_text(
        "- {id: a, question: fine, behaviour: decline}\n"
        "- id: b\n"
        "  question: also fine\n"
        "  behaviour: sometimes\n",
        encoding="utf-8",
    )
    with pytest.raises(EvalSetError, match=r"bad\.yaml, line 2, field 'behaviour'"):
        load_eval_set(yaml_path)

    csv_path = tmp_path / "bad.csv"
    csv_path.write_text("id,question,behaviour\na,fine,decline\nb,also fine,sometimes\n", encoding="utf-8")
    with pytest.raises(EvalSetError, match=r"bad\.csv, line 3, field 'behaviour'"):
        load_eval_set(csv_path)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("set.txt", "", "unsupported eval set format .txt"),
        ("empty.jsonl", "\n\n", "the eval set has no questions"),
        ("map.yaml", "id: a\n", "must be a list of questions"),
        ("broken.yaml", "- id: [a\n", r"broken.yaml: not valid YAML at line 2, column 1: expected .,. or .\]., but got"),
        ("wide.csv", "id,question,behaviour\na,b,decline,extra\n", "line 2: more cells than there are column headings"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvalSetError, match=expected):
        load_eval_set(path)
