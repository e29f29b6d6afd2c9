"""Where things live: corpus and index folders, from arguments or environment, with repo defaults."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS_DIR = REPO_ROOT / "corpus"
DEFAULT_INDEX_DIR = REPO_ROOT / ".index"
DEFAULT_FEEDBACK_DB = REPO_ROOT / "feedback.sqlite3"  # git-ignored, like every *.sqlite3

# Longest question accepted; members paste whole emails sometimes, but beyond this it is not a question.
MAX_QUESTION_CHARS = 1000


def corpus_dir(explicit: str | Path | None = None) -> Path:
    """The corpus folder: the argument, else ``GUIDANCE_CORPUS_DIR``, else ``corpus/`` in the repo."""
    return Path(explicit or os.environ.get("GUIDANCE_CORPUS_DIR") or DEFAULT_CORPUS_DIR)


def index_dir(explicit: str | Path | None = None) -> Path:
    """The index folder: the argument, else ``GUIDANCE_INDEX_DIR``, else ``.index/`` in the repo."""
    return Path(explicit or os.environ.get("GUIDANCE_INDEX_DIR") or DEFAULT_INDEX_DIR)


def feedback_db(explicit: str | Path | None = None) -> Path:
    """The members' feedback database: the argument, else ``GUIDANCE_FEEDBACK_DB``, else ``feedback.sqlite3``."""
    return Path(explicit or os.environ.get("GUIDANCE_FEEDBACK_DB") or DEFAULT_FEEDBACK_DB)
