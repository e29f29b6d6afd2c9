"""Stream: an answer as it is written, then the checked answer; the same shape with or without a model.

Kept apart from ``guidance.answering.generative`` so that streaming an extractive answer never imports LangChain.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING

from guidance.models import Answer

if TYPE_CHECKING:
    from guidance.answering.answerer import PreparedQuestion


class AnswerStream:
    """The draft answer's text as the model writes it; once iteration ends, ``answer`` is the checked Answer.

    The chunks are unchecked: show them as a draft, then show ``answer`` in their place. ``prepared`` is how
    the Assistant read the question (None when it declined it unread).
    """

    def __init__(self, chunks: Generator[str, None, Answer], prepared: PreparedQuestion | None = None):
        self._chunks = chunks
        self.prepared = prepared
        self.answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        self.answer = yield from self._chunks

    def final(self) -> Answer:
        """The checked Answer, once the rest of the draft is read (and not shown)."""
        for _ in self:
            pass
        return self.answer

    @classmethod
    def of(cls, answer: Answer) -> "AnswerStream":
        def whole() -> Generator[str, None, Answer]:
            yield answer.answer
            return answer

        return cls(whole())
