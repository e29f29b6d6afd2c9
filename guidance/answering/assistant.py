"""Assistant: the one entry point the CLI, the app and the evals call to answer a question.

It opens the index and the embedding model once, then for each question: safety check → follow-up
rewrite → embed → retrieve → answer, recording how long each step took. When an LLM backend is
configured (guidance/backends), answers come from guidance/answering/generative.py instead, checked and with the
extractive answer as the fallback. A question that asks the same thing as one an officer corrected
(guidance/corrections/match.py) is answered from the officer's section instead of by retrieval.
"""

from __future__ import annotations

import time
from functools import cached_property
from pathlib import Path

from guidance.backends import BackendSettings, chat_model
from guidance.retrieval.followup import retrieval_query
from guidance.models import Answer
from guidance.answering.safety import check_question
from guidance.settings import Settings, load_settings
from ingest.embedding import Embedder
from ingest.index import StoredIndex, open_index


class Assistant:
    def __init__(self, index: StoredIndex, backend: BackendSettings | None = None, corrections_file: Path | None = None,
                 embedder: Embedder | None = None):
        """``backend`` picks the LLM (see guidance/backends) and ``embedder`` the embedding model's backend; by
        default the settings' (no LLM unless configured).
        ``corrections_file``: the officers' corrections (default: guidance.corrections.store.corrections_path)."""
        self.index = index
        self.corrections_file = corrections_file
        defaults = None if backend and embedder else load_settings()
        self.backend = backend or defaults.backend()
        self.embedder = embedder or defaults.embedder()
        self.generative = self._generative_answerer()

    @classmethod
    def open(cls, index_dir: str | Path | None = None, backend: BackendSettings | None = None,
             settings: Settings | None = None) -> "Assistant":
        """The Assistant over ``index_dir`` (default: the settings'), with the settings' backend unless given."""
        settings = settings or load_settings()
        return cls(open_index(Path(index_dir or settings.index_dir), settings.chroma_url), backend or settings.backend(),
                   settings.corrections_file, embedder=settings.embedder())

    def _generative_answerer(self):
        model = chat_model(self.backend)  # a bad setting fails here, at start-up, with a message naming it
        if model is None:
            return None
        from guidance.answering.generative import GenerativeAnswerer

        return GenerativeAnswerer(self.index, model, self.backend.label, self.answer_extractively,
                                  lambda question: self.extractive.not_covered(question, self.embed),
                                  embed_fn=self.embed, correct_spelling=lambda text: self.speller.correct(text))

    @cached_property
    def extractive(self):
        from guidance.answering.extractive import ExtractiveAnswerer
        from guidance.retrieval.search import HybridSearcher

        return ExtractiveAnswerer(self.index, HybridSearcher(self.index))

    @cached_property
    def corrections(self):
        from guidance.corrections.match import CorrectionMatcher
        from guidance.corrections.store import CorrectionBook, corrections_path

        book = CorrectionBook(self.index, corrections_path(self.index, self.corrections_file))
        return CorrectionMatcher(book, self.embed, lambda text: self.speller.correct(text))

    @cached_property
    def speller(self):
        from guidance.retrieval.spelling import Speller

        return Speller(self.index.words.vocabulary)

    def retrieval_text(self, question: str, previous_questions: list[str]) -> str:
        """What to search with: the question read with the previous one if it follows up, spelling corrected."""
        return self.speller.correct(retrieval_query(question.strip(), previous_questions))

    def embed(self, texts: list[str]):
        return self.embedder.embed(texts)

    def warm_up(self) -> None:
        """Load the model and indexes now rather than on the first question."""
        self.ask("Can I post about a planning application?")

    def ask(self, question: str, previous_questions: list[str] | None = None) -> Answer:
        declined = self.declined(question)
        if declined:
            return declined
        if self.generative:
            return self.generative.answer(question.strip(), previous_questions or [])
        return self.answer_extractively(question, previous_questions or [])

    def stream(self, question: str, previous_questions: list[str] | None = None):
        """An ``AnswerStream``: iterate it for the draft's text as the model writes it (e.g. with
        ``st.write_stream``), then show its ``.answer``, the checked Answer, in the draft's place."""
        from guidance.answering.stream import AnswerStream

        declined = self.declined(question)
        if declined or not self.generative:
            return AnswerStream.of(declined or self.answer_extractively(question, previous_questions or []))
        return self.generative.stream(question.strip(), previous_questions or [])

    @staticmethod
    def declined(question: str) -> Answer | None:
        started = time.perf_counter()
        refusal = check_question(question)
        if refusal:
            return Answer(question=question, status="declined", answer=refusal,
                          timings_ms={"total": round((time.perf_counter() - started) * 1000, 2)})
        return None

    def answer_extractively(self, question: str, previous_questions: list[str]) -> Answer:
        started = time.perf_counter()
        query = self.retrieval_text(question, previous_questions)
        query_vector = self.embed([query])[0]
        embedded = time.perf_counter()
        match = self.corrections.match(query, query_vector)
        if match and match.status.applies:
            answer = self.corrections.answer(self.extractive, match, question.strip(), query, query_vector, self.embed)
        else:
            answer = self.extractive.answer(question.strip(), query_vector, query, self.embed)
            answer.notes.extend([match.withheld_note] if match else [])
        finished = time.perf_counter()
        answer.timings_ms = {
            "embed": round((embedded - started) * 1000, 2),
            "retrieve_and_answer": round((finished - embedded) * 1000, 2),
            "total": round((finished - started) * 1000, 2),
        }
        return answer


