"""Index freshness: an index is stale when its corpus files' content differs from the fingerprints its ingest
recorded, not when a file was merely touched; and a stale index is rebuilt once, however many ask at once."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time

from ingest.builds import ingest_lock
from ingest.freshness import CORPUS_FILES, index_is_stale
from ingest.index import current_build
from ingest.refresh import rebuild_if_stale
from tests.conftest import CORPUS, SEED, embed
from tests.corpus_helpers import copy_index

ADDED = "\nAn invented sentence, added so that the last section's text changes.\n"


def corpus_and_index(seed_index_dir, tmp_path):
    """A copy of the shipped corpus and of the session's index of it: the index is current for the copy."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    return corpus, copy_index(seed_index_dir, tmp_path / "index")


def test_an_index_is_stale_when_missing_or_it_recorded_no_fingerprints(seed_index_dir, tmp_path):
    corpus, index = corpus_and_index(seed_index_dir, tmp_path)
    assert index_is_stale(corpus, tmp_path / "no-index")
    assert not index_is_stale(corpus, index)
    build_json = current_build(index) / "build.json"
    info = json.loads(build_json.read_text(encoding="utf-8"))
    assert set(info[CORPUS_FILES]) == {SEED.name, "manifest.yaml"}
    del info[CORPUS_FILES]  # as a build made before fingerprints were recorded
    build_json.write_text(json.dumps(info), encoding="utf-8")
    assert index_is_stale(corpus, index)


def test_a_touched_file_is_not_stale_and_a_changed_one_is(seed_index_dir, tmp_path):
    corpus, index = corpus_and_index(seed_index_dir, tmp_path)
    guidance = corpus / SEED.name
    original = guidance.read_bytes()
    later = time.time() + 3600
    os.utime(guidance, (later, later))  # saved again unchanged, an hour after the build
    (corpus / "corrections.yaml").write_text("corrections: []\n", encoding="utf-8")  # apply without a rebuild
    assert not index_is_stale(corpus, index)

    guidance.write_bytes(original + ADDED.encode())
    assert index_is_stale(corpus, index)
    earlier = time.time() - 3600
    os.utime(guidance, (earlier, earlier))  # a changed file with an older time (copied with its date kept)
    assert index_is_stale(corpus, index)
    guidance.write_bytes(original)  # the change undone
    assert not index_is_stale(corpus, index)

    (corpus / "new.txt").write_text("1. Purpose\nAn invented document.\n", encoding="utf-8")
    assert index_is_stale(corpus, index)
    (corpus / "new.txt").unlink()
    assert not index_is_stale(corpus, index)


def test_a_stale_index_is_rebuilt_and_a_current_one_left_alone(seed_index_dir, tmp_path):
    corpus, index = corpus_and_index(seed_index_dir, tmp_path)
    build = current_build(index)
    assert rebuild_if_stale(corpus, index, embed) is None
    assert current_build(index) == build

    with (corpus / SEED.name).open("a", encoding="utf-8") as guidance:
        guidance.write(ADDED)
    report = rebuild_if_stale(corpus, index, embed)
    assert report is not None and len(report.changed) == 1 and report.embedded_chunks < report.chunks
    assert current_build(index).name == report.build != build.name
    assert not index_is_stale(corpus, index)


def test_a_rebuild_waits_for_the_ingest_under_way_and_judges_again(seed_index_dir, tmp_path):
    """Another session (or ``guidance ingest``) holds the lock; when it is done the index is current, so the
    waiting caller builds nothing."""
    corpus, index = corpus_and_index(seed_index_dir, tmp_path)
    guidance = corpus / SEED.name
    original = guidance.read_bytes()
    guidance.write_bytes(original + ADDED.encode())
    build = current_build(index)
    waiting, result = threading.Event(), []
    with ingest_lock(index):
        caller = threading.Thread(target=lambda: result.append(rebuild_if_stale(corpus, index, embed, on_wait=waiting.set)))
        caller.start()
        assert waiting.wait(60), "the caller did not wait for the lock"
        assert caller.is_alive()
        guidance.write_bytes(original)  # what the other ingest's build would have made current
    caller.join(60)
    assert result == [None] and current_build(index) == build


def test_an_office_lock_file_appearing_while_a_document_is_open_does_not_make_the_index_stale(tmp_path):
    from ingest.freshness import corpus_fingerprints

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "policy.docx").write_bytes(b"PK\x03\x04 a Word document")
    before = corpus_fingerprints(corpus)
    (corpus / "~$policy.docx").write_bytes(b"\x08Jo Bloggs")  # Word writes this when Jo opens the document
    assert corpus_fingerprints(corpus) == before
