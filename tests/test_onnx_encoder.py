"""The ONNX encoder: same vectors as the torch model, exported and checked, and answering without torch."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import REPO


def test_onnx_vectors_match_the_torch_model_on_the_seed(seed_index_dir):
    from guidance.settings import load_settings
    from ingest.embedding import sentence_model
    from ingest.index import open_index
    from ingest.onnx_encoder import OnnxEncoder, onnx_path

    index = open_index(seed_index_dir)
    texts = [c.index_text for c in index.chunks] + [s.context for s in index.sentences]
    torch_vectors = sentence_model().encode(texts, normalize_embeddings=True, convert_to_numpy=True)
    onnx_vectors = OnnxEncoder(onnx_path(load_settings().model_cache_dir)).encode(texts)
    assert onnx_vectors.shape == torch_vectors.shape == (len(texts), 384)
    assert (onnx_vectors * torch_vectors).sum(axis=1).min() > 0.9999
    assert np.allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-5)


def test_export_writes_a_checked_model(tmp_path):
    from ingest.embedding import sentence_model
    from ingest.onnx_encoder import export

    target = tmp_path / "cache" / "minilm.onnx"
    assert export(sentence_model(), target)
    assert target.stat().st_size > 80_000_000
    assert list(target.parent.iterdir()) == [target]  # no draft left behind


def test_unknown_backend_is_named(monkeypatch, tmp_path):
    from guidance.settings import load_settings
    from ingest.embedding import Embedder

    monkeypatch.setenv("GUIDANCE_EMBEDDING_BACKEND", "gpu")
    with pytest.raises(ValueError, match="GUIDANCE_EMBEDDING_BACKEND='gpu' is not valid: input should be 'auto', 'onnx' or 'torch'"):
        load_settings().embedder()
    with pytest.raises(ValueError, match="Unknown embedding backend 'gpu': choose one of auto, onnx, torch"):
        Embedder("gpu", tmp_path)  # given directly, as ingest code would be, it is refused before any model loads


def test_answering_never_imports_torch(seed_index_dir):
    """The cold-start saving: a fresh process answers with onnxruntime alone."""
    script = (
        "import json, sys; from guidance.answering.assistant import Assistant; from guidance.settings import load_settings; "
        f"answer = Assistant.open(load_settings(), {str(seed_index_dir)!r}).ask('Can I tweet about a planning application?'); "
        "print(json.dumps([answer.status, sorted(m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules)]))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == ["answered", []]
