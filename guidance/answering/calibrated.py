"""Calibrated settings: the answerer's values that ``guidance calibrate`` chose, kept in ``calibrated.json``.

The packaged embedding model's file ships beside this module, so every install answers with the same
calibration; it belongs to the scoring code and the calibration set in the repo, not to one council's index,
which each ingest replaces. An adapted model (``scripts/adapt_encoder.py``) scores on another scale, so its
folder holds its own ``calibrated.json`` (``calibration_path``), chosen on questions it was not trained on.
``calibrated_defaults`` loads the packaged file into ``AnswerSettings`` by field name, ``calibrated_settings``
a model's file over those defaults; ``write_calibrated`` replaces a file.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields, replace
from pathlib import Path

from guidance.files import replace_text

CALIBRATED = Path(__file__).with_name("calibrated.json")


def calibration_path(model_dir: Path | None) -> Path:
    """The calibration that goes with an embedding model: the packaged file for the packaged model (None),
    else the one in the adapted model's folder."""
    return CALIBRATED if model_dir is None else Path(model_dir) / CALIBRATED.name


def _read(path: Path, names: set[str], owner: str) -> dict:
    values = json.loads(path.read_text(encoding="utf-8"))
    unknown = sorted(set(values) - names)
    if unknown:
        raise TypeError(f"{path} does not match {owner}: unknown {unknown}.")
    return values


def calibrated_defaults(settings_class: type, path: Path = CALIBRATED) -> type:
    """Give a class the defaults in ``calibrated.json``, field by name; put it under ``@dataclass``, which then
    reads them as the fields' defaults. A field the file does not set keeps the default written in the class."""
    names = settings_class.__annotations__
    values = _read(path, set(names), settings_class.__name__)
    unset = sorted(name for name in names if name not in values and not hasattr(settings_class, name))
    if unset:
        raise TypeError(f"{path} does not match {settings_class.__name__}: missing {unset}.")
    for name, value in values.items():
        setattr(settings_class, name, value)
    return settings_class


def calibration_problem(path: Path) -> str | None:
    """What is wrong with a model's calibration file, or None if it is absent or sets the packaged file's fields
    to numbers (what ``write_calibrated`` writes)."""
    if not path.is_file():
        return None
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"cannot be read ({error})"
    expected = set(json.loads(CALIBRATED.read_text(encoding="utf-8")))
    if not isinstance(values, dict) or set(values) - expected or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in values.values()):
        return f"is not a calibration: it should set some of {', '.join(sorted(expected))} to numbers"
    return None


def calibrated_settings(settings, path: Path):
    """``settings`` (a dataclass) with the values ``path`` sets; unchanged when there is no such file."""
    if not path.is_file():
        return settings
    return replace(settings, **_read(path, {f.name for f in fields(settings)}, type(settings).__name__))


def write_calibrated(settings, names: list[str], path: Path = CALIBRATED) -> Path:
    """Write the ``names`` fields of ``settings`` (the ones calibration searched) to ``path``, atomically."""
    values = {name: value for name, value in asdict(settings).items() if name in names}
    return replace_text(path, json.dumps(values, indent=2) + "\n")
