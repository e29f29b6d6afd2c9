"""The seed saved as Word, PDF, HTML and Markdown (rendered inside the tests) ingests to the same
documents, sections, passages and answers as the text version."""

from __future__ import annotations

import pytest

from tests.conftest import embed
from tests.corpus_helpers import SEED, copy_index, make_corpus, seed_manifest
from tests.renderings import RENDERERS

QUESTIONS = [
    "Can I tweet about a planning application I will be deciding?",
    "Who can help me with social media advice?",
    "What should I not post on social media?",
    "How do I get my device on the Town Hall WiFi?",
    "Can I share someone's personal data online?",
]


def outline(documents) -> list:
    """What a format must recover: each document's sections with their passages, sub-sections and labels."""
    return [
        (d.doc_id, d.title, [(s.number, s.title, [(p.kind, p.subsection, p.label, p.text) for p in s.passages])
                             for s in d.sections])
        for d in documents
    ]


@pytest.fixture(scope="module", params=sorted(RENDERERS))
def rendered_corpus(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"corpus-{request.param}")
    name = f"guidance.{request.param}"
    RENDERERS[request.param](SEED.read_text(encoding="utf-8"), folder / name)
    make_corpus(folder, {}, seed_manifest(name))
    return request.param, folder


def test_rendering_recovers_the_text_versions_sections(rendered_corpus, seed_documents):
    from ingest.pipeline import read_corpus

    fmt, folder = rendered_corpus
    documents, skipped = read_corpus(folder)
    assert not skipped
    assert [d.source_name for d in documents] == [f"guidance.{fmt}"] * 2
    assert outline(documents) == outline(seed_documents.values())
    for document in documents:
        original = seed_documents[document.doc_id]
        assert (document.version, document.date, document.review_date) == (original.version, original.date, original.review_date)


def test_rendering_gives_the_same_answers(rendered_corpus, seed_index_dir, assistant, tmp_path):
    from guidance.answering.assistant import Assistant
    from guidance.settings import load_settings
    from ingest.pipeline import ingest_corpus

    fmt, folder = rendered_corpus
    index_dir = copy_index(seed_index_dir, tmp_path / "index")
    report = ingest_corpus(folder, index_dir, embed)
    assert report.changed == report.added == report.removed == []
    rendered = Assistant.open(load_settings(), index_dir)
    for question in QUESTIONS:
        expected, got = assistant.ask(question), rendered.ask(question)
        assert (got.status, got.cited_sections) == (expected.status, expected.cited_sections), (fmt, question)
        assert [c.quote for c in got.citations] == [c.quote for c in expected.citations], (fmt, question)


def test_pdf_page_headers_footers_and_hyphenation(tmp_path):
    """A hand-drawn two-page PDF: running header, "Page n of 2" footer, a word hyphenated at a line end
    and one at the foot of the page, and a paragraph cut by the page break."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from ingest.load import load_file
    from ingest.sections import parse_documents

    path = tmp_path / "drawn.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pages = [
        [(14, "1. Conduct online"), (10, "Members should think carefully before post-"), (10, "ing anything about a resi-")],
        [(10, "dent, and should keep their accounts"), (10, "separate."), (14, "2. Getting help"),
         (10, "Ask the Monitoring Officer.")],
    ]
    for number, lines in enumerate(pages, 1):
        pdf.setFont("Helvetica", 8)
        pdf.drawString(72, 800, "Example Borough Council – Members' Handbook")
        pdf.drawString(270, 30, f"Page {number} of 2")
        y = 740
        for size, text in lines:
            pdf.setFont("Helvetica-Bold" if size > 10 else "Helvetica", size)
            y -= 24 if size > 10 else 12
            pdf.drawString(72, y, text)
            y -= 6 if size > 10 else 0
        pdf.showPage()
    pdf.save()

    text = load_file(path).text
    assert "Handbook" not in text and "Page" not in text
    [document] = parse_documents(text, path.name)
    assert [(s.number, s.title) for s in document.sections] == [("1", "Conduct online"), ("2", "Getting help")]
    assert document.sections[0].passages[0].text == (
        "Members should think carefully before posting anything about a resident, and should keep their accounts separate."
    )
