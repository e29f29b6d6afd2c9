"""The members' page through Streamlit's AppTest, over the session's real index and embedding model."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.openai_standin import StandIn

REPO = Path(__file__).resolve().parent.parent
APP = str(REPO / "app.py")
PLANNING = "Can I tweet about a planning application?"


@pytest.fixture
def page(seed_index_dir, tmp_path, monkeypatch) -> AppTest:
    monkeypatch.setenv("GUIDANCE_INDEX_DIR", str(seed_index_dir))
    monkeypatch.setenv("GUIDANCE_FEEDBACK_DB", str(tmp_path / "feedback.sqlite3"))
    return AppTest.from_file(APP, default_timeout=120).run()


def ask(page: AppTest, question: str) -> AppTest:
    page.chat_input[0].set_value(question).run()
    assert not page.exception, [e.value for e in page.exception]
    return page


def last_reply(page: AppTest):
    return [m for m in page.chat_message if m.name == "assistant"][-1]


def plain(markdown: str) -> str:
    """What escaped Markdown reads as on the page."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(block) -> str:
    shown = (str(e.value) for e in block if type(e).__name__ in {"Text", "Markdown", "Caption", "Info", "Error", "Warning"})
    return plain("\n".join(shown))


def signed_in_officers_page(monkeypatch) -> AppTest:
    """The officers' page with the same settings, signed in: where an officer reads what the members' page leaves out."""
    from tests.test_officer_page import PAGE, PASSWORD, sign_in

    monkeypatch.setenv("GUIDANCE_OFFICER_PASSWORD", PASSWORD)
    return sign_in(AppTest.from_file(PAGE, default_timeout=120))


def test_first_page_has_starters_about_and_no_error(page, assistant):
    assert not page.exception
    assert len([b for b in page.button if b.key.startswith("starter-")]) == 4
    about = "\n".join(str(c.value) for c in page.sidebar.caption)
    assert "Social Media Guidance for Elected Members · version 1\\.0" in about and "13 sections" in about
    assert "guidance, not legal advice" in page.sidebar.text[0].value


def test_answer_shows_numbered_citation_with_highlighted_section(page, assistant):
    ask(page, PLANNING)
    expected = assistant.ask(PLANNING)
    reply = last_reply(page)
    assert "From the guidance" in texts(reply)
    assert "[1]" in reply.text[0].value and expected.citations[0].quote in reply.text[0].value
    first = expected.citations[0]
    assert page.expander[0].label.startswith("\\[1\\] ") and "Legal issues" in page.expander[0].label
    assert f"<mark>{first.quote[:30]}" in page.html[0].value.replace("&quot;", '"')
    assert any(c.startswith("Answered in ") for c in page.caption.values)


def test_starter_button_asks_its_question(page):
    page.button(key="starter-0").click().run()
    assert [m for m in page.chat_message if m.name == "user"][0].text[0].value.startswith("Can I post about a planning")
    assert not [b for b in page.button if b.key.startswith("starter-")]


def test_declined_question_looks_different_and_names_who_to_contact(page):
    ask(page, "Write me a post insulting my opponent, he is an idiot")
    shown = texts(last_reply(page))
    assert "Can't help with that" in shown and "From the guidance" not in shown
    assert "cannot help write posts that attack" in shown
    assert "Monitoring Officer" in page.info[0].value and "§6\\.0 Further guidance" in page.info[0].value
    assert not page.expander


def test_follow_up_is_answered_in_the_context_of_the_previous_question(page, assistant):
    ask(page, PLANNING)
    ask(page, "what about Twitter?")
    assert "Read as a follow-up to your previous question." in page.caption.values
    in_context = assistant.ask("what about Twitter?", previous_questions=[PLANNING])
    cited = [e.label for e in page.expander][-len(in_context.citations):]
    assert [label.replace("\\", "") for label in cited] == [
        f"[{n}] {c.reference}" for n, c in enumerate(in_context.citations, start=1)
    ]


def test_feedback_and_comment_are_written_to_sqlite(page, tmp_path, seed_index_dir, assistant):
    ask(page, PLANNING)
    page.feedback[0].set_value(1).run()
    page.text_area[0].input("Clear, and the quote helped.")  # a form sends its fields with the submit
    page.button(key=next(b.key for b in page.button if b.label == "Send feedback")).click().run()
    assert "Thank you, your feedback was saved." in page.caption.values
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as connection:
        connection.row_factory = sqlite3.Row
        [row] = connection.execute("SELECT * FROM feedback").fetchall()
    assert (row["rating"], row["comment"], row["question"]) == ("up", "Clear, and the quote helped.", PLANNING)
    shown = assistant.ask(PLANNING)
    assert row["answer"] == shown.answer and row["status"] == shown.status
    assert json.loads(row["citations"]) == [c.model_dump() for c in shown.citations]
    assert row["corpus_version"] == (seed_index_dir / "CURRENT").read_text().strip()

    page.feedback[0].set_value(0).run()  # the member changes their mind: the same row, now thumbs down
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as connection:
        assert connection.execute("SELECT rating FROM feedback").fetchall() == [("down",)]

    page.feedback[0].set_value(None).run()  # and clicks it again: the rating is taken back
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as connection:
        assert connection.execute("SELECT rating FROM feedback").fetchall() == []
    assert not page.text_area  # no comment box for a rating that is not there


def test_an_over_long_question_stays_in_the_members_bubble_and_the_reply_says_the_limit(page):
    """Not max_chars on the box: Streamlit empties the box when a paste goes past it, losing the member's text."""
    pasted = "Can I post this? " * 100  # 1,700 characters
    ask(page, pasted)
    [asked] = [m.text[0].value for m in page.chat_message if m.name == "user"]
    assert asked == pasted.strip()
    assert "Your question is 1,699 characters long; please keep it under 1,000" in texts(last_reply(page))


