"""A second document: the invented "Example Borough Council Members' Code of Conduct"
(tests/fixtures/, clearly labelled test data) rendered as a multi-page Word file beside the seed.
Questions spanning both documents cite both; citations carry each document's version and date;
re-ingest reports what changed and which eval questions cite it."""

from __future__ import annotations

import json

import pytest

from tests.conftest import embed
from tests.corpus_helpers import REPO, SEED, copy_index, make_corpus
from tests.renderings import render_docx

CODE_TEXT = REPO / "tests" / "fixtures" / "example_borough_code_of_conduct.txt"
CODE_ID = "example-borough-council-members-code-of-conduct"


@pytest.fixture(scope="module")
def two_documents(seed_index_dir, tmp_path_factory):
    """(corpus folder, index folder) with the seed and the invented Code, ingested once."""
    from ingest.pipeline import ingest_corpus

    folder = tmp_path_factory.mktemp("two-documents")
    corpus = make_corpus(folder / "corpus", {
        SEED.name: SEED.read_text(encoding="utf-8"),
        "manifest.yaml": (SEED.parent / "manifest.yaml").read_text(encoding="utf-8"),
    })
    render_docx(CODE_TEXT.read_text(encoding="utf-8"), corpus / "example-code-of-conduct.docx")
    index_dir = copy_index(seed_index_dir, folder / "index")
    report = ingest_corpus(corpus, index_dir, embed)
    assert not report.skipped
    return corpus, index_dir, report


def test_code_sections_and_metadata_read_from_the_word_file(two_documents):
    from ingest.index import open_index

    _, index_dir, report = two_documents
    assert sorted(report.added) == sorted(
        f"{CODE_ID}#{n}" for n in ("1", "2.1", "2.2", "2.3", "2.4", "3", "4", "5"))
    assert report.removed == [] and report.changed == []
    code = open_index(index_dir).record(CODE_ID)
    assert (code.title, code.version, code.date, code.review_date) == (
        "Example Borough Council Members' Code of Conduct", "2.1", "14 April 2022", "April 2025")


@pytest.mark.parametrize("question", [
    "What do the Code of Conduct and the social media guidance say about treating people with respect?",
    "Can I bring the council into disrepute with my posts?",
])
def test_question_spanning_both_documents_cites_both_with_versions(two_documents, question):
    from guidance.answering.assistant import Assistant
    from guidance.settings import load_settings

    _, index_dir, _ = two_documents
    answer = Assistant.open(load_settings(), index_dir).ask(question)
    assert answer.status == "answered"
    cited = {c.doc_id: c for c in answer.citations}
    assert {"social-media-guidance", CODE_ID} <= cited.keys(), answer.cited_sections
    assert (cited[CODE_ID].doc_version, cited[CODE_ID].doc_date) == ("2.1", "14 April 2022")
    assert (cited["social-media-guidance"].doc_version, cited["social-media-guidance"].doc_date) == ("1.0", "6 September 2017")


def test_reingest_reports_changed_section_and_the_eval_questions_citing_it(two_documents, tmp_path):
    from typer.testing import CliRunner

    from guidance.cli.main import app
    from ingest.pipeline import ingest_corpus

    corpus, seed_index, _ = two_documents
    index_dir = copy_index(seed_index, tmp_path / "index")
    unchanged = ingest_corpus(corpus, index_dir, embed)
    assert (unchanged.added, unchanged.changed, unchanged.removed, unchanged.embedded_chunks) == ([], [], [], 0)

    revised = make_corpus(tmp_path / "revised", {
        SEED.name: SEED.read_text(encoding="utf-8").replace(
            "are happy to help with additional guidance and advice.", "will help with any further guidance and advice."),
        "manifest.yaml": (SEED.parent / "manifest.yaml").read_text(encoding="utf-8"),
    })
    report = ingest_corpus(revised, index_dir, embed)  # the Word file is gone and one section is revised
    assert report.changed == ["social-media-guidance#6.0"]
    assert report.removed == sorted(f"{CODE_ID}#{n}" for n in ("1", "2.1", "2.2", "2.3", "2.4", "3", "4", "5"))
    assert 0 < report.embedded_chunks <= 2

    result = CliRunner().invoke(app, ["changes", "--index-dir", str(index_dir), "--json"])
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)
    expected_questions = [
        f"{path.stem}:{record['id']}"
        for path in sorted((REPO / "evals").glob("*.jsonl"))
        for record in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        if "social-media-guidance#6.0" in record["expected_sections"]
    ]
    assert expected_questions and changes["questions"]["social-media-guidance#6.0"] == expected_questions
    text = CliRunner().invoke(app, ["changes", "--index-dir", str(index_dir)]).stdout
    assert f"changed  social-media-guidance#6.0  ← {expected_questions[0]}" in text
