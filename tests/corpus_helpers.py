"""Test helper: corpus folders built from the seed (in other formats, or beside other files) and
copies of the session's seed index, so a test can ingest into it without rebuilding from scratch."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.conftest import CORPUS, REPO, SEED  # noqa: F401 (tests import SEED and REPO from here)


def seed_manifest(file_name: str) -> dict:
    """The shipped manifest with its entries pointed at ``file_name`` (the seed saved in another format)."""
    manifest = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    for entry in manifest["documents"]:
        entry["file"] = file_name
    return manifest


def make_corpus(folder: Path, files: dict[str, bytes | str], manifest: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    if manifest is not None:
        (folder / "manifest.yaml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    return folder


def copy_index(seed_index_dir: Path, target: Path) -> Path:
    """A private copy of the seed index: ingesting into it reuses the seed's embeddings."""
    shutil.copytree(seed_index_dir, target, ignore=shutil.ignore_patterns(".ingest.lock"))
    return target


def guidance_cli(*args: str, **popen) -> subprocess.Popen:
    """The real ``guidance`` command in a separate process."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    return subprocess.Popen([sys.executable, "-m", "guidance.cli", *args], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def eval_corpus_builder():
    """``scripts/eval_corpus.py`` as a module: the script an officer runs to build a named eval corpus."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("eval_corpus", REPO / "scripts" / "eval_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
