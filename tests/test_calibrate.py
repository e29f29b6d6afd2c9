"""Calibration: the answerer's shipped settings are the ones `guidance calibrate` picks on the
tunable sets, so a scoring change made without recalibrating is caught; the command writes them to the
file ``AnswerSettings`` takes its defaults from."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import partial

import pytest
from typer.testing import CliRunner

from guidance.answering.extractive import AnswerSettings
from guidance.evaluation.calibrate import CALIBRATED_FIELDS
from guidance.answering.calibrated import (CALIBRATED, calibrated_defaults, calibrated_settings, calibration_path,
                                           write_calibrated)
from guidance.answering.likeness import labelled_path
from guidance.cli.main import app
from guidance.config import EVALS_DIR
from guidance.settings import load_settings
from ingest.text import fold_whitespace

from .conftest import REPO


def test_shipped_settings_are_what_calibration_chooses(seed_index_dir, calibration_real_index, tmp_path):
    """The shipped settings come from every tunable set, each asked of its own corpus: the two over the seed and
    the two over the seed plus real councils' documents (so the threshold is not the seed's alone)."""
    written = tmp_path / "calibrated.json"
    sets = [REPO / "evals" / name for name in ("calibration.jsonl", "calibration-paraphrases.jsonl", "calibration-real.jsonl",
                                              "calibration-scenarios.jsonl")]
    indexes = [seed_index_dir, seed_index_dir, calibration_real_index, calibration_real_index]
    result = CliRunner().invoke(app, ["calibrate", *map(str, sets), *(f"--index-dir={i}" for i in indexes),
                                      "--out", str(written)])
    assert result.exit_code == 0, result.output
    assert json.loads(written.read_text()) == json.loads(CALIBRATED.read_text())
    assert sorted(json.loads(written.read_text())) == sorted(CALIBRATED_FIELDS)
    # and the labelled questions answering measures a question's likeness to unanswered ones against
    assert json.loads(labelled_path(written).read_text()) == json.loads(labelled_path(CALIBRATED).read_text())
    # 64% when chosen (eleventh session, with likeness to unanswered questions), on the four sets.
    assert int(re.search(r"balanced accuracy (\d+)%", result.output).group(1)) >= 55


def test_answer_settings_defaults_are_the_calibrated_file():
    shipped = json.loads(CALIBRATED.read_text())
    assert {name: getattr(AnswerSettings(), name) for name in shipped} == shipped


def test_the_file_is_loaded_by_field_name_and_a_field_it_does_not_set_keeps_its_default(tmp_path):
    path = write_calibrated(replace(AnswerSettings(), coverage_threshold=1.5), ["coverage_threshold"], tmp_path / "c.json")
    assert json.loads(path.read_text()) == {"coverage_threshold": 1.5}

    @dataclass(frozen=True)
    @partial(calibrated_defaults, path=path)
    class Tuned:
        coverage_threshold: float
        max_quoted_words: int = 85

    assert Tuned() == Tuned(coverage_threshold=1.5, max_quoted_words=85)


def test_a_file_that_does_not_match_the_fields_is_refused_naming_it(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"coverage_threshold": 1.0, "no_such_weight": 2}))
    with pytest.raises(TypeError, match=f"{re.escape(str(path))} does not match Tuned: unknown \\['no_such_weight'\\]"):
        calibrated_defaults(type("Tuned", (), {"__annotations__": {"coverage_threshold": "float"}}), path)


def test_an_adapted_models_calibration_is_read_over_the_defaults_and_the_packaged_models_is_the_shipped_file(tmp_path):
    """An adapted model's folder holds its own calibration (``scripts/adapt_encoder.py`` writes it); without one,
    or for the packaged model, the shipped defaults stand."""
    assert calibration_path(None) == CALIBRATED
    assert calibration_path(tmp_path) == tmp_path / "calibrated.json"
    assert calibrated_settings(AnswerSettings(), calibration_path(tmp_path)) == AnswerSettings()
    write_calibrated(replace(AnswerSettings(), coverage_threshold=0.83, fact_weight=0.5), CALIBRATED_FIELDS,
                     calibration_path(tmp_path))
    read = calibrated_settings(AnswerSettings(), calibration_path(tmp_path))
    assert (read.coverage_threshold, read.fact_weight) == (0.83, 0.5)
    assert read.max_quoted_words == AnswerSettings().max_quoted_words  # not calibrated, so not in the file
    (tmp_path / "calibrated.json").write_text(json.dumps({"coverage_threshold": 1.0, "no_such_weight": 2}))
    with pytest.raises(TypeError, match="does not match AnswerSettings: unknown \\['no_such_weight'\\]"):
        calibrated_settings(AnswerSettings(), calibration_path(tmp_path))


def test_calibrate_refuses_a_malformed_set_naming_the_line(seed_index_dir, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "Can I tweet?", "behaviour": "maybe"}\n')
    written = tmp_path / "calibrated.json"
    result = CliRunner().invoke(app, ["calibrate", str(bad), "--index-dir", str(seed_index_dir), "--out", str(written)])
    assert result.exit_code == 2
    shown = fold_whitespace(result.output)  # the console wraps long lines
    assert "bad.jsonl, line 1, field 'behaviour'" in shown
    assert not written.exists()


@pytest.mark.parametrize("lines, message", [
    (['{"id": "a", "question": "Can I tweet about planning?", "behaviour": "answer", '
      '"expected_sections": ["social-media-guidance#3.3"]}'], "The sets have no question to decline"),
    (['{"id": "a", "question": "Can I tweet about planning?", "behaviour": "answer", '
      '"expected_sections": ["social-media-guidance#3.33"]}',
      '{"id": "b", "question": "When are the elections?", "behaviour": "decline"}'],
     "'social-media-guidance#3.33' is not a section of the indexed documents; did you mean social-media-guidance#3.3"),
])
def test_calibrate_refuses_sets_that_cannot_choose_settings_and_writes_nothing(seed_index_dir, tmp_path, lines, message):
    thin = tmp_path / "thin.jsonl"
    thin.write_text("\n".join(lines) + "\n", encoding="utf-8")
    written = tmp_path / "calibrated.json"
    result = CliRunner().invoke(app, ["calibrate", str(thin), "--index-dir", str(seed_index_dir), "--out", str(written)])
    assert result.exit_code == 2, result.output
    assert message in fold_whitespace(result.output)
    assert not written.exists()


def test_calibrate_needs_one_index_for_all_sets_or_one_per_set(seed_index_dir, tmp_path):
    written = tmp_path / "calibrated.json"
    sets = [str(REPO / "evals" / "calibration.jsonl"), str(REPO / "evals" / "calibration-paraphrases.jsonl")]
    index = ["--index-dir", str(seed_index_dir)]
    result = CliRunner().invoke(app, ["calibrate", *sets, *index, *index, *index, "--out", str(written)])
    assert result.exit_code == 2
    assert "one per set (2), not 3" in fold_whitespace(result.output)
    assert not written.exists()


def test_each_set_is_asked_of_its_own_index(seed_index_dir, tmp_path):
    written = tmp_path / "calibrated.json"
    sets = [str(REPO / "evals" / "calibration.jsonl"), str(REPO / "evals" / "calibration-paraphrases.jsonl")]
    missing = tmp_path / "no-index-here"
    result = CliRunner().invoke(app, ["calibrate", *sets, "--index-dir", str(seed_index_dir), "--index-dir", str(missing),
                                      "--out", str(written)])
    assert result.exit_code == 1
    assert "no-index-here" in fold_whitespace(result.output).replace(" ", "")
    assert not written.exists()


def test_a_first_quote_from_the_right_section_must_also_say_what_the_case_needs(seed_index_dir, tmp_path):
    """Calibration counts an answer right only when its first quote is from an expected section and matches the
    case's must-mention patterns: the right section quoted by a sentence that does not answer is not right."""
    from guidance.answering.assistant import Assistant
    from guidance.evaluation.calibrate import _candidates, load_cases

    question = "Is there wifi at the Town Hall I can use on my own tablet?"
    cases = [{"id": f"wifi-{n}", "question": question, "expected_sections": ["social-media-guidance#7.1"],
              "behaviour": "answer", "must_mention": [pattern]} for n, pattern in enumerate(["town hall", "a phrase it lacks"])]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(case) for case in cases), encoding="utf-8")
    assistant = Assistant.open(load_settings(), seed_index_dir)
    loaded = load_cases(path, assistant)
    first_quote_right = [_candidates(case, assistant.extractive.settings)[2][0] for case in loaded]
    assert first_quote_right == [True, False]


