"""Shared fixtures: one real index of the shipped corpus (real Chroma on disk, real embedding model),
built once per test session, and an Assistant over it."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from guidance.settings import Settings, load_settings, set_library_environment

set_library_environment()
# The suite tests the defaults: nothing configured in the shell (a language model, another index, a Chroma
# server…) may leak in. The list is every variable the Settings model reads, so a new setting is cleared too.
for _variable in Settings.variables():
    os.environ.pop(_variable, None)

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
SEED = CORPUS / "000_a660f2eac1af32d7.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Real published council documents, read in place beside the checkout and never copied into it (see its SOURCES.md).
SHARED_CORPORA = REPO.parent / "shared" / "corpora"
# CI (.ci/run) sets this, and CI services set CI=true: there the real-document suites must run, not skip.
REQUIRE_SHARED_CORPORA = "REQUIRE_SHARED_CORPORA"
# The real embedding model, with the default settings, as the entry points give it to the pipeline.
embed = load_settings().embedder().embed


@pytest.fixture(autouse=True)
def _members_data_outside_the_checkout(tmp_path_factory, monkeypatch):
    """Where a test does not choose, members' ratings and eval runs go to a temporary folder, never to the
    defaults inside the checkout (a page or CLI run by a test would otherwise leave feedback.sqlite3 there)."""
    scratch = tmp_path_factory.mktemp("members-data")
    monkeypatch.setenv("GUIDANCE_FEEDBACK_DB", str(scratch / "feedback.sqlite3"))
    monkeypatch.setenv("GUIDANCE_EVAL_RUNS_DIR", str(scratch / "eval-runs"))


def free_port() -> int:
    """A port nothing listens on now, for a server a test starts on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def seed_index_dir(tmp_path_factory) -> Path:
    """An index of the shipped corpus, built by the real ingest pipeline."""
    from ingest.pipeline import ingest_corpus

    index_dir = tmp_path_factory.mktemp("seed-index")
    ingest_corpus(CORPUS, index_dir, embed)
    return index_dir


@pytest.fixture(scope="session")
def assistant(seed_index_dir):
    from guidance.answering.assistant import Assistant

    return Assistant.open(load_settings(), seed_index_dir)


@pytest.fixture(scope="session")
def seed_documents():
    from ingest.pipeline import read_corpus

    documents, skipped = read_corpus(CORPUS)
    assert not skipped
    return {d.doc_id: d for d in documents}


def _required(variable: str) -> bool:
    return os.environ.get(variable, "").strip().lower() not in ("", "0", "false", "no")


def corpora_folder_or_skip(folder: Path) -> Path:
    """``folder`` if it is there. Absent, the test skips, saying why (a plain checkout), or under CI fails, so
    the real-document suites can never be skipped unseen."""
    if folder.is_dir():
        return folder
    if _required(REQUIRE_SHARED_CORPORA) or _required("CI"):
        pytest.fail(f"the real council documents must be at {folder} for this run ({REQUIRE_SHARED_CORPORA} or CI "
                    "is set), and they are not", pytrace=False)
    pytest.skip(f"the real council documents are not at {folder} (a plain checkout; they are read in place, never "
                f"copied into the repository); set {REQUIRE_SHARED_CORPORA}=1 to make their absence fail")


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """The folder of real council documents every real-document test reads (see ``corpora_folder_or_skip``)."""
    return corpora_folder_or_skip(SHARED_CORPORA)


@pytest.fixture(scope="session")
def calibration_real_index(seed_index_dir, shared_corpora, tmp_path_factory) -> Path:
    """An index of the corpus ``evals/calibration-real.jsonl`` is asked of, built by ``scripts/eval_corpus.py``
    (the seed's vectors reused from ``seed_index_dir``)."""
    import shutil

    from ingest.pipeline import ingest_corpus
    from tests.corpus_helpers import eval_corpus_builder

    folder = tmp_path_factory.mktemp("calibration-real")
    corpus = eval_corpus_builder().build("calibration-real", folder / "corpus", shared_corpora)
    index_dir = folder / "index"
    shutil.copytree(seed_index_dir, index_dir, ignore=shutil.ignore_patterns(".ingest.lock"))
    ingest_corpus(corpus, index_dir, embed)
    return index_dir


@pytest.fixture(scope="session")
def real_corpus_index(seed_index_dir, shared_corpora, tmp_path_factory):
    """(ingest report, index folder) of the seed with every real document in ../shared/corpora, copied into a
    temporary corpus (links are not followed: ingest/pipeline.py)."""
    import shutil

    from ingest.pipeline import ingest_corpus
    from tests.real_documents import DOCUMENTS

    folder = tmp_path_factory.mktemp("real-corpus")
    corpus = folder / "corpus"
    corpus.mkdir()
    for name in (SEED.name, "manifest.yaml"):
        shutil.copy(CORPUS / name, corpus / name)
    for document in DOCUMENTS:
        shutil.copy(shared_corpora / document.file, corpus / document.file)
    index_dir = folder / "index"
    shutil.copytree(seed_index_dir, index_dir, ignore=shutil.ignore_patterns(".ingest.lock"))
    return ingest_corpus(corpus, index_dir, embed), index_dir
