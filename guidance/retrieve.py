"""Retrieve: hybrid search fused by reciprocal rank, one hit per section.

Three rankings of chunks are fused: BM25 over chunk text, dense similarity of whole chunks, and dense
similarity of single sentences (so a one-line rule inside a long table still surfaces). Both dense
rankings come from Chroma.

``HybridSearcher`` is what the answerers use; ``guidance.retriever.GuidanceRetriever`` offers the same
search as a LangChain retriever so chains compose with it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ingest.chunks import Chunk
from ingest.index import StoredIndex, bm25_tokenize

RRF_K = 60  # the constant from Cormack et al. (2009); it damps the weight of the very top ranks
CANDIDATES = 20


@dataclass
class SectionHit:
    """A section that matched, with its matching chunks best first and the evidence for it."""

    section_id: str
    chunks: list[Chunk] = field(default_factory=list)
    fused: float = 0.0
    evidence: dict[str, float] = field(default_factory=dict)

    @property
    def best(self) -> Chunk:
        return self.chunks[0]


class HybridSearcher:
    def __init__(self, index: StoredIndex):
        self.index = index

    def dense_ranking(self, query_vector: np.ndarray) -> list[tuple[Chunk, float]]:
        """Chunks by cosine similarity, from Chroma's HNSW index."""
        found = self.index.collection.query(
            query_embeddings=[query_vector], n_results=min(CANDIDATES, len(self.index.chunks)), include=["distances"]
        )
        return [(self.index.chunk_by_id[i], 1.0 - d) for i, d in zip(found["ids"][0], found["distances"][0])]

    def sentence_ranking(self, query_vector: np.ndarray) -> list[tuple[Chunk, float]]:
        """Chunks ranked by their best-matching sentence."""
        found = self.index.sentence_collection.query(
            query_embeddings=[query_vector], n_results=min(2 * CANDIDATES, len(self.index.sentences)), include=["distances"]
        )
        ranking: dict[str, tuple[Chunk, float]] = {}
        for position, distance in zip(found["ids"][0], found["distances"][0]):
            chunk = self.index.chunk_by_id[self.index.sentences[int(position)].chunk_id]
            ranking.setdefault(chunk.chunk_id, (chunk, 1.0 - distance))
        return list(ranking.values())

    def lexical_ranking(self, question: str) -> list[tuple[Chunk, float]]:
        """Chunks by BM25 score; words the index has never seen simply do not count."""
        tokens = bm25_tokenize([question])
        if not any(tokens.ids):
            return []
        documents, scores = self.index.bm25.retrieve(
            tokens, k=min(CANDIDATES, len(self.index.chunks)), show_progress=False, n_threads=1
        )
        return [(self.index.chunks[int(d)], float(s)) for d, s in zip(documents[0], scores[0]) if s > 0]

    def search(self, question: str, query_vector: np.ndarray, k: int = 4) -> list[SectionHit]:
        hits: dict[str, SectionHit] = defaultdict(lambda: SectionHit(section_id=""))
        chunk_scores: dict[str, float] = defaultdict(float)
        rankings = {
            "dense": self.dense_ranking(query_vector),
            "sentence": self.sentence_ranking(query_vector),
            "lexical": self.lexical_ranking(question),
        }
        for evidence, ranking in rankings.items():
            for rank, (chunk, score) in enumerate(ranking):
                chunk_scores[chunk.chunk_id] += 1.0 / (RRF_K + rank + 1)
                hit = hits[chunk.section_id]
                hit.section_id = chunk.section_id
                hit.evidence[evidence] = max(hit.evidence.get(evidence, 0.0), score)
        for chunk_id, score in sorted(chunk_scores.items(), key=lambda item: -item[1]):
            chunk = self.index.chunk_by_id[chunk_id]
            hit = hits[chunk.section_id]
            hit.chunks.append(chunk)
            hit.fused = max(hit.fused, score)
        return sorted(hits.values(), key=lambda h: -h.fused)[:k]
