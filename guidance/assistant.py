"""Assistant: the one entry point the CLI, the app and the evals call to answer a question.

It opens the index and the embedding model once, then for each question: safety check → follow-up
rewrite → embed → retrieve → answer, recording how long each step took.
"""

from __future__ import annotations

import time
from functools import cached_property
from pathlib import Path

from guidance.config import index_dir as default_index_dir
from guidance.followup import retrieval_query
from guidance.models import Answer
from guidance.safety import check_question
from ingest.index import StoredIndex, open_index


class Assistant:
    def __init__(self, index: StoredIndex):
        self.index = index

    @classmethod
    def open(cls, index_dir: str | Path | None = None) -> "Assistant":
        return cls(open_index(default_index_dir(index_dir)))

    @cached_property
    def extractive(self):
        from guidance.answer import ExtractiveAnswerer
        from guidance.retrieve import HybridSearcher

        return ExtractiveAnswerer(self.index, HybridSearcher(self.index))

    @staticmethod
    def embed(texts: list[str]):
        from guidance.embedding import embed

        return embed(texts)

    def warm_up(self) -> None:
        """Load the model and indexes now rather than on the first question."""
        self.ask("Can I post about a planning application?")

    def ask(self, question: str, previous_questions: list[str] | None = None) -> Answer:
        started = time.perf_counter()
        refusal = check_question(question)
        if refusal:
            return Answer(question=question, status="declined", answer=refusal,
                          timings_ms={"total": round((time.perf_counter() - started) * 1000, 2)})
        query = retrieval_query(question.strip(), previous_questions or [])
        query_vector = self.embed([query])[0]
        embedded = time.perf_counter()
        answer = self.extractive.answer(question.strip(), query_vector, query, self.embed)
        finished = time.perf_counter()
        answer.timings_ms = {
            "embed": round((embedded - started) * 1000, 2),
            "retrieve_and_answer": round((finished - embedded) * 1000, 2),
            "total": round((finished - started) * 1000, 2),
        }
        return answer


