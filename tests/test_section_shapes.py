"""Document shapes met in real council documents, each in a small INVENTED fixture (tests/fixtures/invented_*),
so a plain checkout tests them: page furniture, one paragraph per line, "You must —" lead-ins, repeated
headings, lettered standing orders, statute-style sub-paragraphs ("3.—(1)", "(2)"), an HTML policy whose
list items are its sections, a publisher line above the title, and kinds."""

from __future__ import annotations

import re

from ingest.chunks import chunk_document
from ingest.load import load_file
from ingest.sections import parse_documents

from .conftest import FIXTURES, embed


def _parse(name: str):
    (document,) = parse_documents(load_file(FIXTURES / name).text, name)
    return document


def _outline(document) -> list[tuple[str, str]]:
    return [(s.key, s.title) for s in document.sections]


def test_page_furniture_is_never_a_section_nor_inside_a_passage():
    document = _parse("invented_code_with_page_furniture.txt")
    assert document.title == "Invented Councillor Code of Conduct 2023"  # not the publisher line above it
    assert document.kind == "code_of_conduct"
    assert _outline(document) == [
        ("Introduction", "Introduction"), ("Definitions", "Definitions"), ("1.1", "Respect"), ("1.2", "Respect"),
        ("2.1", "Confidentiality"), ("2.2", "Confidentiality"), ("3.1", "Gifts and hospitality"),
        ("3.2", "Gifts and hospitality"), ("3.3", "Gifts and hospitality"), ("Appendix A", "Appendix A")]
    passages = [p.text for s in document.sections for p in s.passages]
    for furniture in ("INVENTED PARISH COUNCIL", "Approved by", "Updated 2 June", "Page ", "J.Ziegler"):
        assert not any(furniture in text for text in passages), furniture
    confidential = {s.key: s for s in document.sections}["2.1"].passages
    assert len(confidential) == 1 and confidential[0].text.endswith("authorised to give it.")
    regulations = {s.key: s for s in document.sections}["3.2"].passages
    assert len(regulations) == 1 and regulations[0].text.endswith("the Invented Interests Regulations 2012")
    assert (document.metadata["Approved"], document.metadata["Updated"]) == ("1 May 2023", "2 June 2024")


def test_numbered_headings_one_paragraph_per_line_without_blank_lines():
    document = _parse("invented_code_one_paragraph_per_line.txt")
    assert document.title == "Members' Invented Code of Conduct"
    assert [s.key for s in document.sections] == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    assert {s.key: s.title for s in document.sections}["2.2"] == "Interests"


def test_lead_in_paragraphs_are_titled_by_their_heading_and_keep_their_items():
    document = _parse("invented_code_with_lead_ins.txt")
    sections = {s.key: s for s in document.sections}
    assert (sections["1"].title, sections["2"].title) == ("General Obligations", "Registration of Gifts")
    assert [p.text for p in sections["2"].passages] == [
        "You must not —", "accept any gift which might place you under an improper obligation;",
        "use your position improperly to secure an advantage."]


def test_repeated_keys_give_unique_sections_and_chunk_ids():
    document = _parse("invented_code_with_lead_ins.txt")
    keys = [s.key for s in document.sections]
    assert keys.count("Repeated heading") == 1 and "Repeated heading (2)" in keys
    chunks, _ = chunk_document(document)
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_lettered_rules_are_sections_and_their_lower_case_items_passages():
    document = _parse("invented_standing_orders.txt")
    assert document.kind == "standing_orders"
    assert [s.key for s in document.sections] == ["1.a", "1.b", "1.c", "2.a", "3.a", "3.b"]  # "3. (a) The chair …"
    debate = {s.key: s for s in document.sections}["1.c"]
    assert [p.text for p in debate.passages][1:] == ["to speak on an amendment moved by another councillor;",
                                                      "to make a point of order."]


