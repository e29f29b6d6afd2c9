"""Options several ``guidance`` commands share, declared once so their names and help agree."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

IndexDir = Annotated[
    Optional[Path], typer.Option("--index-dir", help="Index folder (default: $GUIDANCE_INDEX_DIR or .index/ in the repo).")
]
