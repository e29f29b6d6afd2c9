"""Feedback: members' thumbs up/down and comments on answers, kept in SQLite.

Each row keeps what was rated (question, answer, citations as JSON, corpus build) and when, so an officer
can see exactly what a member saw. WAL mode and a generous busy timeout let several app sessions (threads or
whole server processes) write at the same time without losing a row; each write is its own short
transaction on its own connection.
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal, get_args

from guidance.models import Answer

Rating = Literal["up", "down"]
RATINGS = get_args(Rating)
MAX_COMMENT_CHARS = 2000
BUSY_TIMEOUT_SECONDS = 30

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    status TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    corpus_version TEXT NOT NULL
)
"""


class FeedbackError(ValueError):
    """Feedback that cannot be stored; the message says what is wrong with it."""


# What a store whose file cannot be opened or written raises, from ``FeedbackStore()`` or any write: OSError
# when its folder cannot be made (a path under a file, /proc), sqlite3.Error from SQLite itself ("unable to open
# database file" for a folder, "file is not a database", "database is locked" after the busy timeout, "database
# or disk is full"). Callers that must keep working without feedback (the members' chat) catch these.
STORE_FAULTS = (OSError, sqlite3.Error)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _check(rating: str | None, comment: str) -> None:
    if rating is not None and rating not in RATINGS:
        raise FeedbackError(f"A rating must be 'up' or 'down', not {rating!r}.")
    if len(comment) > MAX_COMMENT_CHARS:
        raise FeedbackError(f"The comment is {len(comment):,} characters long; please keep it under {MAX_COMMENT_CHARS:,}.")


class FeedbackStore:
    """The feedback table in one SQLite file (the app's is ``Settings.feedback_db``)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._create_table()

    def _create_table(self) -> None:
        """Switch the file to WAL and create the table. While another process is doing the same to a new file,
        SQLite can report "locked" at once instead of waiting, so this retries until the usual busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while True:
            try:
                with closing(self._connect()) as connection, connection:
                    connection.execute("PRAGMA journal_mode=WAL")
                    connection.execute(SCHEMA)
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS)
        connection.row_factory = sqlite3.Row
        return connection

    def record(self, answer: Answer, rating: Rating, corpus_version: str, comment: str = "") -> int:
        """Store a rating of ``answer`` and return its row id."""
        _check(rating, comment)
        citations = json.dumps([c.model_dump() for c in answer.citations], ensure_ascii=False)
        now = _now()
        with closing(self._connect()) as connection, connection:
            cursor = connection.execute(
                "INSERT INTO feedback (created_at, updated_at, rating, comment, question, status, answer, citations,"
                " corpus_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (now, now, rating, comment, answer.question, answer.status, answer.answer, citations, corpus_version),
            )
            return int(cursor.lastrowid)

    def update(self, feedback_id: int, rating: Rating | None = None, comment: str | None = None) -> None:
        """Change the rating or add the comment of a stored row (a member changing their mind)."""
        _check(rating, comment or "")
        with closing(self._connect()) as connection, connection:
            updated = connection.execute(
                "UPDATE feedback SET rating = COALESCE(?, rating), comment = COALESCE(?, comment), updated_at = ?"
                " WHERE id = ?",
                (rating, comment, _now(), feedback_id),
            )
            if updated.rowcount != 1:
                raise FeedbackError(f"There is no feedback with id {feedback_id} in {self.path}.")

    def withdraw(self, feedback_id: int) -> None:
        """Delete a stored row: the member took their rating back (un-clicked the thumb)."""
        with closing(self._connect()) as connection, connection:
            connection.execute("DELETE FROM feedback WHERE id = ?", (feedback_id,))

    def rows(self) -> list[dict]:
        """Every stored row, oldest first, with citations decoded."""
        with closing(self._connect()) as connection:
            rows = [dict(row) for row in connection.execute("SELECT * FROM feedback ORDER BY id")]
        for row in rows:
            row["citations"] = json.loads(row["citations"])
        return rows
