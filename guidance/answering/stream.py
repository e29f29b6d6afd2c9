"""Stream: an answer as it is written, then the checked answer; the same shape with or without a model.

Kept apart from ``guidance.answering.generative`` so that streaming an extractive answer never imports LangChain.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator

from guidance.models import Answer


class AnswerStream:
    """The draft answer's text as the model writes it; once iteration ends, ``answer`` is the checked Answer.

    The chunks are unchecked: show them as a draft, then show ``answer`` in their place.
    """

    def __init__(self, chunks: Generator[str, None, Answer]):
        self._chunks = chunks
        self.answer: Answer | None = None

    def __iter__(self) -> Iterator[str]:
        self.answer = yield from self._chunks

    @classmethod
    def of(cls, answer: Answer) -> "AnswerStream":
        def whole() -> Generator[str, None, Answer]:
            yield answer.answer
            return answer

        return cls(whole())
