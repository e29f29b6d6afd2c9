"""Freshness: whether an index still matches its corpus, judged by the content of the corpus files.

Each ingest records a fingerprint (SHA-256) of every corpus file in its ``build.json``; the index is stale when
the files' fingerprints differ from those, so a file that was only touched (opened and saved unchanged, copied
over itself) costs no rebuild, and a file whose content changed always does, whatever its modification time.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ingest.index import BuildInfo, IndexMissing, current_build, is_current_format, read_record
from ingest.load import CORRECTIONS_FILE, is_passed_over

CORPUS_FILES = "corpus_files"  # the key in build.json


# The fingerprint of a file that cannot be opened starts so: it says only the file's size and time, not its content.
UNREADABLE = "unreadable:"


def corpus_fingerprints(corpus_dir: Path) -> dict[str, str]:
    """A fingerprint of every file in the corpus folder that can change the index, by file name.

    Officers' corrections (and their lock and temporary files) apply without rebuilding, so they are left out;
    the manifest and files the ingest skips are in, so fixing either is seen.
    """
    if not corpus_dir.is_dir():
        return {}
    files = (p for p in corpus_dir.iterdir() if p.is_file() and p.name != CORRECTIONS_FILE and not is_passed_over(p.name))
    fingerprints = {}
    for path in sorted(files):
        status = path.stat()
        try:
            fingerprints[path.name] = _file_fingerprint(str(path), status.st_size, status.st_mtime_ns)
        except OSError:  # the ingest skips it, saying why; not cached, so it is read once it can be
            fingerprints[path.name] = f"{UNREADABLE}{status.st_size}:{status.st_mtime_ns}"
    return fingerprints


@lru_cache(maxsize=4096)
def _file_fingerprint(path: str, size: int, mtime_ns: int) -> str:
    """The file's SHA-256; a page checks freshness on every run, so a file is hashed again only once its size
    or modification time moved (both are in the cache key)."""
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def index_is_stale(corpus_dir: Path, index_dir: Path) -> bool:
    """True when there is no index, one of an older format, one that did not record its corpus, or a corpus
    file was added, removed or changed in content since it was built."""
    build = current_build(index_dir)
    if build is None or not is_current_format(build):
        return True
    try:
        recorded = read_record(build / "build.json", BuildInfo).corpus_files
    except IndexMissing:  # a damaged build: rebuilding is the fix
        return True
    return recorded != corpus_fingerprints(corpus_dir)
