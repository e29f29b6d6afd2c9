"""Column files: a build's many small records (its chunks and sentences) stored as one JSON object holding an
array per field, rather than an array holding an object per record.

Why: a cold ``guidance ask`` reads every chunk and sentence before it can search. At 50k chunks (168k
sentences) an object per record took 1.2 s to read and check; the same records column-wise take 0.5 s with
every field still checked, because the parser builds a few long lists instead of 218k dictionaries.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import typing
from collections.abc import Sequence
from pathlib import Path

from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypedDict  # pydantic reads typing's own only from Python 3.12

WRITE_BLOCK = 4096  # values a field's column is written in: one call to the encoder each, a few hundred kB


class ColumnsDamaged(ValueError):
    """A column file that does not hold ``kind``'s records: ``where`` is "record.field" (or the field alone)."""

    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")
        self.where, self.problem = where, problem


def write_columns(path: Path, records: Sequence, kind: type) -> None:
    """Write ``records`` (dataclasses of ``kind``) a field at a time, ``WRITE_BLOCK`` values at a time, so the
    whole text of a large file is never held at once."""
    dumps = functools.partial(json.dumps, ensure_ascii=False)
    with path.open("w", encoding="utf-8") as out:
        out.write("{")
        for position, field in enumerate(dataclasses.fields(kind)):
            out.write(f"{',' if position else ''}{dumps(field.name)}:[")
            for at in range(0, len(records), WRITE_BLOCK):
                values = [getattr(record, field.name) for record in records[at : at + WRITE_BLOCK]]
                out.write(f"{',' if at else ''}{dumps(values)[1:-1]}")
            out.write("]")
        out.write("}")


def read_columns(raw: bytes, kind: type) -> list:
    """The records of ``kind`` in a column file's bytes, every field of every record checked against its type."""
    names = [field.name for field in dataclasses.fields(kind)]
    try:
        columns = _columns_adapter(kind).validate_json(raw)
    except ValidationError as error:
        first = error.errors()[0]
        location = first["loc"]
        # Named as the record and its field ("3.start"), as a file of one object per record would name it.
        where = f"{location[1]}.{location[0]}" if len(location) == 2 else ".".join(map(str, location)) or "the top"
        raise ColumnsDamaged(where, first["msg"]) from error
    lengths = {name: len(columns[name]) for name in names}
    if len(set(lengths.values())) > 1:
        raise ColumnsDamaged(names[0], f"its fields hold different numbers of records ({lengths})")
    return [kind(*row) for row in zip(*(columns[name] for name in names))]


@functools.cache
def _columns_adapter(kind: type) -> TypeAdapter:
    """A validator of ``{field: [value, …]}`` for every field of the dataclass ``kind``, all of them required."""
    hints = typing.get_type_hints(kind)
    fields = {field.name: list[hints[field.name]] for field in dataclasses.fields(kind)}
    return TypeAdapter(TypedDict(f"{kind.__name__}Columns", fields))
