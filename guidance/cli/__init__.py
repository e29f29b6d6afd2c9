"""CLI: the ``guidance`` command and its sub-commands (ingest, ask, eval, correct, corrections)."""

from guidance.cli.main import app

__all__ = ["app"]
