"""Build lifecycle: lock the index folder for one ingest, give a new build its folder, switch ``CURRENT`` to
it once it is complete, and prune the builds no reader needs any more.

The folder's layout is described in ``ingest.index``, which reads it.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from filelock import FileLock, Timeout

from ingest.chroma_store import ChromaStore
from ingest.index import BUILDS, CURRENT

LOCK = ".ingest.lock"
KEEP_BUILDS = 2  # the one in use and the one before it, which a running app may still be reading


class IngestInProgress(Exception):
    """Another ingest holds the lock on this index folder."""


class UnusableIndexFolder(Exception):
    """The index folder is a file, cannot be made, or is (inside) the corpus folder."""


def check_apart(index_dir: Path, corpus_dir: Path) -> None:
    """Refuse an index folder that is the corpus folder or inside it, before anything is written there: every
    later ingest would find the builds, ``CURRENT`` and the lock among the documents and skip them, and a page
    would find the corpus changed by each build and rebuild for ever."""
    index, corpus = index_dir.resolve(), corpus_dir.resolve()
    if index == corpus or corpus in index.parents:
        where = "is the corpus folder" if index == corpus else f"is inside the corpus folder {corpus_dir}"
        raise UnusableIndexFolder(
            f"The index folder {index_dir} {where}, so the index would be read as documents. Put the index "
            "elsewhere, e.g. .index/ beside corpus/ (the default), with --index-dir or GUIDANCE_INDEX_DIR.")


@contextmanager
def ingest_lock(index_dir: Path) -> Iterator[None]:
    """Hold the folder's ingest lock, or refuse at once if another ingest holds it. The operating system
    releases the lock when its process dies, so a killed ingest never leaves the folder locked."""
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError as error:
        raise UnusableIndexFolder(f"{index_dir} is a file, not a folder: give a folder to build the index in.") from error
    except OSError as error:
        raise UnusableIndexFolder(f"The index folder {index_dir} cannot be made ({error.strerror or error}).") from error
    lock = FileLock(index_dir / LOCK, timeout=0)
    try:
        lock.acquire()
    except Timeout as error:
        raise IngestInProgress(
            f"Another ingest is already running on {index_dir}; wait for it to finish and try again."
        ) from error
    try:
        yield
    finally:
        lock.release()


def wait_for_ingest(index_dir: Path) -> None:
    """Return once no ingest holds the folder's lock (at once when none does)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(index_dir / LOCK):
        pass


def new_build(index_dir: Path) -> Path:
    """A new, empty build folder beside the others, named so that builds sort by when they were made: to the
    microsecond, since two ingests can finish within one second and pruning keeps the newest by name."""
    build = index_dir / BUILDS / f"{datetime.now():%Y%m%dT%H%M%S-%f}-{uuid.uuid4().hex[:8]}"
    build.mkdir(parents=True)
    return build


def switch_to(index_dir: Path, build: Path, chroma_url: str | None = None) -> None:
    """Make ``build`` the one in use, then prune the builds before the one it replaces."""
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
