"""Where things live by default: the repo's corpus, index and feedback paths (``guidance.settings`` reads the
environment variables that override them), and fixed limits."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS_DIR = REPO_ROOT / "corpus"
DEFAULT_INDEX_DIR = REPO_ROOT / ".index"
DEFAULT_FEEDBACK_DB = REPO_ROOT / "feedback.sqlite3"  # git-ignored, like every *.sqlite3
DEFAULT_EVAL_RUNS_DIR = REPO_ROOT / "eval-runs"
EVALS_DIR = REPO_ROOT / "evals"  # the eval sets that ship with the project

# Longest question accepted; members paste whole emails sometimes, but beyond this it is not a question.
MAX_QUESTION_CHARS = 1000
