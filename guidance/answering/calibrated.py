"""Calibrated settings: the answerer's values that ``guidance calibrate`` chose, kept in ``calibrated.json``.

The file ships beside this module, so every install answers with the same calibration; it belongs to the
scoring code and the calibration set in the repo, not to one council's index, which each ingest replaces.
``calibrated_defaults`` loads it into ``AnswerSettings`` by field name; ``write_calibrated`` replaces it.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

CALIBRATED = Path(__file__).with_name("calibrated.json")


def calibrated_defaults(settings_class: type, path: Path = CALIBRATED) -> type:
    """Give a class the defaults in ``calibrated.json``, field by name; put it under ``@dataclass``, which then
    reads them as the fields' defaults. A field the file does not set keeps the default written in the class."""
    values = json.loads(path.read_text(encoding="utf-8"))
    names = settings_class.__annotations__
    unknown = sorted(set(values) - set(names))
    unset = sorted(name for name in names if name not in values and not hasattr(settings_class, name))
    if unknown or unset:
        raise TypeError(f"{path} does not match {settings_class.__name__}: unknown {unknown}, missing {unset}.")
    for name, value in values.items():
        setattr(settings_class, name, value)
    return settings_class


def write_calibrated(settings, names: list[str], path: Path = CALIBRATED) -> Path:
    """Write the ``names`` fields of ``settings`` (the ones calibration searched) to ``path``, atomically."""
    values = {name: value for name, value in asdict(settings).items() if name in names}
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False) as draft:
        draft.write(json.dumps(values, indent=2) + "\n")
    os.replace(draft.name, path)
    return path
