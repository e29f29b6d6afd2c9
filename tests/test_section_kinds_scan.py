"""Kind scoring's fast body scan (a signal opening with ``\\b`` searched for by its rest, the boundary checked
at each hit) counts exactly what ``finditer`` of the signal as written counts: on the seed, on every real
document, and on generated texts full of near misses ("guidances", "_policy", "tips tips", "sub-process")."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from guidance.config import DEFAULT_CORPUS_DIR
from ingest.load import is_document, load_file
from ingest.sections import parse_documents
from ingest.sections.kinds import BODY_SCANS, BODY_STRIDE, COMPILED, MAX_BODY_COUNT, _body_count

PATTERNS = [pattern for patterns in COMPILED.values() for pattern in patterns]
PIECES = st.sampled_from(
    ["guidance", "guidances", "guide", "policy", "this policy", "_policy", "policy1", "tips", "tip", "stage",
     "stages", "process", "sub-process", "report of", "purpose of the report", "resolve", "quorum", "é", "2",
     " ", " ", ". ", "-", "_", "\n", "’s"]
)
TEXTS = st.lists(PIECES, max_size=400).map("".join)


def reference_count(pattern, body: str) -> int:
    """The count as kinds.py made it before the fast scan: every ``finditer`` match of the signal as written."""
    stretches: set[int] = set()
    for match in pattern.finditer(body):
        stretches.add(match.start() // BODY_STRIDE)
        if len(stretches) == MAX_BODY_COUNT:
            break
    return len(stretches)


def bodies(folder: Path) -> list[str]:
    found = []
    for path in sorted(p for p in folder.iterdir() if is_document(p)):
        for document in parse_documents(load_file(path).text, path.name):
            found.append(" ".join(p.text for s in document.sections for p in s.passages).lower())
    return found


def test_most_body_signals_take_the_fast_scan():
    assert sum(scan is not None for scan in BODY_SCANS.values()) >= len(PATTERNS) // 2


def test_fast_scan_counts_as_finditer_on_real_documents(shared_corpora):
    texts = bodies(DEFAULT_CORPUS_DIR) + bodies(shared_corpora)
    assert len(texts) >= 10
    for body in texts:
        for pattern in PATTERNS:
            assert _body_count(pattern, body) == reference_count(pattern, body), pattern.pattern


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.integers(0, 3))
def test_fast_scan_counts_as_finditer_on_generated_texts(text, repeats):
    body = (text + " " * BODY_STRIDE) * repeats + text  # signals in several stretches, up to the cap
    for pattern in PATTERNS:
        assert _body_count(pattern, body) == reference_count(pattern, body), pattern.pattern
