"""The corrections file rewritten without losing what officers wrote in it by hand: comments above, beside and
between corrections, any extra keys, and the order of the entries are kept (ruamel.yaml's round trip); only
the corrections that changed are rewritten, a removed one takes its own comments with it, and new ones go at
the end. The file is written as YAML 1.1, the version PyYAML reads it back with, so text such as "yes" or
"1:30" is quoted and stays text.
"""

from __future__ import annotations

import copy
import io
from collections import Counter, defaultdict

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

HEADER = "Officers' corrections: which section answers a question. Made with `guidance correct` or the officers' page."
# ruamel keeps a comment in a four-slot list per key; the third slot holds the comment after the key's value
# (its end-of-line comment, then the whole lines that follow up to the next key or entry).
AFTER_VALUE = 2


def corrections_yaml(existing_text: str, corrections: list[dict]) -> str:
    """``existing_text`` (the file as it is, "" for none) with its corrections made to be ``corrections``."""
    yaml = _round_trip()
    document = yaml.load(existing_text) if existing_text.strip() else None
    if document is None and existing_text.strip():  # only comments so far: keep them above the list
        document = yaml.load(existing_text.rstrip("\n") + "\ncorrections: []\n")
    if not isinstance(document, CommentedMap):
        document = CommentedMap()
        document.yaml_set_start_comment(HEADER)
    rows = document.get("corrections")
    if not isinstance(rows, CommentedSeq):
        rows = document["corrections"] = CommentedSeq()
    _reconcile(document, rows, corrections)
    rows.fa.set_block_style()
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _round_trip() -> YAML:
    yaml = YAML()
    yaml.version = (1, 1)
    yaml.width = 100
    yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _reconcile(document: CommentedMap, rows: CommentedSeq, corrections: list[dict]) -> None:
    """Drop the entries whose id is no longer wanted, update the rest in place, append the new ones."""
    wanted = Counter(correction["id"] for correction in corrections)
    kept = Counter()
    keep = []
    for row in rows:
        row_id = row.get("id") if isinstance(row, dict) else None
        keep.append(kept[row_id] < wanted[row_id])
        kept[row_id] += keep[-1]
    for position in reversed(range(len(rows))):
        if not keep[position]:
            _remove(document, rows, position)
    pending = defaultdict(list)
    for correction in corrections:
        pending[correction["id"]].append(correction)
    for row in rows:
        for key, value in pending[row["id"]].pop(0).items():
            if row.get(key) != value:
                row[key] = value
    for leftovers in pending.values():
        rows.extend(CommentedMap(correction) for correction in leftovers)


def _remove(document: CommentedMap, rows: CommentedSeq, position: int) -> None:
    """Remove an entry with its own comments (those above it and beside its keys), keeping the lines below it,
    which are about the next entry."""
    below = _lines_after(rows[position])
    del rows[position]
    if position > 0:
        above = rows[position - 1]
        last_key = list(above)[-1]
        slot = above.ca.items.setdefault(last_key, [None, None, None, None])
        own_line = slot[AFTER_VALUE].value.split("\n", 1)[0] if slot[AFTER_VALUE] else ""
        token = copy.copy(slot[AFTER_VALUE]) if slot[AFTER_VALUE] else CommentToken("", CommentMark(0))
        token.value = f"{own_line}\n{below}"
        slot[AFTER_VALUE] = token if token.value.strip() else None
    else:  # the first entry: the lines below it go where the lines above it were
        lines = [CommentToken(line + "\n", CommentMark(0)) for line in below.splitlines() if line.strip()]
        rows.ca.comment = [None, lines] if lines else None
        if "corrections" in document.ca.items:  # ruamel keeps the lines above a list's first entry in both places
            document.ca.items["corrections"][3] = lines or None


def _lines_after(row) -> str:
    """The whole comment lines after an entry's last value (not that value's own end-of-line comment)."""
    if not isinstance(row, dict) or not row:
        return ""
    slot = row.ca.items.get(list(row)[-1])
    token = slot[AFTER_VALUE] if slot else None
    return token.value.split("\n", 1)[1] if token and "\n" in token.value else ""
