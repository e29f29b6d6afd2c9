"""Kinds: whether a document is a code of conduct, guidance, a policy, a procedure, standing orders or a
report, scored from several signals rather than one substring.

Each kind has words that signal it. A signal in the title counts most, in a section heading next,
in the body least (each body signal counts once per 2,000 characters it recurs in, up to three),
and the file name counts a little. The best-scoring kind wins if it scores at least ``MIN_SCORE``;
otherwise the document is "other". ``kind:`` in the manifest overrides the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.sections.records import Document

SIGNALS: dict[str, list[str]] = {
    "code_of_conduct": [r"code of conduct", r"nolan|seven principles|principles of public life",
                        r"(register|registration|disclos\w+|declar\w+) of "
                        r"(personal |pecuniary |prejudicial )?interests?",
                        r"gifts and hospitality|hospitality", r"into disrepute"],
    "guidance": [r"\bguidance\b", r"\bguide\b", r"\bstrategy\b", r"\badvice\b", r"\btips?\b", r"\bbest practice\b"],
    "policy": [r"\bpolicy\b", r"\bthis policy\b", r"\bdata protection\b", r"\bpersonal data\b"],
    "procedure": [r"\bprocedure\b", r"\bprotocol\b", r"\bprocess\b", r"\bcomplaints?\b", r"\bstages?\b"],
    "standing_orders": [r"standing orders?", r"\bmotions?\b", r"\bchair of the meeting\b", r"\bquorum\b",
                        r"\bproper officer\b"],
    "report": [r"\breport\b", r"\breport of\b", r"\bpurpose of (the )?report\b", r"\brecommendations?\b",
               r"\bfinancial implications\b",
               r"\bbackground papers\b", r"\bresolve\b"],
}
TITLE_WEIGHT, HEADING_WEIGHT, BODY_WEIGHT, FILE_WEIGHT = 12, 2, 1, 2
BODY_STRIDE = 2000  # a body signal counts once per this many characters it recurs in
MAX_BODY_COUNT = 3
MIN_SCORE = 4
# Matched against lower-cased text: case-insensitive matching scans a long body several times slower.
COMPILED = {kind: [re.compile(s) for s in signals] for kind, signals in SIGNALS.items()}
WORD_BOUNDARY = re.compile(r"\b")


def _without_leading_boundary(pattern: re.Pattern) -> re.Pattern | None:
    r"""``\bword…`` as ``word…``, for a signal with no alternation: re finds a pattern that opens with a literal
    by a fast scan, but tries one that opens with ``\b`` at every character (some fifty times slower)."""
    rest = pattern.pattern.removeprefix(r"\b")
    return re.compile(rest) if rest != pattern.pattern and "|" not in rest else None


BODY_SCANS = {pattern: _without_leading_boundary(pattern) for patterns in COMPILED.values() for pattern in patterns}


def _match_starts(pattern: re.Pattern, body: str) -> Iterator[int]:
    r"""Where ``pattern.finditer(body)`` finds its matches. A signal opening with ``\b`` is searched for by its
    rest and the boundary checked at each hit, which finds the same matches (signals never match empty)."""
    rest = BODY_SCANS.get(pattern)
    if rest is None:
        yield from (match.start() for match in pattern.finditer(body))
        return
    position = 0
    while (hit := rest.search(body, position)) is not None:
        if WORD_BOUNDARY.match(body, hit.start()):  # with a position, re looks at the character before it
            yield hit.start()
            position = hit.end()
        else:
            position = hit.start() + 1


def _body_count(pattern: re.Pattern, body: str) -> int:
    """How many stretches of the body the signal occurs in, capped, so one long document does not dominate
    (the scan stops at the cap: a common word would otherwise be matched all through a long document)."""
    stretches: set[int] = set()
    for start in _match_starts(pattern, body):
        stretches.add(start // BODY_STRIDE)
        if len(stretches) == MAX_BODY_COUNT:
            break
    return len(stretches)


def kind_scores(document: Document) -> dict[str, int]:
    title = document.title.lower()
    headings = " | ".join(s.title for s in document.sections).lower()
    body = " ".join(p.text for s in document.sections for p in s.passages).lower()
    file_name = re.sub(r"[-_.]+", " ", document.source_name).lower()
    scores = {}
    for kind, patterns in COMPILED.items():
        title_hits = sum(bool(p.search(title)) for p in patterns)
        scores[kind] = (
            TITLE_WEIGHT * min(title_hits, 1)
            + HEADING_WEIGHT * sum(bool(p.search(headings)) for p in patterns)
            + BODY_WEIGHT * sum(_body_count(p, body) for p in patterns)
            + FILE_WEIGHT * min(sum(bool(p.search(file_name)) for p in patterns), 1)
        )
    return scores


def document_kind(document: Document) -> str:
    scores = kind_scores(document)
    best = max(scores, key=scores.get)
    return best if scores[best] >= MIN_SCORE else "other"