def test_statute_style_sub_paragraphs_are_sections_named_by_their_paragraph():
    document = _parse("invented_code_with_sub_paragraphs.txt")
    assert (document.title, document.kind) == ("Invented Town Council Code of Conduct", "code_of_conduct")
    assert _outline(document) == [
        ("1.1", "Interpretation"), ("1.2", "Interpretation"), ("2", "General Obligations"),
        ("3.1", "Personal Interests"), ("3.2", "Personal Interests"), ("3.2A", "Personal Interests"),
        ("3.3", "Personal Interests"), ("3.3.a", "Personal Interests"), ("3.3.b", "Personal Interests"),
        ("4", "Gifts and Hospitality")]
    sections = {s.key: s for s in document.sections}
    assert [p.text for p in sections["3.1"].passages] == [
        "You must in all matters consider whether you have a personal interest."]  # its "(1)" is the key's
    interest = sections["3.2"].passages  # lower-case (a), (i), (aa) items are list items of their sub-paragraph
    assert interest[0].text.startswith("You must regard yourself") and interest[0].kind == "paragraph"
    assert [p.kind for p in interest[1:]] == ["list_item"] * 6 and interest[-1].text.startswith("a decision upon")
    chunks, _ = chunk_document(document)
    assert {c.heading for c in chunks if c.section == "3.2"} == {"§3.2 Personal Interests"}


def test_html_list_items_with_headings_are_numbered_sections():
    document = _parse("invented_online_policy.html")
    assert (document.title, document.kind) == ("Invented Community Council Online Policy", "policy")
    assert _outline(document)[:3] == [("1", "Introduction"), ("2", "Passwords and Security"), ("3", "Elections")]
    passwords = {s.key: s for s in document.sections}["2"]
    assert [p.kind for p in passwords.passages] == ["paragraph", "list_item", "list_item"]
    assert not any(re.match(r"\d", s.key) for s in document.sections[3:])  # footnotes are not paragraphs


def test_ingest_of_a_repeated_footer_document_does_not_crash(tmp_path):
    from ingest.pipeline import ingest_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("invented_code_with_page_furniture.txt", "invented_code_with_lead_ins.txt"):
        (corpus / name).write_text((FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    report = ingest_corpus(corpus, tmp_path / "index", embed)
    assert not report.skipped and len(report.documents) == 2


def test_manifest_kind_overrides_the_scored_kind(tmp_path):
    from ingest.pipeline import read_corpus

    name = "invented_standing_orders.txt"
    (tmp_path / name).write_text((FIXTURES / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "manifest.yaml").write_text(f"documents:\n  - file: {name}\n    kind: procedure\n", encoding="utf-8")
    (document,), _ = read_corpus(tmp_path)
    assert document.kind == "procedure"


def test_seed_kinds_with_its_manifest(seed_documents):
    kinds = {doc_id: document.kind for doc_id, document in seed_documents.items()}
    assert kinds == {"committee-report": "report", "social-media-guidance": "guidance"}  # neither is the Code


def test_numbered_paragraphs_indented_under_a_markdown_list_item_are_sections_of_their_own():
    document = _parse("invented_code_loose_list.md")
    sections = {s.key: s for s in document.sections}
    assert list(sections) == ["4.1", "4.2", "4.3", "4.4", "5.1"]
    assert [p.text for p in sections["4.2"].passages][-1] == \
        "That the public might think the interest creates a real danger of bias."
    assert [p.text for p in sections["4.3"].passages] == ["Where an interest meets neither criterion, there may be no need to declare it."]


def test_a_heading_after_a_paragraph_without_a_full_stop_and_a_line_after_a_lead_in():
    """A title-like line after an unpunctuated paragraph is a heading; the line a lead-in ending in a colon
    introduces ("… unless:" / "The retention period has ended") is not."""
    document = _parse("invented_policy_unpunctuated.txt")
    assert [s.title for s in document.sections] == [
        "Introduction", "Definitions used", "The Rules of Record Keeping- Key Principles", "Staff Responsibility"]
    staff = document.sections[-1]
    assert [p.text for p in staff.passages] == [
        "A record will not be destroyed unless:", "The retention period has ended",
        "The clerk then destroys it securely and notes the date in the register."]


def test_html_footnote_references_are_bracketed_not_run_into_the_text():
    from ingest.formats.html import html_to_text

    text = html_to_text('<p>Reported by Ofcom in 2016<sup id="fn5"><a href="#footnote5" rel="footnote">5</a></sup>'
                        ' and by Statista<sup><a rel="footnote" href="notes.html#2">2</a></sup>;'
                        ' an area of 40 m<sup>2</sup>.</p>')
    assert "Ofcom in 2016[5] and by Statista[2];" in text and "40 m2." in text
