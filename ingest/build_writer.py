"""Build writing: write every file of a new build (texts, word statistics, BM25, vectors, the Chroma
collection) into its own folder, ``build.json`` last, so an interrupted build is never used.

``ingest.builds`` gives the build its folder and later makes it live; ``ingest.index`` reads it back. Why the
JSON files are written an item at a time and what runs beside the embedding: docs/performance.md, "What the
profiles showed".
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ingest.builds import new_build
from ingest.chroma_store import ChromaStore
from ingest.chunks import Chunk, Sentence
from ingest.columns import write_columns
from ingest.embedding import EmbedFunction
from ingest.index import CHUNK_VECTORS, INDEX_FORMAT, SENTENCE_VECTORS
from ingest.sections import Document, Section
from ingest.sections.records import DocumentRecord
from ingest.vectors import ProgressCallback, SavedVectors, embed_new_texts
from ingest.words import WordStatistics, search_tokens


def write_build(
    index_dir: Path,
    documents: list[Document],
    chunks: list[Chunk],
    sentences: list[Sentence],
    info: dict,
    saved: SavedVectors | None,
    embed_fn: EmbedFunction,
    on_progress: ProgressCallback = lambda *_: None,
    chroma_url: str | None = None,
) -> Path:
    """Write a complete new build beside the current one, its vectors on the Chroma server at ``chroma_url`` or
    embedded in the build; ``ingest.builds.switch_to`` makes it live."""
    build = new_build(index_dir)
    chunk_texts = [c.index_text for c in chunks]
    contexts = [s.context for s in sentences]
    store = ChromaStore.for_new_build(build, chroma_url)
    store.check_reachable()  # a server that is down fails the ingest now, not after minutes of embedding
    # What needs no vectors (opening Chroma, BM25, the text files) runs while the model embeds: the model
    # computes in onnxruntime's own threads, which leave the interpreter free.
    with ThreadPoolExecutor(max_workers=1) as background:
        collection_created = background.submit(store.create_collection)
        texts_written = background.submit(_write_texts, build, documents, chunks, sentences, chunk_texts, contexts)
        (chunk_vectors, sentence_vectors), embedded = embed_new_texts([chunk_texts, contexts], saved, embed_fn, on_progress)
        np.save(build / SENTENCE_VECTORS, sentence_vectors)
        del sentence_vectors  # the largest matrix, on disk now; Chroma's writes need the memory
        np.save(build / CHUNK_VECTORS, chunk_vectors)
        # Chroma holds only what it searches, each chunk's vector under its id; the texts and citation fields
        # are in chunks.json, and adding them to Chroma as well made its writes more than three times slower.
        collection, batch, ids = collection_created.result(), store.max_batch_size(), [c.chunk_id for c in chunks]
        for at in range(0, len(chunks), batch):
            collection.add(ids=ids[at : at + batch], embeddings=chunk_vectors[at : at + batch])
        texts_written.result()
    embedded_chunks = len(embedded.intersection(chunk_texts))
    info = {**info, "format": INDEX_FORMAT, "build": build.name, "chunks": len(chunks), "sentences": len(sentences),
            "embedded_chunks": embedded_chunks, "chroma": store.record()}
    _write_json(build / "build.json", info)  # written last: a build without it is incomplete and never used
    return build


def _write_json(path: Path, data: dict) -> None:
    _write_json_items(path, data.items())


def _write_json_items(path: Path, items: Iterable, as_object: bool = True) -> None:
    """Write a JSON object from (key, value) pairs, or a JSON array from values, one item at a time, so the
    whole text of a large build's files is never held while the model is still embedding."""
    dumps = functools.partial(json.dumps, ensure_ascii=False)
    with path.open("w", encoding="utf-8") as out:
        out.write("{" if as_object else "[")
        for position, item in enumerate(items):
            out.write("," if position else "")
            out.write(f"{dumps(item[0])}:{dumps(item[1])}" if as_object else dumps(item))
        out.write("}" if as_object else "]")


def _write_texts(build: Path, documents: list[Document], chunks: list[Chunk], sentences: list[Sentence],
                 chunk_texts: list[str], contexts: list[str]) -> None:
    """Everything of a build but its vectors: the texts, the word statistics, and BM25 over the chunks (given
    their index texts and the sentences' contexts, which the embedding holds already)."""
    import bm25s

    write_columns(build / "chunks.json", chunks, Chunk)
    write_columns(build / "sentences.json", sentences, Sentence)
    _write_json_items(build / "documents.json", (vars(DocumentRecord.of(d)) for d in documents), as_object=False)
    _write_json_items(build / "sections.json", ((d.doc_id, [_section_record(s) for s in d.sections]) for d in documents))
    _write_json_items(build / "sources.json", ((d.source_name, d.text) for d in documents))
    _write_json(build / "words.json", vars(WordStatistics.of(contexts, chunk_texts)))
    bm25 = bm25s.BM25()
    bm25.index(search_tokens(chunk_texts), show_progress=False)
    bm25.save(str(build / "bm25"), show_progress=False)


# Records are built from the dataclasses' own dicts: ``dataclasses.asdict`` deep-copies every value, which
# more than doubled the time spent writing a large build's files.
def _section_record(section: Section) -> dict:
    return {**vars(section), "passages": [vars(passage) for passage in section.passages]}
