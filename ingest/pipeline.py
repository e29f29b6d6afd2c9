"""Pipeline: run load → sections → chunks → index over a corpus folder and report what happened."""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from ingest.build_writer import write_build
from ingest.builds import check_apart, ingest_lock, switch_to
from ingest.changes import compare, section_fingerprints, write_changes
from ingest.chunks import chunk_document
from ingest.embedding import EmbedFunction
from ingest.freshness import CORPUS_FILES, UNREADABLE, corpus_fingerprints
from ingest.index import IndexMissing, current_build, open_index
from ingest.load import SkippedFile, UnreadableFile, is_document, is_passed_over, load_file
from ingest.manifest import Manifest, read_manifest
from ingest.naming import apply_manifest, make_ids_unique, unused_entries
from ingest.sections import Document, parse_documents
from ingest.vectors import ProgressCallback, SavedVectors

log = logging.getLogger(__name__)


class IngestReport(BaseModel):
    corpus_dir: str
    index_dir: str
    build: str
    documents: list[str]
    sections: int
    chunks: int
    embedded_chunks: int
    skipped: list[SkippedFile]
    added: list[str]
    changed: list[str]
    removed: list[str]
    unchanged: list[str]
    seconds: float


class NothingToIngest(Exception):
    """The corpus folder has no readable document; the previous index is left as it was."""


def read_corpus(corpus_dir: Path, on_file: Callable[[Path], None] = lambda _: None) -> tuple[list[Document], list[SkippedFile]]:
    """Every readable document in the folder, and the files that could not be read with the reason."""
    if not corpus_dir.is_dir():
        problem = "is a file, not a folder of documents" if corpus_dir.exists() else "does not exist"
        raise NothingToIngest(f"The corpus folder {corpus_dir} {problem}.")
    manifest = read_manifest(corpus_dir)
    documents: list[Document] = []
    skipped = _not_files(corpus_dir)
    paths = sorted(p for p in corpus_dir.iterdir() if is_document(p))
    kept = _copies_kept(paths, corpus_fingerprints(corpus_dir), {entry.file for entry in manifest.documents})
    for path in paths:
        on_file(path)
        if kept.get(path.name, path.name) != path.name:
            # a copy ("guidance (1).pdf") would be a second document answering alike, and be cited in its place
            skipped.append(SkippedFile(file=path.name, reason=f"it is the same file as {kept[path.name]}"))
            continue
        try:
            found = _parse_file(path, manifest)
        except UnreadableFile as error:
            skipped.append(SkippedFile(file=path.name, reason=str(error)))
            continue
        documents.extend(found)
    make_ids_unique(documents, manifest)
    skipped.extend(unused_entries(manifest, documents, skipped))
    return documents, skipped


