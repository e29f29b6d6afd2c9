"""Feedback drafts: turn members' thumbs-down answers (``guidance/feedback.py``) into draft eval cases.

A draft is a CSV row in eval-set format with the question filled in and the member's comment and what the
assistant said kept in ``notes``. ``behaviour`` and ``expected_sections`` are left empty on purpose: only an
officer can say what the right answer is, and the eval-set loader refuses the file until they have.
A feedback database that exists but cannot be read is ``FeedbackReadError``, never an empty list, so a page
does not say "no feedback yet" when the file is broken.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from guidance.evaluation.dataset import EvalCase
from guidance.evaluation.spreadsheet import safe_row


class FeedbackReadError(ValueError):
    """The feedback database cannot be read; the message names the file and what is wrong."""


def thumbs_down(feedback_db: Path) -> list[dict]:
    """Thumbs-down rows of the feedback database, oldest first; none if the database does not exist yet."""
    from guidance.feedback import STORE_FAULTS, FeedbackStore

    if not feedback_db.exists():
        _check_can_be_made(feedback_db)
        return []
    if not feedback_db.is_file():
        raise FeedbackReadError(f"{feedback_db} is a folder (or another non-file), not a feedback database")
    try:
        return [row for row in FeedbackStore(feedback_db).rows() if row["rating"] == "down"]
    except STORE_FAULTS as error:  # "file is not a database", "disk I/O error", a locked file…
        raise FeedbackReadError(f"{feedback_db} cannot be read as the feedback database ({error})") from error
    except (KeyError, ValueError) as error:  # an SQLite file whose feedback table is not this app's
        raise FeedbackReadError(f"{feedback_db} is not this app's feedback database ({error!r})") from error


def _check_can_be_made(feedback_db: Path) -> None:
    """A database not made yet is "no feedback yet" only if members' feedback could be saved there: not when a
    folder it needs is a file."""
    for folder in feedback_db.parents:
        if folder.exists():
            if not folder.is_dir():
                raise FeedbackReadError(f"{feedback_db} cannot be made, because {folder} is a file, not a folder")
            return


def draft_case(row: dict) -> dict[str, str]:
    cited = ", ".join(dict.fromkeys(f"{c['doc_id']}#{c['section']}" for c in row["citations"])) or "nothing"
    comment = row["comment"].strip() or "no comment"
    return {
        "id": f"feedback-{row['id']}",
        "question": row["question"],
        "expected_sections": "",
        "behaviour": "",
        "must_mention": "",
        "must_not_mention": "",
        "notes": (
            f"Thumbs down on {row['created_at'][:10]} ({comment}). "
            f"The assistant's answer was {row['status'].replace('_', ' ')}, citing {cited}."
        ),
    }


def drafts_csv(rows: list[dict]) -> str:
    """Draft cases as an eval-set CSV for an officer to complete and upload."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(EvalCase.model_fields))
    writer.writeheader()
    writer.writerows(safe_row(draft_case(row)) for row in rows)
    return out.getvalue()
