"""Files written whole: a reader (another process, an officer's page) sees the old file or the new one, never
part of either, and a failed write leaves the old one as it was."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def replace_file(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Write ``path`` by ``write`` into a draft beside it, then put the draft in its place, with the permissions
    the file had (a new one gets the usual ones): a draft is made readable by its writer alone, and a corrections
    file saved by an officer's account must stay readable by the account the app runs as."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.chmod(draft, _permissions(path))
        os.replace(draft, path)
    except BaseException:
        Path(draft).unlink(missing_ok=True)
        raise
    return path


def _permissions(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)  # reading the umask means setting it; put it back at once
        return 0o666 & ~umask


def replace_text(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` as UTF-8, whole."""
    return replace_file(path, lambda out: out.write(text.encode("utf-8")))
