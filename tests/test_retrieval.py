"""Hybrid retrieval on the real index: one hit per section, all three rankings fused, and the same
search through LangChain's retriever interface."""

from __future__ import annotations

import pytest

from guidance.retrieval.search import HybridSearcher
from guidance.retrieval.langchain_retriever import GuidanceRetriever
from ingest.index import open_index
from tests.conftest import embed


def test_hits_are_one_per_section_with_evidence_from_every_ranking(seed_index_dir):
    searcher = HybridSearcher(open_index(seed_index_dir))
    question = "Can I say on Facebook how I'll vote on a planning application?"
    hits = searcher.search(question, embed([question])[0], k=6)
    assert len({hit.section_id for hit in hits}) == len(hits) == 6
    assert hits[0].section_id == "social-media-guidance#3.3"
    assert set(hits[0].evidence) == {"dense", "sentence", "lexical"}
    assert [h.fused for h in hits] == sorted((h.fused for h in hits), reverse=True)
    assert all(chunk.section_id == hit.section_id for hit in hits for chunk in hit.chunks)


def test_a_question_with_no_indexed_words_still_gets_dense_hits(seed_index_dir):
    searcher = HybridSearcher(open_index(seed_index_dir))
    question = "zzzq xxyv"
    assert searcher.lexical_ranking(question) == []
    assert searcher.search(question, embed([question])[0])


def test_langchain_retriever_returns_sections_with_their_citation_metadata(seed_index_dir):
    retriever = GuidanceRetriever(searcher=HybridSearcher(open_index(seed_index_dir)), embed_fn=embed, k=3)
    documents = retriever.invoke("Who do I contact to get my device on the Town Hall WiFi?")
    assert len(documents) == 3
    top = documents[0]
    assert top.metadata["section_id"] == "social-media-guidance#7.1"
    assert top.metadata["section_title"] == "Access to social media"
    assert "ICT Service Desk" in top.page_content


def test_an_index_larger_than_the_sentence_pool_still_finds_the_best_sentence_of_all(tmp_path):
    """Three councils' copies of the guidance (the benchmarks' synthetic corpus) make more chunks than
    ``SENTENCE_POOL``, so sentences are compared only within the nearest chunks and BM25's candidates; the
    best-matching sentence of the whole index must still be among them."""
    from benchmarks.corpus import write_corpus
    from guidance.retrieval.search import SENTENCE_POOL
    from ingest.pipeline import ingest_corpus

    write_corpus(SENTENCE_POOL + 1, tmp_path / "corpus")
    ingest_corpus(tmp_path / "corpus", tmp_path / "index", embed)
    index = open_index(tmp_path / "index")
    assert len(index.chunks) > SENTENCE_POOL
    question = "Can I say on Facebook how I'll vote on a planning application?"
    vector = embed([question])[0]
    hits = HybridSearcher(index).search(question, vector, k=3)
    assert sorted(hit.section_id for hit in hits) == [f"social-media-guidance-borough0000{n}#3.3" for n in range(3)]
    every_hit = HybridSearcher(index).search(question, vector, k=len(index.chunks))
    best_in_pool = max(hit.evidence.get("sentence", -1.0) for hit in every_hit)
    assert best_in_pool == pytest.approx(float((index.sentence_vectors @ vector).max()), abs=1e-6)
