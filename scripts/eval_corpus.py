"""Build a named eval corpus in a folder outside the repository: the shipped corpus (its files and manifest) plus
real documents read from ../shared/corpora (copied into that folder, never into the repository), each given the
id its eval set cites by an entry appended to the manifest.

    .venv/bin/python scripts/eval_corpus.py code-of-conduct /tmp/coc-corpus
    .venv/bin/guidance ingest /tmp/coc-corpus --index-dir /tmp/coc-index
    .venv/bin/guidance eval run evals/code-of-conduct.jsonl --index-dir /tmp/coc-index

Corpora: ``code-of-conduct`` (for evals/code-of-conduct.jsonl, held out), ``calibration-real`` (for
evals/calibration-real.jsonl, tunable), ``heldout-real`` (for evals/heldout-real.jsonl, held out),
``standing-orders`` (for evals/standing-orders.jsonl, held out) and ``online-strategy`` (for
evals/online-strategy.jsonl, held out).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "corpus"
SHARED = REPO.parent / "shared" / "corpora"

# Each corpus: the file in ../shared/corpora → the document id its eval set cites.
CORPORA: dict[str, dict[str, str]] = {
    "code-of-conduct": {
        "welsh-model-code-of-conduct-manordeilo-salem-cc-2016.html": "code-of-conduct",
    },
    "calibration-real": {
        "hertingfordbury-pc-code-of-conduct.pdf": "hertingfordbury-code",
        "manordeilo-salem-cc-online-policy.html": "online-policy",
        "new-bradwell-pc-complaints-procedure.pdf": "complaints-procedure",
    },
    "heldout-real": {
        "ayton-community-council-code-of-conduct-scottish-borders.md": "ayton-code",
        "manordeilo-salem-cc-local-resolution-protocol.html": "resolution-protocol",
        "new-bradwell-pc-data-protection-policy.pdf": "data-protection-policy",
    },
    "standing-orders": {
        "new-bradwell-pc-standing-orders-jun21.pdf": "standing-orders",
    },
    "online-strategy": {
        "manordeilo-salem-cc-online-strategy.html": "online-strategy",
    },
}


def build(name: str, folder: Path, shared: Path = SHARED) -> Path:
    """Fill ``folder`` with the shipped documents, corpus ``name``'s shared documents and a manifest naming them."""
    if name not in CORPORA:
        raise KeyError(f"no eval corpus called {name!r}; the corpora are {', '.join(CORPORA)}")
    added = {shared / file: doc_id for file, doc_id in CORPORA[name].items()}
    missing = [str(path) for path in added if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"{', '.join(missing)} missing: this corpus needs ../shared/corpora beside the repository")
    folder.mkdir(parents=True, exist_ok=True)
    manifest = yaml.safe_load((SHIPPED / "manifest.yaml").read_text(encoding="utf-8"))
    for entry in manifest["documents"]:
        shutil.copyfile(SHIPPED / entry["file"], folder / entry["file"])
    for path, doc_id in added.items():
        shutil.copyfile(path, folder / path.name)
        manifest["documents"].append({"file": path.name, "id": doc_id})
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return folder


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(f"usage: eval_corpus.py {{{'|'.join(CORPORA)}}} FOLDER")
    try:
        print(build(sys.argv[1], Path(sys.argv[2])))
    except (KeyError, FileNotFoundError) as error:
        sys.exit(str(error.args[0]))
