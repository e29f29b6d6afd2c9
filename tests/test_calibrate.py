"""Calibration: the answerer's shipped settings are the ones `guidance calibrate` picks on the
calibration set, so a scoring change made without recalibrating is caught."""

from __future__ import annotations

from typer.testing import CliRunner

from guidance.answer import AnswerSettings
from guidance.calibrate import calibrate, load_cases
from guidance.cli import app
from ingest.text import fold_whitespace

from .conftest import REPO


def test_shipped_settings_are_what_calibration_chooses(assistant):
    result = calibrate(assistant, load_cases(REPO / "evals" / "calibration.jsonl", assistant))
    assert result.settings == AnswerSettings()
    # 0.73 when chosen, on the 82 questions (26 declines, 19 near-domain or off-topic) of the calibration set.
    assert result.balanced_accuracy >= 0.72


def test_calibrate_refuses_a_malformed_set_naming_the_line(seed_index_dir, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "Can I tweet?", "behaviour": "maybe"}\n')
    result = CliRunner().invoke(app, ["calibrate", str(bad), "--index-dir", str(seed_index_dir)])
    assert result.exit_code == 2
    shown = fold_whitespace(result.output)  # the console wraps long lines
    assert "bad.jsonl, line 1, field 'behaviour'" in shown
