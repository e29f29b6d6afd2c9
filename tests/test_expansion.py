"""Question expansion (HyDE): with an expansion model set, the answerer still ranks with the question's vector
and decides answerability by the best quote's score under the question-plus-sentence vector.

The model here is the scripted OpenAI-compatible stand-in on 127.0.0.1 (tests/openai_standin.py), because a
hosted model cannot run here: it checks the plumbing (prompt, decision, reasons, failure), not the model's
sentences. integration/test_local_gguf.py runs the real local model.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from guidance.answering.assistant import Assistant
from guidance.answering.calibrated import CALIBRATED
from guidance.backends import BackendSettings
from guidance.cli.main import app
from guidance.evaluation.calibrate import CALIBRATED_FIELDS
from ingest.index import open_index
from tests.conftest import REPO
from tests.openai_standin import StandIn

QUESTION = "Can I tweet about a planning application I will vote on?"
SENTENCE = ("Members should not express a view on social media about a planning application they will decide, "
            "as it may indicate predetermination.")


@pytest.fixture(scope="module")
def seed_index(seed_index_dir):
    return open_index(seed_index_dir)


@pytest.fixture
def standin():
    with StandIn(script=lambda prompt: f"{SENTENCE}\nA second line the answerer must not use.") as server:
        yield server


def expanding(index, standin: StandIn, **answer_settings) -> Assistant:
    extractive = BackendSettings()
    expansion = BackendSettings(name="openai", url=standin.url, model="standin", timeout_s=5, retries=0)
    assistant = Assistant(index, extractive, expansion=expansion)
    if answer_settings:
        assistant.extractive.settings = replace(assistant.extractive.settings, **answer_settings)
    return assistant


def test_the_model_is_asked_for_a_guidance_sentence_and_the_decision_uses_it(seed_index, standin):
    answer = expanding(seed_index, standin).ask(QUESTION)

    (prompt,) = standin.prompts()
    assert "sentence of the kind found in a UK council's guidance" in prompt.system
    assert prompt.human == QUESTION
    assert answer.status == "answered"
    assert f"answerability decided with the question expanded as: “{SENTENCE}”" in answer.reasons
    assert "with the question expanded" in answer.reasons[0]  # the quote's decision score is shown beside its score
    assert answer.timings_ms["expand"] > 0


def test_the_decision_is_made_against_the_expansion_threshold(seed_index, standin):
    """The same question, the same quote: answered or declined by where ``expansion_threshold`` lies."""
    plain = Assistant(seed_index, BackendSettings()).ask(QUESTION)
    lenient = expanding(seed_index, standin, expansion_threshold=0.0).ask(QUESTION)
    strict = expanding(seed_index, standin, expansion_threshold=99.0).ask(QUESTION)

    assert plain.status == lenient.status == "answered"
    assert lenient.cited_sections == plain.cited_sections  # ranking is the question's alone
    assert strict.status == "not_covered"
    assert "needs ≥ 99.00 with the question expanded" in strict.reasons[0]


def test_a_failing_expansion_model_leaves_the_decision_to_the_question(seed_index, standin):
    standin.status = 503
    answer = expanding(seed_index, standin, expansion_threshold=99.0).ask(QUESTION)

    assert answer.status == "answered"  # decided by coverage_threshold, as without expansion
    assert any(r.startswith("answerability decided on the question alone: the expansion model openai:standin failed")
               for r in answer.reasons)
    assert "Traceback" not in answer.answer


def test_an_expansion_backend_without_a_model_is_named_before_anything_runs(seed_index_dir):
    result = CliRunner().invoke(app, ["ask", QUESTION, "--index-dir", str(seed_index_dir)],
                                env={"GUIDANCE_EXPANSION_LLM": "ollama"})
    assert result.exit_code == 1
    assert "GUIDANCE_EXPANSION_LLM_MODEL" in result.output
    assert "Traceback" not in result.output


def test_calibrating_with_expansion_chooses_only_its_threshold(seed_index_dir, standin, tmp_path):
    written = tmp_path / "calibrated.json"
    result = CliRunner().invoke(
        app, ["calibrate", str(REPO / "evals" / "calibration.jsonl"), "--index-dir", str(seed_index_dir),
              "--out", str(written)],
        env={"GUIDANCE_EXPANSION_LLM": "openai", "GUIDANCE_EXPANSION_LLM_URL": standin.url,
             "GUIDANCE_EXPANSION_LLM_MODEL": "standin"})

    assert result.exit_code == 0, result.output
    assert "question expansion by openai:standin" in result.output
    chosen, shipped = json.loads(written.read_text()), json.loads(CALIBRATED.read_text())
    assert sorted(chosen) == sorted(CALIBRATED_FIELDS)
    assert {k: v for k, v in chosen.items() if k != "expansion_threshold"} == \
           {k: v for k, v in shipped.items() if k != "expansion_threshold"}
    assert len(standin.requests) >= 60  # every answerable-looking question of the set was expanded
