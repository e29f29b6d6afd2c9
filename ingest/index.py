"""Index: write chunks into a new build (Chroma collection, BM25, sentence vectors), then switch to it.

Layout of an index folder::

    CURRENT            name of the build in use (replaced atomically, so readers never see half a build)
    builds/<id>/       chroma/, bm25/, chunks.json, sentences.json, *.npy, documents.json, build.json,
                       and sections.json and sources.json, which only the document views read
    .ingest.lock       held while an ingest runs, so two ingests never write at once

A failed or killed ingest leaves ``CURRENT`` pointing at the previous build, which keeps answering.
Embeddings of chunks and sentences whose text is unchanged are copied from the previous build (``SavedVectors``).
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import shutil
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from ingest.chroma_store import ChromaStore
from ingest.chunks import Chunk, Sentence
from guidance.embedding import DIMENSIONS
from ingest.sections import Document, Section
from ingest.words import inverse_document_frequency, vocabulary

CURRENT = "CURRENT"
BUILDS = "builds"
LOCK = ".ingest.lock"
# Raise when what a build stores changes shape; builds of another format are rebuilt, never misread.
INDEX_FORMAT = 6
KEEP_BUILDS = 2  # the one in use and the one before it, which a running app may still be reading


class IndexMissing(Exception):
    """No usable index in the folder; the message says how to build one."""


class IngestInProgress(Exception):
    """Another ingest holds the lock on this index folder."""


@contextmanager
def ingest_lock(index_dir: Path) -> Iterator[None]:
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise IngestInProgress(
                f"Another ingest is already running on {index_dir}; wait for it to finish and try again."
            ) from error
        yield


def bm25_tokenize(texts: list[str]):
    import bm25s
    import Stemmer

    return bm25s.tokenize(texts, stopwords="en", stemmer=Stemmer.Stemmer("english"), show_progress=False)


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


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
        chunk_vectors=np.load(build / "chunk_vectors.npy", mmap_mode="r"),  # pages read as used, shared between processes
        sentence_vectors=np.load(build / "sentence_vectors.npy", mmap_mode="r"),
        documents=read("documents.json"),
        chroma_url=chroma_url,
    )


EMBED_BATCH = 512  # texts per progress step: small enough to show movement, large enough not to slow encoding

# Called as on_progress(what, done, total) while texts are embedded.
ProgressCallback = Callable[[str, int, int], None]


@dataclass
class SavedVectors:
    """Where a build saved the vector of each text it embedded (file and row, by text key), so the next build
    copies them instead of embedding again. It holds no texts, so the build it came from can be let go."""

    build_dir: Path
    rows: dict[str, tuple[str, int]]

    @classmethod
    def of(cls, index: StoredIndex) -> "SavedVectors":
        rows: dict[str, tuple[str, int]] = {}
        for texts, file_name in (((c.index_text for c in index.chunks), "chunk_vectors.npy"),
                                 ((s.context for s in index.sentences), "sentence_vectors.npy")):
            for row, text in enumerate(texts):
                rows.setdefault(_text_key(text), (file_name, row))
        return cls(index.build_dir, rows)


def _embed_new_texts(
    groups: list[list[str]], saved: SavedVectors | None, embed_fn, on_progress: ProgressCallback
) -> tuple[list[np.ndarray], set[str]]:
    """A matrix of vectors for each group of texts, copying those the previous build saved; also the keys of
    the texts embedded now. Rows are written in place: at 50k chunks the sentences' matrix alone is 250 MB."""
    rows: dict[str, list[tuple[int, int]]] = defaultdict(list)  # text key: (group, row) of each occurrence
    for group, texts in enumerate(groups):
        for row, text in enumerate(texts):
            rows[_text_key(text)].append((group, row))
    matrices = [np.empty((len(texts), DIMENSIONS), dtype=np.float32) for texts in groups]
    copies: dict[tuple[str, int], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for key, places in rows.items():
        if saved and key in saved.rows:
            file_name, old_row = saved.rows[key]
            for group, row in places:
                copies[file_name, group][0].append(old_row)
                copies[file_name, group][1].append(row)
    for (file_name, group), (old_rows, new_rows) in copies.items():
        _copy_saved_rows(saved.build_dir / file_name, np.array(old_rows), np.array(new_rows), matrices[group])
    # Longest first across chunks and sentences alike, as a raw encode orders them, so that every batch the
    # model runs holds texts of similar length and little padding.
    everything = (text for texts in groups for text in texts)
    missing = sorted((t for t in dict.fromkeys(everything) if not (saved and _text_key(t) in saved.rows)), key=len, reverse=True)
    for at in range(0, len(missing), EMBED_BATCH):
        batch = missing[at : at + EMBED_BATCH]
        for text, vector in zip(batch, embed_fn(batch)):
            for group, row in rows[_text_key(text)]:
                matrices[group][row] = vector
        on_progress("Embedding", at + len(batch), len(missing))
    return matrices, {_text_key(t) for t in missing}


COPY_BLOCK = 16_384  # rows (24 MB) of a previous build's vectors read at a time


def _copy_saved_rows(path: Path, old_rows: np.ndarray, new_rows: np.ndarray, into: np.ndarray) -> None:
    """``into[new_rows] = saved[old_rows]`` for the matrix saved at ``path``, read a block of rows at a time.
    Mapping the file instead would leave its pages counted against the process's memory, and the previous
    build's vectors are as large as the new ones (330 MB at 50k chunks)."""
    order = np.argsort(old_rows, kind="stable")
    old_rows, new_rows = old_rows[order], new_rows[order]
    with path.open("rb") as saved:
        read_header = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
        (rows, columns), _, dtype = read_header[np.lib.format.read_magic(saved)](saved)
        for start in range(0, rows, COPY_BLOCK):
            block = np.fromfile(saved, dtype=dtype, count=min(COPY_BLOCK, rows - start) * columns).reshape(-1, columns)
            low, high = np.searchsorted(old_rows, [start, start + len(block)])
            # a text every council's copy shares is one row there and many here: copy at most a block at once
            for piece in range(low, high, COPY_BLOCK):
                end = min(piece + COPY_BLOCK, high)
                into[new_rows[piece:end]] = block[old_rows[piece:end] - start]


def write_build(
    index_dir: Path,
    documents: list[Document],
    chunks: list[Chunk],
    sentences: list[Sentence],
    info: dict,
    saved: SavedVectors | None,
    embed_fn,
    on_progress: ProgressCallback = lambda *_: None,
    chroma_url: str | None = None,
) -> Path:
    """Write a complete new build beside the current one, its vectors on the Chroma server at ``chroma_url`` or
    embedded in the build; ``switch_to`` makes it live."""
    build = index_dir / BUILDS / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    build.mkdir(parents=True)
    chunk_texts = [c.index_text for c in chunks]
    contexts = [s.context for s in sentences]
    store = ChromaStore.for_new_build(build, chroma_url)
    store.check_reachable()  # a server that is down fails the ingest now, not after minutes of embedding
    # What needs no vectors (opening Chroma, BM25, the text files) runs while the model embeds: the model
    # computes in onnxruntime's own threads, which leave the interpreter free.
    with ThreadPoolExecutor(max_workers=1) as background:
        collection_created = background.submit(store.create_collection)
        texts_written = background.submit(_write_texts, build, documents, chunks, sentences)
        (chunk_vectors, sentence_vectors), embedded = _embed_new_texts([chunk_texts, contexts], saved, embed_fn, on_progress)
        np.save(build / "sentence_vectors.npy", sentence_vectors)
        del sentence_vectors  # 250 MB at 50k chunks, on disk now; Chroma's writes need the memory
        np.save(build / "chunk_vectors.npy", chunk_vectors)
        # Chroma holds only what it searches, each chunk's vector under its id; the texts and citation fields
        # are in chunks.json. Adding them to Chroma as well tripled the time of its writes at 50k chunks.
        collection, batch, ids = collection_created.result(), store.max_batch_size(), [c.chunk_id for c in chunks]
        for at in range(0, len(chunks), batch):
            collection.add(ids=ids[at : at + batch], embeddings=chunk_vectors[at : at + batch])
        texts_written.result()
    embedded_chunks = len({_text_key(t) for t in chunk_texts} & embedded)
    info = {**info, "format": INDEX_FORMAT, "build": build.name, "chunks": len(chunks), "sentences": len(sentences),
            "embedded_chunks": embedded_chunks, "chroma": store.record()}
    _write_json(build / "build.json", info)  # written last: a build without it is incomplete and never used
    return build


def _write_json(path: Path, data: dict) -> None:
    _write_json_items(path, data.items())


def _write_json_items(path: Path, items: Iterable, as_object: bool = True) -> None:
    """Write a JSON object from (key, value) pairs, or a JSON array from values, one item at a time: the
    whole text of a 50k-chunk build's sentences would take 170 MB while the model is still embedding."""
    dumps = functools.partial(json.dumps, ensure_ascii=False)
    with path.open("w", encoding="utf-8") as out:
        out.write("{" if as_object else "[")
        for position, item in enumerate(items):
            out.write("," if position else "")
            out.write(f"{dumps(item[0])}:{dumps(item[1])}" if as_object else dumps(item))
        out.write("}" if as_object else "]")


def _write_texts(build: Path, documents: list[Document], chunks: list[Chunk], sentences: list[Sentence]) -> None:
    """Everything of a build but its vectors: the texts, the word statistics, and BM25 over the chunks."""
    import bm25s

    chunk_texts = [c.index_text for c in chunks]
    contexts = [s.context for s in sentences]
    _write_json_items(build / "chunks.json", (c.to_dict() for c in chunks), as_object=False)
    _write_json_items(build / "sentences.json", (vars(s) for s in sentences), as_object=False)
    _write_json_items(build / "documents.json", (_document_record(d) for d in documents), as_object=False)
    _write_json_items(build / "sections.json", ((d.doc_id, [_section_record(s) for s in d.sections]) for d in documents))
    _write_json_items(build / "sources.json", ((d.source_name, d.text) for d in documents))
    _write_json(build / "words.json", {"idf": inverse_document_frequency(contexts), "sentence_count": len(contexts),
                                       "vocabulary": vocabulary(chunk_texts)})
    bm25 = bm25s.BM25()
    bm25.index(bm25_tokenize(chunk_texts), show_progress=False)
    bm25.save(str(build / "bm25"), show_progress=False)


# Records are built from the dataclasses' own dicts: ``dataclasses.asdict`` deep-copies every value and
# took 15 of the 26 s spent writing a 50k-chunk build's files.
def _section_record(section: Section) -> dict:
    return {**vars(section), "passages": [vars(passage) for passage in section.passages]}


def _document_record(document: Document) -> dict:
    # text and sections are in sources.json and sections.json, read only when shown
    record = {name: value for name, value in vars(document).items() if name not in ("text", "sections")}
    record["citation_title"], record["section_count"] = document.citation_title, len(document.sections)
    record["version"], record["date"], record["review_date"] = document.version, document.date, document.review_date
    return record


def switch_to(index_dir: Path, build: Path, chroma_url: str | None = None) -> None:
    pointer = index_dir / f"{CURRENT}.{os.getpid()}.tmp"
    pointer.write_text(build.name)
    os.replace(pointer, index_dir / CURRENT)
    _prune(index_dir, build.name, chroma_url)


def _prune(index_dir: Path, keep: str, chroma_url: str | None) -> None:
    builds = sorted((index_dir / BUILDS).iterdir(), key=lambda p: p.name)
    complete = [b for b in builds if (b / "build.json").exists()]
    keep_names = {keep} | {b.name for b in complete[-KEEP_BUILDS:]}
    for build in builds:
        # a build whose server collections could not be deleted stays, so the next prune tries again
        if build.name not in keep_names and ChromaStore.of_build(build, chroma_url).delete_collections():
            shutil.rmtree(build, ignore_errors=True)
