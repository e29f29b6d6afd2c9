"""Vector reuse: embed only the texts the previous build did not have, copying the vectors of the others.

Texts are matched by a key of their text (``text_key``), so a passage that moved keeps its vector. Why the
matrices are filled in place and the previous build's are read in blocks: docs/performance.md, "What the profiles showed".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ingest.embedding import DIMENSIONS, EmbedFunction
from ingest.index import CHUNK_VECTORS, SENTENCE_VECTORS, StoredIndex
from ingest.text import text_key

EMBED_BATCH = 512  # texts per progress step: small enough to show movement, large enough not to slow encoding
COPY_BLOCK = 16_384  # rows (24 MB) of a previous build's vectors read at a time

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
        for texts, file_name in (((c.index_text for c in index.chunks), CHUNK_VECTORS),
                                 ((s.context for s in index.sentences), SENTENCE_VECTORS)):
            for row, text in enumerate(texts):
                rows.setdefault(text_key(text), (file_name, row))
        return cls(index.build_dir, rows)


def embed_new_texts(
    groups: list[list[str]], saved: SavedVectors | None, embed_fn: EmbedFunction, on_progress: ProgressCallback
) -> tuple[list[np.ndarray], set[str]]:
    """A matrix of vectors for each group of texts, copying those the previous build saved; also the texts
    embedded now. Rows are written in place, never stacked from per-text vectors.

    Each distinct text is known by the text itself (the caller holds it already) and its first place by one
    number, its later places listed only for a text that repeats: at 50k chunks, keys made for every text and a
    list of places for each took some 40 MB while the matrices filled.
    """
    width = len(groups)  # a place is row * width + group
    first: dict[str, int] = {}
    repeats: dict[str, list[int]] = defaultdict(list)
    for group, texts in enumerate(groups):
        for row, text in enumerate(texts):
            if first.setdefault(text, row * width + group) != row * width + group:
                repeats[text].append(row * width + group)
    matrices = [np.empty((len(texts), DIMENSIONS), dtype=np.float32) for texts in groups]

    def places(text: str) -> Iterator[tuple[int, int]]:
        for place in (first[text], *repeats.get(text, ())):
            yield place % width, place // width

    copies: dict[tuple[str, int], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    missing = []
    for text in first:
        found = saved.rows.get(text_key(text)) if saved else None
        if found is None:
            missing.append(text)
            continue
        file_name, old_row = found
        for group, row in places(text):
            copies[file_name, group][0].append(old_row)
            copies[file_name, group][1].append(row)
    for (file_name, group), (old_rows, new_rows) in copies.items():
        _copy_saved_rows(saved.build_dir / file_name, np.array(old_rows), np.array(new_rows), matrices[group])
    del copies
    # Longest first across chunks and sentences alike, as a raw encode orders them, so that every batch the
    # model runs holds texts of similar length and little padding.
    missing.sort(key=len, reverse=True)
    for at in range(0, len(missing), EMBED_BATCH):
        batch = missing[at : at + EMBED_BATCH]
        for text, vector in zip(batch, embed_fn(batch)):
            for group, row in places(text):
                matrices[group][row] = vector
        on_progress("Embedding", at + len(batch), len(missing))
    return matrices, set(missing)


def _copy_saved_rows(path: Path, old_rows: np.ndarray, new_rows: np.ndarray, into: np.ndarray) -> None:
    """``into[new_rows] = saved[old_rows]`` for the matrix saved at ``path``, read a block of rows at a time.
    Reading through the mapping instead would leave its pages counted against the process's memory, and the
    previous build's vectors are as large as the new ones."""
    order = np.argsort(old_rows, kind="stable")
    old_rows, new_rows = old_rows[order], new_rows[order]
    header = np.lib.format.open_memmap(path, mode="r")  # numpy reads the header; no row is read through it
    (rows, columns), dtype, offset = header.shape, header.dtype, header.offset
    del header
    with path.open("rb") as saved:
        saved.seek(offset)
        for start in range(0, rows, COPY_BLOCK):
            block = np.fromfile(saved, dtype=dtype, count=min(COPY_BLOCK, rows - start) * columns).reshape(-1, columns)
            low, high = np.searchsorted(old_rows, [start, start + len(block)])
            # a text every council's copy shares is one row there and many here: copy at most a block at once
            for piece in range(low, high, COPY_BLOCK):
                end = min(piece + COPY_BLOCK, high)
                into[new_rows[piece:end]] = block[old_rows[piece:end] - start]