def _copies_kept(paths: list[Path], fingerprints: dict[str, str], named: set[str]) -> dict[str, str]:
    """For each file with the same content and kind (extension) as another, the one of them that is read: the one
    the manifest names (its id and title are the ones cited), else the first by name. Files of different kinds are
    left to their loaders, which say what is wrong with each."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in paths:
        fingerprint = fingerprints.get(path.name, UNREADABLE)
        if not fingerprint.startswith(UNREADABLE):  # not its content: size and time alone
            groups[fingerprint, path.suffix.lower()].append(path.name)
    return {name: min(names, key=lambda candidate: (candidate not in named, candidate))
            for names in groups.values() if len(names) > 1 for name in names}


def _not_files(corpus_dir: Path) -> list[SkippedFile]:
    """What in the folder looks like it was meant to be read but is not a file of its own: a folder (only the corpus
    folder's own files are read) or a link. A link is never followed, even to a real document: it could point at
    any file the service can read (its secrets, /etc/passwd), which would then be quoted to every member."""
    def reason(path: Path) -> str:
        if path.is_symlink():
            where = "a file that does not exist" if not path.exists() else "another file"
            return (f"a link to {where}: links are not followed, so that no file from elsewhere on the server is "
                    "published to members; copy the document itself into the folder")
        return f"a folder: only files directly in {corpus_dir.name} are read; move its documents there"

    return [SkippedFile(file=f"{path.name}/" if path.is_dir() and not path.is_symlink() else path.name, reason=reason(path))
            for path in sorted(corpus_dir.iterdir())
            if not is_passed_over(path.name) and (path.is_symlink() or path.is_dir())]


def _parse_file(path: Path, manifest: Manifest) -> list[Document]:
    """The documents in one file, with what the manifest says of them; any failure is an ``UnreadableFile``
    naming the stage and the error.

    A loader or the parser failing on an unforeseen document shape is a bug, but it must cost only
    that file: the officer is told which file and what went wrong, and the traceback is logged.
    """
    stage = "reading it"
    try:
        loaded = load_file(path)
        stage = "finding its sections"
        found = parse_documents(loaded.text, path.name, kinds=False)  # scored in apply_manifest
        for document in found:
            apply_manifest(document, manifest, path.name)
    except UnreadableFile:
        raise
    except Exception as error:  # noqa: BLE001 (named for the officer; the traceback goes to the log)
        log.info("Skipping %s: unexpected error while %s", path, stage, exc_info=True)
        raise UnreadableFile(f"unexpected error while {stage} ({type(error).__name__}: {error}); "
                             "please report it with the file") from error
    if not found:
        raise UnreadableFile("no text could be read from it")
    return found


def _chunk_documents(documents: list[Document], skipped: list[SkippedFile]) -> tuple[list[Document], list, list]:
    """The documents that chunk cleanly, their chunks and sentences; a document that fails is added to ``skipped``.

    Chunk ids are unique by construction (document ids are made unique in ``read_corpus``, section keys within a
    document by the parser), so only an unforeseen error is caught here.
    """
    kept, chunks, sentences = [], [], []
    for document in documents:
        try:
            document_chunks, document_sentences = chunk_document(document)
        except Exception as error:  # noqa: BLE001 (as in _parse_file)
            log.info("Skipping %s: unexpected error while dividing it into passages", document.source_name, exc_info=True)
            skipped.append(SkippedFile(file=document.source_name, reason=f"unexpected error while dividing it into "
                                       f"passages ({type(error).__name__}: {error}); please report it with the file"))
            continue
        kept.append(document)
        chunks.extend(document_chunks)
        sentences.extend(document_sentences)
    return kept, chunks, sentences


@dataclass
class PreviousBuild:
    """What an ingest needs of the build it replaces, without its texts (which a large build's memory cannot
    spare): its name, its sections' fingerprints, and where its vectors are."""

    name: str
    fingerprints: dict[str, str]
    vectors: SavedVectors | None  # None when another embedding model made them: every text is embedded again


def previous_build(index_dir: Path, embedding_model: str | None) -> PreviousBuild | None:
    try:
        index = open_index(index_dir) if current_build(index_dir) else None
    except (IndexMissing, OSError, ValueError):
        return None  # an unreadable old build is simply rebuilt from scratch
    if index is None:
        return None
    same_model = index.info.embedding_model == embedding_model
    return PreviousBuild(index.build_dir.name, section_fingerprints(index.chunks), SavedVectors.of(index) if same_model else None)


def ingest_corpus(
    corpus_dir: Path,
    index_dir: Path,
    embed_fn: EmbedFunction,
    on_file: Callable[[Path], None] = lambda _: None,
    on_progress: ProgressCallback = lambda *_: None,
    chroma_url: str | None = None,
    embedding_model: str | None = None,
) -> IngestReport:
    """Build a new index from the corpus, its texts embedded by ``embed_fn`` (the entry point's
    ``Embedder.embed``), and switch to it; the old one answers until the switch. ``chroma_url`` puts
    the new build's vectors on that Chroma server (``GUIDANCE_CHROMA_URL``) instead of in the build folder.
    ``embedding_model`` (``Embedder.label``) is recorded in the build; the previous build's vectors are reused only
    if it recorded the same."""
    started = time.perf_counter()
    check_apart(index_dir, corpus_dir)
    with ingest_lock(index_dir):
        previous = previous_build(index_dir, embedding_model)  # first, so its texts are let go before the corpus is read
        # before reading: a file changed while the ingest reads it leaves the new index stale, never wrongly fresh
        fingerprints = corpus_fingerprints(corpus_dir)
        documents, skipped = read_corpus(corpus_dir, on_file)
        documents, chunks, sentences = _chunk_documents(documents, skipped)
        if not documents:
            reasons = "; ".join(f"{s.file}: {s.reason}" for s in skipped) or "the folder is empty"
            raise NothingToIngest(f"No readable documents in {corpus_dir} ({reasons}). The previous index is unchanged.")
        # absolute, so the corpus's corrections.yaml is found whichever folder answering runs from
        info = {"corpus_dir": str(Path(corpus_dir).resolve()), "documents": [d.doc_id for d in documents],
                "skipped": [s.model_dump() for s in skipped], CORPUS_FILES: fingerprints,
                "embedding_model": embedding_model}
        changes = compare(chunks, previous.fingerprints if previous else {}, previous.name if previous else None)
        build = write_build(index_dir, documents, chunks, sentences, info, previous.vectors if previous else None, embed_fn,
                            on_progress, chroma_url)
        write_changes(build, changes)
        switch_to(index_dir, build, chroma_url)
        embedded_chunks = json.loads((build / "build.json").read_text(encoding="utf-8"))["embedded_chunks"]

    return IngestReport(
        corpus_dir=str(corpus_dir),
        index_dir=str(index_dir),
        build=build.name,
        documents=[d.doc_id for d in documents],
        sections=len(changes.added) + len(changes.changed) + len(changes.unchanged),
        chunks=len(chunks),
        embedded_chunks=embedded_chunks,
        skipped=skipped,
        added=changes.added,
        changed=changes.changed,
        removed=changes.removed,
        unchanged=changes.unchanged,
        seconds=round(time.perf_counter() - started, 2),
    )
