"""Ingest builds a real index (Chroma on disk, BM25, MiniLM vectors), idempotently, and never loses
the previous index when something goes wrong."""

from __future__ import annotations

import gc
import json
import shutil

import numpy as np
import pytest

from ingest.index import INDEX_FORMAT, current_build, open_index
from ingest.pipeline import NothingToIngest, ingest_corpus
from ingest.words import search_tokens
from tests.corpus_helpers import copy_index

from .conftest import CORPUS, SEED, embed


@pytest.fixture()
def corpus_copy(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return corpus


@pytest.fixture()
def index_dir(seed_index_dir, tmp_path):
    """A copy of the session's seed index, so re-ingests reuse its vectors instead of re-embedding."""
    return copy_index(seed_index_dir, tmp_path / "index")


def test_index_holds_chunks_in_chroma_and_bm25(seed_index_dir):
    index = open_index(seed_index_dir)
    assert index.collection.count() == len(index.chunks) > 20
    assert len(index.sentence_vectors) == len(index.sentences) == sum(map(len, index.sentence_positions.values()))
    chunk = next(c for c in index.chunks if c.subsection == "Bias and predetermination")
    best, _ = index.bm25.retrieve(search_tokens(["predetermination"]), k=1, show_progress=False)
    assert index.chunks[best[0][0]] == chunk  # BM25 holds the chunks, in the order of chunks.json
    assert (chunk.doc_id, chunk.doc_title, chunk.section, chunk.section_title) == (
        "social-media-guidance", "Social Media Guidance", "3.3", "Legal issues"
    )
    assert chunk.doc_version == "1.0"
    assert SEED.read_text(encoding="utf-8")[chunk.start : chunk.end].startswith("if you are involved in making planning")
    stored = index.collection.get(ids=[chunk.chunk_id], include=["embeddings"])["embeddings"][0]
    assert np.allclose(stored, index.chunk_vectors[index.chunks.index(chunk)], atol=1e-6)


def test_reingest_is_idempotent(corpus_copy, index_dir):
    first = ingest_corpus(corpus_copy, index_dir, embed)
    chunks_before = [(c.chunk_id, c.content_hash) for c in open_index(index_dir).chunks]
    second = ingest_corpus(corpus_copy, index_dir, embed)
    chunks_after = [(c.chunk_id, c.content_hash) for c in open_index(index_dir).chunks]
    assert chunks_before == chunks_after
    assert second.embedded_chunks == 0 and not second.added and not second.changed and not second.removed
    assert len(second.unchanged) == first.sections
    assert open_index(index_dir).collection.count() == len(chunks_after)


def test_reingest_copies_each_kept_vector_into_its_own_rows(corpus_copy, index_dir, monkeypatch):
    """A new first document moves every row; blocks of 7 rows make the copy cross many block boundaries."""
    import ingest.vectors

    monkeypatch.setattr(ingest.vectors, "COPY_BLOCK", 7)
    (corpus_copy / "0-ward-surgeries.txt").write_text(
        "1. Ward surgeries\n\nMembers may hold surgeries in libraries.\n\n2. Casework\n\nReply within ten days.\n")
    report = ingest_corpus(corpus_copy, index_dir, embed)
    index = open_index(index_dir)
    assert report.embedded_chunks == 2 and index.chunks[0].body == "Members may hold surgeries in libraries."
    assert np.allclose(index.chunk_vectors, embed([c.index_text for c in index.chunks]), atol=1e-5)
    assert np.allclose(index.sentence_vectors, embed([s.context for s in index.sentences]), atol=1e-5)


def test_unreadable_files_are_reported_and_the_rest_ingested(corpus_copy, index_dir):
    (corpus_copy / "scan.txt").write_bytes(b"\x00\x01\x02PK binary" * 50)
    (corpus_copy / "empty.txt").write_text("")
    (corpus_copy / "notes.xyz").write_text("hello")
    report = ingest_corpus(corpus_copy, index_dir, embed)
    reasons = {s.file: s.reason for s in report.skipped}
    assert reasons["scan.txt"] == "it looks like a binary file, not text"
    assert reasons["empty.txt"].startswith("it is empty")
    assert "not supported" in reasons["notes.xyz"]
    assert report.documents == ["committee-report", "social-media-guidance"]


def test_failed_ingest_leaves_the_previous_index_answering(corpus_copy, index_dir):
    build_before = current_build(index_dir)

    def broken_embedder(texts):
        raise RuntimeError("embedding failed half-way")

    (corpus_copy / "extra.txt").write_text("1. New section\n\nSome brand new text for the index.\n")
    with pytest.raises(RuntimeError):
        ingest_corpus(corpus_copy, index_dir, embed_fn=broken_embedder)
    assert current_build(index_dir) == build_before

    for path in corpus_copy.iterdir():
        path.unlink()
    with pytest.raises(NothingToIngest, match="previous index is unchanged"):
        ingest_corpus(corpus_copy, index_dir, embed)
    assert current_build(index_dir) == build_before

    from guidance.answering.assistant import Assistant
    from guidance.settings import load_settings

    answer = Assistant.open(load_settings(), index_dir).ask("Can I post my view on a planning application I will decide?")
    assert answer.status == "answered"


def test_build_records_what_was_indexed(seed_index_dir):
    info = json.loads((current_build(seed_index_dir) / "build.json").read_text())
    assert info["documents"] == ["committee-report", "social-media-guidance"]
    assert info["chunks"] == len(open_index(seed_index_dir).chunks)


def test_an_index_of_an_older_format_is_rebuilt_not_misread(corpus_copy, index_dir):
    from ingest.index import IndexMissing

    build = current_build(index_dir)
    info = json.loads((build / "build.json").read_text())
    (build / "build.json").write_text(json.dumps({**info, "format": 1}))
    (build / "sentences.json").write_text(json.dumps([{"text": "old shape", "chunk_id": "x"}]))
    with pytest.raises(IndexMissing, match="older version"):
        open_index(index_dir)
    report = ingest_corpus(corpus_copy, index_dir, embed)
    assert report.documents == ["committee-report", "social-media-guidance"]
    assert current_build(index_dir) != build
    assert open_index(index_dir).info.format == INDEX_FORMAT


def test_a_damaged_record_is_refused_with_the_file_and_field_named(seed_index_dir, tmp_path):
    from ingest.index import IndexMissing

    index_dir = copy_index(seed_index_dir, tmp_path / "index")
    chunks = current_build(index_dir) / "chunks.json"
    columns = json.loads(chunks.read_text(encoding="utf-8"))
    columns["start"][3] = "the beginning"
    chunks.write_text(json.dumps(columns), encoding="utf-8")
    with pytest.raises(IndexMissing, match=r"damaged: chunks.json at 3.start: .*integer.* Rebuild it with: guidance ingest"):
        open_index(index_dir)
    assert gc.isenabled()  # paused while the records were read, and resumed although reading failed


@pytest.mark.parametrize("damage, named", [
    (lambda columns: columns["kind"].pop(), r"at text: its fields hold different numbers of records"),
    (lambda columns: columns.pop("label"), r"at label: Field required"),
    (lambda columns: columns.update(text="one"), r"at text: Input should be a valid array"),
])
def test_a_damaged_column_file_is_refused_with_what_is_wrong(seed_index_dir, tmp_path, damage, named):
    from ingest.index import IndexMissing

    index_dir = copy_index(seed_index_dir, tmp_path / "index")
    sentences = current_build(index_dir) / "sentences.json"
    columns = json.loads(sentences.read_text(encoding="utf-8"))
    damage(columns)
    sentences.write_text(json.dumps(columns), encoding="utf-8")
    with pytest.raises(IndexMissing, match=f"damaged: sentences.json {named}"):
        open_index(index_dir)


def test_reading_an_index_leaves_the_garbage_collector_as_it_found_it(seed_index_dir):
    assert open_index(seed_index_dir).chunks and gc.isenabled()
    gc.disable()
    try:
        open_index(seed_index_dir)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_ingest_reports_embedding_progress_for_new_text(corpus_copy, index_dir):
    (corpus_copy / "extra.txt").write_text("1. Ward surgeries\n\nMembers may hold surgeries in libraries.\n")
    events = []
    ingest_corpus(corpus_copy, index_dir, embed, on_progress=lambda what, done, total: events.append((what, done, total)))
    assert events[-1:] == [("Embedding", 2, 2)]  # the new chunk and its one sentence, nothing already embedded


def test_builds_made_within_one_second_sort_and_prune_in_the_order_they_were_made(tmp_path):
    """Pruning keeps the newest builds by name; ingests finishing within one second must not lose the newest."""
    from ingest.builds import KEEP_BUILDS, new_build, switch_to

    made = [new_build(tmp_path) for _ in range(12)]
    assert sorted(build.name for build in made) == [build.name for build in made]
    for build in made:
        (build / "build.json").write_text("{}")
    switch_to(tmp_path, made[-1])
    assert sorted(p.name for p in (tmp_path / "builds").iterdir()) == [build.name for build in made[-KEEP_BUILDS:]]
