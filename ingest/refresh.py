"""Refresh: rebuild an index from its corpus when it is stale, one rebuild at a time however many ask.

The pages call this on every run; any number of sessions, server processes or a ``guidance ingest`` may find the
index stale at once. Only the holder of the folder's ingest lock (``ingest.builds``) builds; the others wait for
it and judge again, since its build is usually the one they needed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.builds import IngestInProgress, wait_for_ingest
from ingest.embedding import EmbedFunction
from ingest.freshness import index_is_stale
from ingest.pipeline import IngestReport, ingest_corpus


def rebuild_if_stale(
    corpus_dir: Path,
    index_dir: Path,
    embed_fn: EmbedFunction,
    on_file: Callable[[Path], None] = lambda _: None,
    on_wait: Callable[[], None] = lambda: None,
    chroma_url: str | None = None,
    embedding_model: str | None = None,
) -> IngestReport | None:
    """Build the index from the corpus if it is stale (``ingest.freshness``), and report it; None when the index
    was, or another ingest made it, current. ``on_wait`` is called before waiting for another ingest.

    Raises what ``ingest_corpus`` raises when the build fails; the previous index, if any, is left in use.
    """
    while index_is_stale(corpus_dir, index_dir):
        try:
            return ingest_corpus(corpus_dir, index_dir, embed_fn, on_file=on_file, chroma_url=chroma_url,
                                 embedding_model=embedding_model)
        except IngestInProgress:
            on_wait()
            wait_for_ingest(index_dir)
    return None
