"""Feedback store: rows keep what was rated, bad input is refused by name, and concurrent writers lose nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from guidance.feedback import FeedbackError, FeedbackStore
from guidance.models import Answer, Citation
from guidance.settings import load_settings

CITATION = Citation(
    doc_id="social-media-guidance", doc_title="Social Media Guidance", doc_version="1.0", section="3.3",
    section_title="Legal issues", subsection="Libel", quote="if you publish an untrue statement about a person",
)
ANSWER = Answer(question="Can I be sued for a post?", status="answered", answer="It says…", citations=[CITATION])
WRITES_EACH = 40


def _write_many(path: str, writer: int) -> None:
    store = FeedbackStore(path)
    for number in range(WRITES_EACH):
        store.record(ANSWER, "up" if number % 2 else "down", f"build-{writer}", comment=f"writer {writer} #{number}")


# Run in a fresh interpreter rather than multiprocessing, which would re-run whatever __main__ last was.
WRITER_PROCESS = """
import sys
sys.path.insert(0, sys.argv[1])
from test_feedback import _write_many
_write_many(sys.argv[2], int(sys.argv[3]))
"""


def test_record_keeps_question_answer_citations_version_and_time(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    row_id = store.record(ANSWER, "up", "20261124T000000-abc", comment="Clear")
    [row] = store.rows()
    assert row["id"] == row_id and row["rating"] == "up" and row["comment"] == "Clear"
    assert row["question"] == ANSWER.question and row["answer"] == ANSWER.answer and row["status"] == "answered"
    assert row["citations"] == [CITATION.model_dump()]
    assert row["corpus_version"] == "20261124T000000-abc" and row["created_at"].startswith("20")
    with sqlite3.connect(tmp_path / "feedback.sqlite3") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_update_changes_rating_and_adds_comment(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    row_id = store.record(ANSWER, "up", "b1")
    store.update(row_id, rating="down")
    store.update(row_id, comment="Quoted the wrong section")
    [row] = store.rows()
    assert (row["rating"], row["comment"]) == ("down", "Quoted the wrong section")


def test_path_comes_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDANCE_FEEDBACK_DB", str(tmp_path / "sub" / "members.sqlite3"))
    assert FeedbackStore(load_settings().feedback_db).path == tmp_path / "sub" / "members.sqlite3"
    assert (tmp_path / "sub" / "members.sqlite3").exists()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.record(ANSWER, "sideways", "b1"), "must be 'up' or 'down'"),
        (lambda s: s.record(ANSWER, "up", "b1", comment="x" * 2001), "2,001 characters"),
        (lambda s: s.update(999, comment="hello"), "no feedback with id 999"),
    ],
)
def test_bad_feedback_is_refused_with_a_clear_message(tmp_path, call, message):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    with pytest.raises(FeedbackError, match=message):
        call(store)


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "feedback.sqlite3")
    tests_dir = str(Path(__file__).parent)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER_PROCESS, tests_dir, path, str(writer)]) for writer in (1, 2)]
    for process in writers:
        assert process.wait(60) == 0
    rows = FeedbackStore(path).rows()
    assert len(rows) == 2 * WRITES_EACH
    assert {r["comment"] for r in rows} == {f"writer {w} #{n}" for w in (1, 2) for n in range(WRITES_EACH)}


def test_threads_writing_at_once_lose_nothing(tmp_path):
    path = str(tmp_path / "feedback.sqlite3")
    threads = [threading.Thread(target=_write_many, args=(path, writer)) for writer in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(FeedbackStore(path).rows()) == 4 * WRITES_EACH
