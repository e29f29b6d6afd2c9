"""The seed is parsed by its own structure: two documents, numbered sections, no table of contents,
bold sub-headings, a Do's/Don'ts table with polarity, and the sentence split by a page break joined."""

from __future__ import annotations

from ingest.sections import parse_documents
from ingest.text import fold_whitespace

from .conftest import SEED

REPORT_SECTIONS = [
    ("1", "Purpose of report"),
    ("2", "Background"),
    ("3", "Financial implications"),
    ("Recommendation", "Recommendation"),
    ("Background papers", "Background papers"),
]
GUIDANCE_SECTIONS = [
    ("1.0", "Purpose"),
    ("2.0", "Scope"),
    ("3.1", "Why use social media?"),
    ("3.2", "Think before you post"),
    ("3.3", "Legal issues"),
    ("3.4", "Social media and the Member Code of Conduct"),
    ("3.5", "Top Tips"),
    ("4.0", "Responsibilities"),
    ("5.0", "Related Policies, Standards and Guidelines"),
    ("6.0", "Further guidance"),
    ("7.1", "Access to social media"),
    ("7.2", "Advice for using social media"),
    ("8.0", "Document Attributes"),
]


def test_seed_is_two_documents_with_their_sections(seed_documents):
    report, guidance = seed_documents["committee-report"], seed_documents["social-media-guidance"]
    assert [(s.key, s.title) for s in report.sections] == REPORT_SECTIONS
    assert [(s.key, s.title) for s in guidance.sections] == GUIDANCE_SECTIONS
    assert guidance.title == "Social Media Guidance for Elected Members"


def test_metadata_read_from_the_text():
    report, guidance = parse_documents(SEED.read_text(encoding="utf-8"), SEED.name)
    assert report.title == "Member Social Media Guidance"  # from the all-capitals line glued to "1. Purpose"
    assert guidance.version == "1.0"
    assert guidance.date == "6 September 2017"
    assert guidance.review_date == "February 2018"
    assert guidance.metadata["Author"] == "Sarah Yates"
    assert guidance.has_contents_table and not report.has_contents_table


def test_numbered_list_is_not_taken_for_headings(seed_documents):
    purpose = seed_documents["social-media-guidance"].sections[0]
    items = [p.text for p in purpose.passages if p.kind == "list_item"]
    assert items == [
        "Reasons to use social media",
        "Potential risks and problems",
        "Responsible use of social media in accordance with the Member Code of Conduct.",
    ]


def test_table_of_contents_is_not_indexed(seed_documents):
    guidance = seed_documents["social-media-guidance"]
    contents_end = SEED.read_text(encoding="utf-8").index("8.0 Document Attributes.....\t8") + 30
    for section in guidance.sections:
        assert section.start > contents_end
        for passage in section.passages:
            assert "....." not in passage.text and not passage.text.endswith("\t2")
    assert len({s.key for s in guidance.sections}) == len(guidance.sections)


def test_bold_lead_ins_become_subsections(seed_documents):
    sections = {s.key: s for s in seed_documents["social-media-guidance"].sections}
    assert [p.subsection for p in sections["3.3"].passages] == [
        "Libel", "Copyright", "Data Protection", "Bias and predetermination"
    ]
    libel = sections["3.3"].passages[0]
    assert libel.text.startswith("if you publish an untrue statement")
    hints = {p.subsection for p in sections["7.2"].passages}
    assert {"Use common sense", "Be respectful", "Networks"} <= hints


def test_dos_and_donts_keep_their_polarity(seed_documents):
    top_tips = {s.key: s for s in seed_documents["social-media-guidance"].sections}["3.5"]
    labelled = [(p.label, p.text) for p in top_tips.passages]
    assert len(labelled) == 10
    assert ("Don't", "Represent your personal views as being those of the Council") in labelled
    assert ("Do", "Set appropriate privacy settings on your accounts") in labelled
    alcohol = next(text for label, text in labelled if "alcohol" in text)
    assert dict((t, l) for l, t in labelled)[alcohol] == "Don't"
    assert all(label in ("Do", "Don't") for label, _ in labelled)


def test_sentence_broken_by_a_page_break_is_joined(seed_documents):
    sections = {s.key: s for s in seed_documents["social-media-guidance"].sections}
    respectful = [p for p in sections["7.2"].passages if p.subsection == "Be respectful"]
    assert len(respectful) == 1
    assert "Make sure that you respect people's confidentiality – do not disclose non-public information" in respectful[0].text


def test_every_passage_is_verbatim_source_text(seed_documents):
    source = SEED.read_text(encoding="utf-8")
    for document in seed_documents.values():
        for section in document.sections:
            for passage in section.passages:
                assert fold_whitespace(source[passage.start : passage.end]) == passage.text


def test_typos_in_the_source_are_kept_not_corrected():
    _, guidance = parse_documents(SEED.read_text(encoding="utf-8"), SEED.name)
    assert guidance.title == "Social Media Gudance for Elected Members"  # without the manifest's title
