"""Build the corpus that `evals/code-of-conduct.jsonl` is asked of: the shipped corpus plus the Welsh model Code
of Conduct from ../shared/corpora (read there, never copied into the repository), the code given the id
`code-of-conduct` by the manifest.

    .venv/bin/python scripts/code_of_conduct_corpus.py /tmp/coc-corpus
    .venv/bin/guidance ingest /tmp/coc-corpus --index-dir /tmp/coc-index
    .venv/bin/guidance eval run evals/code-of-conduct.jsonl --index-dir /tmp/coc-index
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "corpus"
CODE = REPO.parent / "shared" / "corpora" / "welsh-model-code-of-conduct-manordeilo-salem-cc-2016.html"
CODE_ID = "code-of-conduct"


def build(folder: Path, code: Path = CODE) -> Path:
    """Fill ``folder`` with the shipped documents, the code and a manifest naming the code ``code-of-conduct``."""
    if not code.is_file():
        raise FileNotFoundError(f"{code} is missing: this corpus needs ../shared/corpora beside the repository")
    folder.mkdir(parents=True, exist_ok=True)
    manifest = yaml.safe_load((SHIPPED / "manifest.yaml").read_text(encoding="utf-8"))
    for entry in manifest["documents"]:
        shutil.copyfile(SHIPPED / entry["file"], folder / entry["file"])
    shutil.copyfile(code, folder / code.name)
    manifest["documents"].append({"file": code.name, "id": CODE_ID})
    (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return folder


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: code_of_conduct_corpus.py FOLDER")
    try:
        print(build(Path(sys.argv[1])))
    except FileNotFoundError as error:
        sys.exit(str(error))
