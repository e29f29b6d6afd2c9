"""Index, read side: open the build in use and give retrieval and answering what it stores (``StoredIndex``).

Both packages read builds through this module; ``ingest.build_writer`` writes them and ``ingest.builds`` makes
one live and prunes the old ones. Layout of an index folder::

    CURRENT            name of the build in use (replaced atomically, so readers never see half a build)
    builds/<id>/       chroma/, bm25/, chunks.json, sentences.json, *.npy, documents.json, build.json,
                       and sections.json and sources.json, which only the document views read
    .ingest.lock       held while an ingest runs, so two ingests never write at once

A failed or killed ingest leaves ``CURRENT`` pointing at the previous build, which keeps answering.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from ingest.chroma_store import ChromaStore
from ingest.chunks import Chunk, Sentence

CURRENT = "CURRENT"
BUILDS = "builds"
CHUNK_VECTORS = "chunk_vectors.npy"
SENTENCE_VECTORS = "sentence_vectors.npy"
# Raise when what a build stores changes shape; builds of another format are rebuilt, never misread.
INDEX_FORMAT = 6


class IndexMissing(Exception):
    """No usable index in the folder; the message says how to build one."""


def bm25_tokenize(texts: list[str]):
    """The words BM25 indexes and searches with: English stop words dropped, the rest stemmed."""
    import bm25s
    import Stemmer

    return bm25s.tokenize(texts, stopwords="en", stemmer=Stemmer.Stemmer("english"), show_progress=False)


@dataclass
class StoredIndex:
    """A build as read back from disk: everything retrieval and answering need."""

    build_dir: Path
    info: dict
    chunks: list[Chunk]
    sentences: list[Sentence]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    documents: list[dict]  # title, version, date…; their sections and text are read only when first shown
    chroma_url: str | None = None  # a Chroma server address that overrides the one the build recorded

    @cached_property
    def bm25(self):
        import bm25s

        return bm25s.BM25.load(str(self.build_dir / "bm25"), show_progress=False)

    @cached_property
    def chroma(self) -> ChromaStore:
        return ChromaStore.of_build(self.build_dir, self.chroma_url)

    @cached_property
    def collection(self):
        return self.chroma.collection()

    @cached_property
    def sentence_positions(self) -> dict[str, list[int]]:
        """Positions in ``sentences`` (and rows of ``sentence_vectors``) of each chunk's sentences."""
        positions: dict[str, list[int]] = defaultdict(list)
        for position, sentence in enumerate(self.sentences):
            positions[sentence.chunk_id].append(position)
        return positions

    @cached_property
    def words(self) -> dict:
        """Word statistics made at ingest: ``idf``, ``sentence_count`` and the corpus ``vocabulary``."""
        return json.loads((self.build_dir / "words.json").read_text(encoding="utf-8"))

    @cached_property
    def chunk_by_id(self) -> dict[str, Chunk]:
        return {chunk.chunk_id: chunk for chunk in self.chunks}

    @cached_property
    def sections(self) -> dict[str, list[dict]]:
        """Each document's sections with their passages, by ``doc_id``."""
        return self._read("sections.json")

    @cached_property
    def sources(self) -> dict[str, str]:
        """The full text of each source file, by file name."""
        return self._read("sources.json")

    def _read(self, name: str):
        return json.loads((self.build_dir / name).read_text(encoding="utf-8"))

    def record(self, doc_id: str) -> dict:
        """A document's title, version, date and source file name."""
        return next(doc for doc in self.documents if doc["doc_id"] == doc_id)

    def document(self, doc_id: str) -> dict:
        """A document's record with its ``sections``."""
        return {**self.record(doc_id), "sections": self.sections[doc_id]}

    def source_text(self, doc_id: str) -> str:
        return self.sources[self.record(doc_id)["source_name"]]


def current_build(index_dir: Path) -> Path | None:
    pointer = index_dir / CURRENT
    if not pointer.exists():
        return None
    build = index_dir / BUILDS / pointer.read_text().strip()
    return build if (build / "build.json").exists() else None


def is_current_format(build: Path) -> bool:
    """Whether this software can read the build (an older format is rebuilt, never misread)."""
    return json.loads((build / "build.json").read_text(encoding="utf-8")).get("format") == INDEX_FORMAT


def open_index(index_dir: Path, chroma_url: str | None = None) -> StoredIndex:
    """The current build of ``index_dir``; ``chroma_url``, when given, is where its server collection now is."""
    build = current_build(index_dir)
    if build is None:
        raise IndexMissing(f"No index in {index_dir}. Build it with: guidance ingest [CORPUS_DIR] --index-dir {index_dir}")
    if not is_current_format(build):
        raise IndexMissing(
            f"The index in {index_dir} was built by an older version of this software. Rebuild it with: "
            f"guidance ingest [CORPUS_DIR] --index-dir {index_dir}"
        )
    read = lambda name: json.loads((build / name).read_text(encoding="utf-8"))  # noqa: E731
    return StoredIndex(
        build_dir=build,
        info=read("build.json"),
        chunks=[Chunk(**c) for c in read("chunks.json")],
        sentences=[Sentence(**s) for s in read("sentences.json")],
        chunk_vectors=np.load(build / CHUNK_VECTORS, mmap_mode="r"),  # pages read as used, shared between processes
        sentence_vectors=np.load(build / SENTENCE_VECTORS, mmap_mode="r"),
        documents=read("documents.json"),
        chroma_url=chroma_url,
    )
