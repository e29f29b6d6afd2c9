"""Index, read side: open the build in use and give retrieval and answering what it stores (``StoredIndex``),
every record typed and validated as it is read (chunks and sentences from column files, ``ingest.columns``),
and each section's chunks and sentences gathered once.

Both packages read builds through this module; ``ingest.build_writer`` writes them and ``ingest.builds`` makes
one live and prunes the old ones. Layout of an index folder::

    CURRENT            name of the build in use (replaced atomically, so readers never see half a build)
    builds/<id>/       chroma/, bm25/, chunks.json, sentences.json, *.npy, documents.json, build.json,
                       and sections.json and sources.json, which only the document views read
    .ingest.lock       held while an ingest runs, so two ingests never write at once

A failed or killed ingest leaves ``CURRENT`` pointing at the previous build, which keeps answering.
"""

from __future__ import annotations

import gc
import json
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
from pydantic import TypeAdapter, ValidationError

from ingest.chroma_store import ChromaStore
from ingest.columns import ColumnsDamaged, read_columns
from ingest.chunks import Chunk, Sentence
from ingest.sections.records import DocumentRecord, Section, section_heading
from ingest.words import WordStatistics

CURRENT = "CURRENT"
BUILDS = "builds"
CHUNK_VECTORS = "chunk_vectors.npy"
SENTENCE_VECTORS = "sentence_vectors.npy"
# Raise when what a build stores changes shape; builds of another format are rebuilt, never misread.
INDEX_FORMAT = 7


class IndexMissing(Exception):
    """No usable index in the folder; the message says how to build one."""


@dataclass
class BuildInfo:
    """``build.json``: what a build was made from and holds; written last, so a build without it is incomplete."""

    corpus_dir: str
    documents: list[str]  # doc_ids
    skipped: list[dict[str, str]]  # the files ingest could not read: file, reason
    format: int
    build: str
    chunks: int
    sentences: int
    embedded_chunks: int  # chunks whose vectors were computed, not reused from the build before
    chroma: dict  # where the build's vectors are: url and collection names (``ChromaStore.record``)
    corpus_files: dict[str, str] | None = None  # file name → SHA-256 (``ingest.freshness``); None in older builds
    embedding_model: str | None = None  # ``Embedder.label`` of the model that embedded it; None if not recorded


@dataclass
class SectionContent:
    """A section as the index holds it: its chunks in order, and their quotable sentences with their positions
    in ``StoredIndex.sentences`` (and rows of ``sentence_vectors``)."""

    chunks: list[Chunk] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The section's key within its document (its number, or its title when it has none)."""
        return self.chunks[0].section

    @property
    def heading(self) -> str:
        """"Social Media Guidance §3.3 Legal issues": the document and the section, without a sub-section."""
        chunk = self.chunks[0]
        return f"{chunk.doc_title} {section_heading(chunk.section, chunk.section_title)}"


@dataclass
class StoredIndex:
    """A build as read back from disk: everything retrieval and answering need."""

    build_dir: Path
    info: BuildInfo
    chunks: list[Chunk]
    sentences: list[Sentence]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    documents: list[DocumentRecord]  # their sections and text are read only when first shown
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
    def by_section(self) -> dict[str, SectionContent]:
        """Each section's chunks and sentences, by ``section_id`` ("doc_id#number"), in the order they are stored."""
        sections: dict[str, SectionContent] = defaultdict(SectionContent)
        for chunk in self.chunks:
            section = sections[chunk.section_id]
            section.chunks.append(chunk)
            section.positions.extend(self.sentence_positions[chunk.chunk_id])
        for section in sections.values():
            section.sentences.extend(self.sentences[p] for p in section.positions)
        return dict(sections)

    @cached_property
    def words(self) -> WordStatistics:
        """Word statistics made at ingest: ``idf``, ``sentence_count`` and the corpus ``vocabulary``."""
        return read_record(self.build_dir / "words.json", WordStatistics)

    @cached_property
    def chunk_by_id(self) -> dict[str, Chunk]:
        return {chunk.chunk_id: chunk for chunk in self.chunks}

    @cached_property
    def sections(self) -> dict[str, list[Section]]:
        """Each document's sections with their passages, by ``doc_id``."""
        return read_record(self.build_dir / "sections.json", dict[str, list[Section]])

    @cached_property
    def sources(self) -> dict[str, str]:
        """The full text of each source file, by file name."""
        return read_record(self.build_dir / "sources.json", dict[str, str])

    def record(self, doc_id: str) -> DocumentRecord:
        """A document's title, version, date and source file name; a ``KeyError`` naming an id the build lacks
        (a bare StopIteration would escape as a generator's RuntimeError, or end a loop without a word)."""
        found = next((doc for doc in self.documents if doc.doc_id == doc_id), None)
        if found is None:
            raise KeyError(f"the index has no document {doc_id!r}")
        return found

    def source_text(self, doc_id: str) -> str:
        return self.sources[self.record(doc_id).source_name]

    def check_embedding_model(self, label: str) -> None:
        """Raise ``IndexMissing`` if the build recorded another embedding model than ``label``: questions
        embedded by one model cannot be compared with vectors made by another."""
        if self.info.embedding_model not in (None, label):
            index_dir = self.build_dir.parent.parent
            raise IndexMissing(
                f"The index in {index_dir} was built with the embedding model {self.info.embedding_model}, not "
                f"{label} (GUIDANCE_EMBEDDING_MODEL). Rebuild it with: guidance ingest [CORPUS_DIR] --index-dir {index_dir}"
            )


