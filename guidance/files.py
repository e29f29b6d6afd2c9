"""Files written whole: a reader (another process, an officer's page) sees the old file or the new one, never
part of either, and a failed write leaves the old one as it was."""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def replace_file(path: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Write ``path`` by ``write`` into a draft beside it, then put the draft in its place, with the permissions
    the file had (a new one gets those the umask gives): a corrections file saved by an officer's account must stay
    readable by the account the app runs as."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    # made as any new file is (0o666 less the umask), not as mkstemp's drafts are (0o600)
    handle = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        if path.exists():
            os.chmod(draft, stat.S_IMODE(path.stat().st_mode))
        os.replace(draft, path)
    except BaseException:
        draft.unlink(missing_ok=True)
        raise
    return path


def replace_text(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` as UTF-8, whole."""
    return replace_file(path, lambda out: out.write(text.encode("utf-8")))
