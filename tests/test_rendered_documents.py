"""Printed variants: the shipped seed and real council documents (read from ../shared/corpora, never copied),
each rendered inside the test as Word, as a spaced PDF (bold headings in larger type, space between
paragraphs, a running header and a "Page N of M" footer) and as a plain PDF (one size and weight, no space
between paragraphs), recover the same sections (numbers and titles) and passages as their text form."""

from __future__ import annotations

import pytest

from tests.corpus_helpers import SEED
from tests.renderings import PRINTED

DOCUMENTS = [
    "seed",
    "welsh-model-code-of-conduct-manordeilo-salem-cc-2016.html",
    "manordeilo-salem-cc-online-policy.html",
    "manordeilo-salem-cc-local-resolution-protocol.html",
    "ayton-community-council-code-of-conduct-scottish-borders.md",
    "manordeilo-salem-cc-online-strategy.html",
]
CASES = [pytest.param(document, variant, id=f"{document}-{variant}") for document in DOCUMENTS for variant in sorted(PRINTED)]


def text_form(document: str, request) -> str:
    """The text the variants are rendered from: the seed as shipped, or a real document as its own loader reads it
    (from the ``shared_corpora`` fixture, which skips in a plain checkout and fails under CI when they are absent)."""
    from ingest.load import load_file

    if document == "seed":
        return SEED.read_text(encoding="utf-8")
    return load_file(request.getfixturevalue("shared_corpora") / document).text


def outline(text: str) -> list[tuple[str | None, str, list[str]]]:
    from ingest.sections import parse_documents

    return [(section.number, section.title, [passage.text for passage in section.passages])
            for document in parse_documents(text, "rendered") for section in document.sections]


@pytest.mark.parametrize(("document", "variant"), CASES)
def test_printed_variant_recovers_sections_and_passages(document, variant, tmp_path, request):
    from ingest.load import load_file

    original = text_form(document, request)
    extension, render = PRINTED[variant]
    printed = load_file(render(original, tmp_path / f"rendered.{extension}")).text
    expected, got = outline(original), outline(printed)
    assert [s[:2] for s in got] == [s[:2] for s in expected], "sections differ"
    for want, have in zip(expected, got):
        assert have[2] == want[2], f"passages of section {want[0]} {want[1]!r} differ"


def test_plain_pdf_starts_paragraphs_at_short_lines_and_numbers(tmp_path):
    """Without paragraph spacing a page must not become one blob: every paragraph and numbered heading of the
    seed's first page is a block of its own."""
    from ingest.load import load_file
    from tests.renderings import render_plain_pdf

    printed = load_file(render_plain_pdf(SEED.read_text(encoding="utf-8"), tmp_path / "plain.pdf")).text
    blocks = printed.split("\n\n")
    for expected in ("2. Background", "3. Financial implications", "Recommendation",
                     "The Guidance should be read in conjunction with the Members' Code of Conduct."):
        assert expected in blocks
    assert "Rendered for testing" not in printed and "Page 1 of" not in printed
