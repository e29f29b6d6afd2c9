"""The officers' Corrections tab through Streamlit's AppTest, over the session's real index and embedding model:
correcting a member's thumbs-down answer and a typed question from the document viewer, the assistant answering
from the correction, a correction whose quote has gone flagged and not applied, and removing one."""

from __future__ import annotations

import yaml

from guidance.answering.assistant import Assistant
from guidance.settings import load_settings
from guidance.corrections.store import Correction, write_corrections
from guidance.feedback import FeedbackStore
from guidance.models import Answer
from ingest.changes import section_fingerprints
from ingest.index import open_index
from tests.test_officer_page import page, sign_in  # noqa: F401  (the page fixture)

AUTHOR = "social-media-guidance#8.0"


def corrections_tab(page):
    tab = next(tab for tab in page.tabs if tab.label == "Corrections")
    assert not page.exception, [e.value for e in page.exception]
    return tab


def choose_section(page, section_id: str, sentence: str | None = None):
    doc_id = section_id.partition("#")[0]
    page.selectbox(key="correct-document").set_value(doc_id).run()
    page.selectbox(key="correct-section").set_value(section_id).run()
    if sentence:
        page.selectbox(key="correct-sentence").set_value(sentence).run()


def test_a_thumbs_down_answer_is_corrected_and_then_answered_from_the_correction(page, tmp_path, seed_index_dir):
    question = "Who wrote the social media guidance?"
    FeedbackStore(tmp_path / "feedback.sqlite3").record(
        Answer(question=question, status="answered", answer="The Committee report says…"), "down", "b1", "Wrong section")
    sign_in(page)
    tab = corrections_tab(page)
    assert tab.radio(key="correct-source").value == "A member's thumbs-down answer"
    assert tab.selectbox(key="correct-feedback").value == question
    choose_section(page, AUTHOR, "Sarah Yates")
    assert "Sarah Yates" in corrections_tab(page).get("html")[0].proto.body  # the document viewer shows the section
    page.text_input(key="correct-officer").input("Jo Bloggs").run()
    page.text_area(key="correct-note").input("The author is in the document's header table.").run()
    page.button(key="correct-save").click().run()
    assert not page.exception, [e.value for e in page.exception]
    assert page.success[0].value.startswith("Saved correction")
    # the form starts afresh, so the next correction inherits no note or sentence; the officer's name stays
    assert page.text_area(key="correct-note").value == "" and page.text_input(key="correct-officer").value == "Jo Bloggs"
    assert page.selectbox(key="correct-sentence").index == 0

    [saved] = yaml.safe_load((tmp_path / "corrections.yaml").read_text())["corrections"]
    assert (saved["question"], saved["section"], saved["quote"], saved["officer"]) == (question, AUTHOR, "Sarah Yates", "Jo Bloggs")
    rows = corrections_tab(page).dataframe[0].value
    assert list(rows["Id"]) == [saved["id"]] and list(rows["State"]) == ["current"]

    answer = Assistant.open(load_settings(), seed_index_dir, corrections_file=tmp_path / "corrections.yaml").ask(question)
    assert (answer.basis, answer.correction_id, answer.citations[0].quote) == ("officer_correction", saved["id"], "Sarah Yates")


def test_a_typed_question_needs_the_officers_name(page, tmp_path):
    sign_in(page)
    assert corrections_tab(page).radio(key="correct-source").value == "A question I type"
    page.text_input(key="correct-question").input("Who is the author of the guidance?").run()
    choose_section(page, AUTHOR)
    page.button(key="correct-save").click().run()
    assert "Give the officer's name" in page.error[0].value.replace("\\", "")  # markdown-escaped
    assert not (tmp_path / "corrections.yaml").exists()


def test_a_correction_whose_quote_has_gone_is_flagged_and_can_be_removed(page, tmp_path, seed_index_dir):
    index = open_index(seed_index_dir)
    fingerprint = section_fingerprints(index.chunks)[AUTHOR]
    made = dict(question="Who wrote it?", section=AUTHOR, officer="Jo", created="2026-01-01T00:00:00+00:00")
    write_corrections(tmp_path / "corrections.yaml", [
        Correction(id="keep1", fingerprint=fingerprint, **made),
        Correction(id="gone1", quote="A sentence an earlier edition had", fingerprint="0" * 64, **made),
    ])
    sign_in(page)
    tab = corrections_tab(page)
    assert "1 correction needs an officer" in tab.warning[0].value
    rows = tab.dataframe[0].value.set_index("Id")
    assert rows.loc["gone1", "State"] == "not applied" and "quote is no longer in" in rows.loc["gone1", "Why"]
    page.selectbox(key="correction-chosen").set_value("gone1").run()
    assert not [b for b in page.button if b.key == "correction-confirm"]  # nothing left to confirm: only removed
    page.button(key="correction-remove").click().run()
    assert not page.exception, [e.value for e in page.exception]
    left = yaml.safe_load((tmp_path / "corrections.yaml").read_text())["corrections"]
    assert [c["id"] for c in left] == ["keep1"]
    assert list(corrections_tab(page).dataframe[0].value["Id"]) == ["keep1"]
