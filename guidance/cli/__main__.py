"""``python -m guidance.cli`` runs the ``guidance`` command."""

from guidance.cli.main import app

app()