def read_record(path: Path, kind):
    """The JSON file at ``path`` as ``kind`` (a record type, or a list or dict of them), every field checked;
    pydantic reads the JSON and builds the records in one pass, no slower than ``json.loads`` alone."""
    try:
        return TypeAdapter(kind).validate_json(path.read_bytes())
    except ValidationError as error:
        first = error.errors()[0]
        raise _damaged(path, ".".join(map(str, first["loc"])) or "the top", first["msg"]) from error


def read_column_records(path: Path, kind) -> list:
    """The records of dataclass ``kind`` in the column file at ``path`` (``ingest.columns``), every field checked."""
    try:
        return read_columns(path.read_bytes(), kind)
    except ColumnsDamaged as error:
        raise _damaged(path, error.where, error.problem) from error


def _damaged(path: Path, where: str, problem: str) -> IndexMissing:
    return IndexMissing(
        f"The index build {path.parent} is damaged: {path.name} at {where}: {problem}. "
        f"Rebuild it with: guidance ingest [CORPUS_DIR] --index-dir {path.parent.parent.parent}"
    )


def current_build(index_dir: Path) -> Path | None:
    pointer = index_dir / CURRENT
    if not pointer.exists():
        return None
    build = index_dir / BUILDS / pointer.read_text().strip()
    return build if (build / "build.json").exists() else None


def is_current_format(build: Path) -> bool:
    """Whether this software can read the build (an older format is rebuilt, never misread)."""
    return json.loads((build / "build.json").read_text(encoding="utf-8")).get("format") == INDEX_FORMAT


def recorded_server(index_dir: Path) -> str | None:
    """The Chroma server the current build's vectors are on, if it recorded one."""
    build = current_build(index_dir) if index_dir.is_dir() else None
    try:
        return read_record(build / "build.json", BuildInfo).chroma.get("url") if build else None
    except (IndexMissing, OSError):  # a damaged build: the ingest replaces it
        return None


def open_index(index_dir: Path, chroma_url: str | None = None) -> StoredIndex:
    """The current build of ``index_dir``; ``chroma_url``, when given, is where its server collection now is."""
    if index_dir.exists() and not index_dir.is_dir():
        raise IndexMissing(f"{index_dir} is a file, not an index folder: give the folder the index is built in.")
    build = current_build(index_dir)
    if build is None:
        raise IndexMissing(f"No index in {index_dir}. Build it with: guidance ingest [CORPUS_DIR] --index-dir {index_dir}")
    rebuild = f"Rebuild it with: guidance ingest [CORPUS_DIR] --index-dir {index_dir}"
    try:
        if not is_current_format(build):
            raise IndexMissing(f"The index in {index_dir} was built by an older version of this software. {rebuild}")
        with collector_paused():
            return _read_build(build, chroma_url)
    except (OSError, ValueError, EOFError) as error:  # a file of the build missing, cut short or overwritten
        raise IndexMissing(f"The index build {build.name} in {index_dir} is damaged ({type(error).__name__}: "
                           f"{error}). {rebuild}") from error


@contextmanager
def collector_paused():
    """The cyclic garbage collector held off, then left as it was found. Reading a build: its records hold no
    cycles, and at 50k chunks the collector's passes over the hundreds of thousands of new objects cost a third
    of the time it takes to read them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_build(build: Path, chroma_url: str | None) -> StoredIndex:
    return StoredIndex(
        build_dir=build,
        info=read_record(build / "build.json", BuildInfo),
        chunks=read_column_records(build / "chunks.json", Chunk),
        sentences=read_column_records(build / "sentences.json", Sentence),
        chunk_vectors=np.load(build / CHUNK_VECTORS, mmap_mode="r"),  # pages read as used, shared between processes
        sentence_vectors=np.load(build / SENTENCE_VECTORS, mmap_mode="r"),
        documents=read_record(build / "documents.json", list[DocumentRecord]),
        chroma_url=chroma_url,
    )