def test_a_question_the_answerer_declines_outright_has_no_candidates_at_any_setting(seed_index_dir, tmp_path):
    """A fact of a document that is not loaded is declined whatever the scores, by the answerer and so by calibration."""
    from guidance.answering.assistant import Assistant
    from guidance.evaluation.calibrate import _candidates, load_cases

    questions = ["Which team owns the planning enforcement policy?", "Which team owns the social media policy?"]
    cases = [{"id": f"owner-{n}", "question": question, "expected_sections": [], "behaviour": "decline"}
             for n, question in enumerate(questions)]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(case) for case in cases), encoding="utf-8")
    assistant = Assistant.open(load_settings(), seed_index_dir)
    loaded = load_cases(path, assistant)
    assert [case.refused for case in loaded] == [True, False]
    assert len(_candidates(loaded[0], assistant.extractive.settings)[0]) == 0
    assert len(_candidates(loaded[1], assistant.extractive.settings)[0]) > 0


def test_an_out_that_is_a_folder_is_refused_before_the_search(seed_index_dir, tmp_path):
    """It was found only after minutes of search, once the labelled questions had been written beside it."""
    result = CliRunner().invoke(app, ["calibrate", str(EVALS_DIR / "calibration-document-facts.jsonl"), "--index-dir",
                                      str(seed_index_dir), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "is a folder: give the file to write the settings to" in " ".join(result.output.split())
    assert list(tmp_path.iterdir()) == []
