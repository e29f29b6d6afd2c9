"""Feedback drafts: turn members' thumbs-down answers (``guidance/feedback.py``) into draft eval cases.

A draft is a CSV row in eval-set format with the question filled in and the member's comment and what the
assistant said kept in ``notes``. ``behaviour`` and ``expected_sections`` are left empty on purpose: only an
officer can say what the right answer is, and the eval-set loader refuses the file until they have.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from guidance.evaluation.dataset import EvalCase


def thumbs_down(feedback_db: Path) -> list[dict]:
    """Thumbs-down rows of the feedback database, oldest first; none if the database does not exist yet."""
    from guidance.feedback import FeedbackStore

    if not feedback_db.is_file():
        return []
    return [row for row in FeedbackStore(feedback_db).rows() if row["rating"] == "down"]


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
    writer.writerows(draft_case(row) for row in rows)
    return out.getvalue()
