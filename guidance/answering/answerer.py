"""Answerer: the one interface every way of answering offers, and the prepared question it is given.

The Assistant (``guidance.answering.assistant``) reads each question once — safety check, follow-up,
spelling, embedding — into a ``PreparedQuestion`` and hands that to its answerer: the extractive one
(``guidance.answering.extractive``), with officers' corrections applied first
(``guidance.answering.corrected.CorrectingAnswerer``), or the generative one (``guidance.answering.generative``),
which falls back on those. Each can answer whole (``answer``) or as a stream (``stream``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from guidance.answering.stream import AnswerStream
from guidance.models import Answer


@dataclass(frozen=True, eq=False)
class PreparedQuestion:
    """A question read once for every step that needs it."""

    question: str  # as the member asked it, trimmed
    history: tuple[str, ...]  # what earlier questions of the conversation were searched with, oldest first
    search_text: str  # what retrieval searches with: read with the last of ``history`` if it follows up, spelling corrected
    query_vector: np.ndarray  # the embedding of ``search_text``
    follows_up: bool  # True when ``search_text`` includes the previous question


class Answerer(Protocol):
    def answer(self, prepared: PreparedQuestion) -> Answer: ...

    def stream(self, prepared: PreparedQuestion) -> AnswerStream:
        """The answer's text as it is written, then (``AnswerStream.answer``) the checked Answer."""
        ...
