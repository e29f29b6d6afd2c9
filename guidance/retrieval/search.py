"""Retrieve: hybrid search fused by reciprocal rank, one hit per section.

Three rankings of chunks are fused: BM25 over chunk text, dense similarity of whole chunks, and dense
similarity of single sentences (so a one-line rule inside a long table still surfaces). Chroma finds the
chunks nearest the question; the sentence ranking then compares the question with every sentence of the
nearest ``SENTENCE_POOL`` chunks and the BM25 candidates, from the build's memory-mapped sentence vectors.
A second Chroma collection of all sentences would hold three to four times as many vectors in memory (340 MB
of a 1 GB process at 50k chunks) to rank the same candidates.

``HybridSearcher`` is what the answerers use; ``guidance.retrieval.langchain_retriever.GuidanceRetriever`` offers the same
search as a LangChain retriever so chains compose with it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from ingest.chunks import Chunk
from ingest.index import StoredIndex
from ingest.words import search_tokens

RRF_K = 60  # the constant from Cormack et al. (2009); it damps the weight of the very top ranks
CANDIDATES = 20
# Chunks whose sentences the sentence ranking compares: more than a council's few documents have, so on
# them it sees every sentence, and a few milliseconds of dot products at 50k chunks.
SENTENCE_POOL = 100


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

    def nearest_chunks(self, query_vector: np.ndarray) -> list[tuple[Chunk, float]]:
        """The ``SENTENCE_POOL`` chunks nearest the question by cosine similarity, from Chroma's HNSW index."""
        found = self.index.collection.query(
            query_embeddings=[query_vector], n_results=min(SENTENCE_POOL, len(self.index.chunks)), include=["distances"]
        )
        return [(self.index.chunk_by_id[i], 1.0 - d) for i, d in zip(found["ids"][0], found["distances"][0])]

    def sentence_ranking(self, query_vector: np.ndarray, pool: list[Chunk]) -> list[tuple[Chunk, float]]:
        """Chunks of ``pool`` ranked by their best-matching sentence, for those with one among the best
        ``2 * CANDIDATES`` sentences."""
        positions = np.sort([p for chunk in pool for p in self.index.sentence_positions[chunk.chunk_id]]).astype(np.int64)
        if not len(positions):
            return []
        similarities = self.index.sentence_vectors[positions] @ query_vector
        ranking: dict[str, tuple[Chunk, float]] = {}
        for at in np.argsort(-similarities, kind="stable")[: 2 * CANDIDATES]:
            chunk = self.index.chunk_by_id[self.index.sentences[int(positions[at])].chunk_id]
            ranking.setdefault(chunk.chunk_id, (chunk, float(similarities[at])))
        return list(ranking.values())

    def lexical_ranking(self, question: str) -> list[tuple[Chunk, float]]:
        """Chunks by BM25 score; words the index has never seen simply do not count."""
        tokens = search_tokens([question])
        if not any(tokens.ids):
            return []
        documents, scores = self.index.bm25.retrieve(
            tokens, k=min(CANDIDATES, len(self.index.chunks)), show_progress=False, n_threads=1
        )
        return [(self.index.chunks[int(d)], float(s)) for d, s in zip(documents[0], scores[0]) if s > 0]

    def search(self, question: str, query_vector: np.ndarray, k: int = 4) -> list[SectionHit]:
        hits: dict[str, SectionHit] = defaultdict(lambda: SectionHit(section_id=""))
        chunk_scores: dict[str, float] = defaultdict(float)
        nearest = self.nearest_chunks(query_vector)
        lexical = self.lexical_ranking(question)
        pool = list({chunk.chunk_id: chunk for chunk, _ in nearest + lexical}.values())
        rankings = {
            "dense": nearest[:CANDIDATES],
            "sentence": self.sentence_ranking(query_vector, pool),
            "lexical": lexical,
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
