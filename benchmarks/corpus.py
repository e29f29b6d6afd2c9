"""Synthetic corpus: copies of the shipped seed, each a different council's guidance, to any number of chunks.

Every copy keeps the seed's structure (committee report + appendix, numbered sections, Do's/Don'ts table)
and gets its own council name in its titles and body (``the Borough00042 Council``), so every chunk and
sentence text is distinct, BM25 sees a growing vocabulary, and the index grows as a real multi-council one.
"""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

import numpy as np
import yaml

from guidance.config import DEFAULT_CORPUS_DIR as CORPUS

COUNCIL_MARK = re.compile(r"Borough\d{5}")
TEMPLATE_MARK = "Borough"
NOISE = 0.2  # norm of the perturbation added to a copy's vector: cosine to the template's vector about 0.98


def council(copy: int) -> str:
    return f"Borough{copy:05d}"


def seed_chunks_per_copy() -> int:
    from ingest.chunks import chunk_document
    from ingest.pipeline import read_corpus

    documents, _ = read_corpus(CORPUS)
    return sum(len(chunk_document(document)[0]) for document in documents)


def write_corpus(target_chunks: int, out_dir: Path) -> int:
    """Write enough copies of the seed into ``out_dir`` for about ``target_chunks`` chunks; returns the copies."""
    copies = max(1, math.ceil(target_chunks / seed_chunks_per_copy()))
    seed_manifest = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["documents"]
    seed_text = (CORPUS / seed_manifest[0]["file"]).read_text(encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    for copy in range(copies):
        name = council(copy)
        file_name = f"{name}.txt"
        (out_dir / file_name).write_text(re.sub(r"\b([Tt]he) Council\b", rf"\1 {name} Council", seed_text), encoding="utf-8")
        for entry in seed_manifest:
            entries.append({**entry, "file": file_name, "id": f"{entry['id']}-{name.lower()}",
                            "title": f"{entry['title']} ({name})", "short_title": f"{entry['short_title']} {name}"})
    (out_dir / "manifest.yaml").write_text(yaml.safe_dump({"documents": entries}), encoding="utf-8")
    return copies


class TemplateVectors:
    """An embed function for the large sizes: each text is embedded by the real model in its council-neutral
    form once, and each copy gets that vector plus a small fixed perturbation of its own. Embedding every
    copy for real (about 4.4 texts per chunk) would take hours on two cores; retrieval cost depends on the
    number and spread of the vectors, not on which copy they came from."""

    def __init__(self, embed):
        self.embed = embed
        self.known: dict[str, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        templates = [COUNCIL_MARK.sub(TEMPLATE_MARK, text) for text in texts]
        missing = [t for t in dict.fromkeys(templates) if t not in self.known]
        if missing:
            self.known.update(zip(missing, self.embed(missing)))
        vectors = np.stack([self.known[t] for t in templates]) + np.stack([_perturbation(text) for text in texts])
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def _perturbation(text: str) -> np.ndarray:
    rng = np.random.default_rng(int(hashlib.sha256(text.encode()).hexdigest()[:15], 16))
    direction = rng.standard_normal(384)
    return NOISE * direction / np.linalg.norm(direction)