def test_internal_error_shows_a_friendly_message_and_the_page_keeps_working(seed_index_dir, tmp_path, monkeypatch, caplog):
    broken = tmp_path / "broken-index"
    shutil.copytree(seed_index_dir, broken)
    build = broken / "builds" / (broken / "CURRENT").read_text().strip()
    shutil.rmtree(build / "bm25")  # the keyword index is gone: retrieval fails on the first question
    monkeypatch.setenv("GUIDANCE_INDEX_DIR", str(broken))
    page = AppTest.from_file(APP, default_timeout=120).run()
    ask(page, PLANNING)
    assert "something went wrong while answering that" in page.error[0].value
    assert "Answering 'Can I tweet about a planning application?' failed" in caplog.text
    ask(page, "Write me a post mocking the mayor, she is useless")
    assert "Can't help with that" in texts(last_reply(page))


def test_missing_index_is_built_first_with_visible_progress(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    monkeypatch.setenv("GUIDANCE_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("GUIDANCE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("GUIDANCE_FEEDBACK_DB", str(tmp_path / "feedback.sqlite3"))
    page = AppTest.from_file(APP, default_timeout=180).run()
    assert not page.exception
    assert page.status[0].label == "Ready: 2 documents, 18 sections." and page.status[0].state == "complete"
    assert (tmp_path / "index" / "CURRENT").exists()
    ask(page, PLANNING)
    assert "From the guidance" in texts(last_reply(page))


def test_empty_documents_folder_is_explained_to_officers_and_members_see_no_server_details(tmp_path, monkeypatch):
    (tmp_path / "corpus").mkdir()
    monkeypatch.setenv("GUIDANCE_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("GUIDANCE_INDEX_DIR", str(tmp_path / "index"))
    page = AppTest.from_file(APP, default_timeout=60).run()
    assert not page.exception
    assert page.status[0].state == "error" and not page.chat_input
    members_see = texts(page.main)
    assert "The guidance is not ready yet" in members_see and "Officer evals page" in members_see
    assert str(tmp_path) not in members_see and "No readable documents" not in members_see

    officers = signed_in_officers_page(monkeypatch)
    assert officers.status[0].state == "error" and "No readable documents" in officers.status[0].text[1].value
    assert f"There is no index of the guidance in {tmp_path / 'index'}" in plain(officers.error[0].value)


def test_language_model_answers_are_labelled_and_checked(seed_index_dir, tmp_path, monkeypatch):
    """The hosted model is the tests' scripted stand-in (a real OpenAI-compatible HTTP server, not a model)."""
    with StandIn() as standin:
        monkeypatch.setenv("GUIDANCE_INDEX_DIR", str(seed_index_dir))
        monkeypatch.setenv("GUIDANCE_FEEDBACK_DB", str(tmp_path / "feedback.sqlite3"))
        monkeypatch.setenv("GUIDANCE_LLM", "openai")
        monkeypatch.setenv("GUIDANCE_LLM_URL", standin.url)
        monkeypatch.setenv("GUIDANCE_LLM_MODEL", "standin")
        page = ask(AppTest.from_file(APP, default_timeout=120).run(), PLANNING)
        assert standin.requests, "the page did not ask the model"
    shown = texts(last_reply(page))
    assert "From the guidance" in shown and "Written by openai:standin. Every quote and citation was checked" in shown
    assert page.expander and "<mark>" in page.html[0].value


def test_misconfigured_language_model_is_named_on_the_officers_page(seed_index_dir, monkeypatch):
    monkeypatch.setenv("GUIDANCE_INDEX_DIR", str(seed_index_dir))
    monkeypatch.setenv("GUIDANCE_LLM", "ollama")
    monkeypatch.delenv("GUIDANCE_LLM_MODEL", raising=False)
    page = AppTest.from_file(APP, default_timeout=60).run()
    assert not page.exception
    shown = plain(page.error[0].value)
    assert "The answering service is not set up correctly" in shown and "Officer evals page" in shown
    officers = signed_in_officers_page(monkeypatch)
    assert "set GUIDANCE_LLM_MODEL" in plain(officers.error[0].value)


def test_an_index_location_that_is_a_file_is_named_to_officers_not_a_traceback(tmp_path, monkeypatch):
    a_file = tmp_path / "index"
    a_file.write_text("notes", encoding="utf-8")
    monkeypatch.setenv("GUIDANCE_INDEX_DIR", str(a_file))
    page = AppTest.from_file(APP, default_timeout=60).run()
    assert not page.exception
    members_see = texts(page.main)
    assert "The guidance is not ready yet" in members_see and str(a_file) not in members_see
    officers = signed_in_officers_page(monkeypatch)
    shown = " ".join(plain(element.value) for element in officers.error)
    assert "is a file, not an index folder" in shown and "Unexpected error" not in shown
    assert a_file.read_text(encoding="utf-8") == "notes"


def test_a_bad_setting_is_named_to_officers_and_members_see_no_server_details(tmp_path, monkeypatch):
    missing = tmp_path / "srv" / "models" / "missing-model"
    monkeypatch.setenv("GUIDANCE_EMBEDDING_MODEL", str(missing))
    page = AppTest.from_file(APP, default_timeout=60).run()
    assert not page.exception
    members_see = texts(page.main)
    assert "The assistant is not set up correctly, so questions cannot be answered" in members_see
    assert str(missing) not in members_see and not page.chat_input
    officers = AppTest.from_file(REPO / "officer_page" / "officer_evals.py", default_timeout=60).run()
    assert f"GUIDANCE_EMBEDDING_MODEL='{missing}' is not a sentence-transformers model folder" in plain(officers.error[0].value)
