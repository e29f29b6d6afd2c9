"""Assistant: the one entry point the CLI, the app and the evals call to answer a question.

It opens the index and the embedding model once, then for each question: safety check → follow-up
(``guidance.retrieval.followup``) → spelling → embed, once, into a ``PreparedQuestion`` that it hands to its
``Answerer`` (``guidance.answering.answerer``), recording how long each step took. The answerer is the
extractive one with officers' corrections applied first (``guidance.corrections.match``: a question that asks
the same thing as one an officer corrected is answered from the officer's section); when an LLM backend is
configured (guidance/backends), the generative one (``guidance.answering.generative``), which falls back on it.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import asdict
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from guidance.answering.answerer import Answerer, PreparedQuestion
from guidance.answering.safety import check_question, normalise_question, searchable
from guidance.answering.stream import AnswerStream
from guidance.backends import BackendSettings, chat_model
from guidance.models import Answer
from guidance.retrieval import followup
from guidance.timing import elapsed_ms
from ingest.embedding import Embedder
from ingest.index import StoredIndex, open_index

if TYPE_CHECKING:  # the entry points read the settings and hand them down; answering never imports them
    from guidance.settings import Settings


class Assistant:
    def __init__(self, index: StoredIndex, backend: BackendSettings, embedder: Embedder,
                 corrections_file: Path | None = None):
        """``backend`` picks the LLM (see guidance/backends; ``BackendSettings()`` for none) and ``embedder`` the
        embedding model, as the entry point's settings say: nothing here reads the environment.
        ``corrections_file``: the officers' corrections (default: guidance.corrections.store.corrections_path)."""
        self.index = index
        self.corrections_file = corrections_file
        self.backend = backend
        self.embedder = embedder
        index.check_embedding_model(self.embedder.label)  # IndexMissing if another model made the index's vectors
        self.generative = self._generative_answerer()

    @classmethod
    def open(cls, settings: Settings, index_dir: str | Path | None = None, backend: BackendSettings | None = None,
             corrections_file: Path | None = None) -> "Assistant":
        """The Assistant the entry point's ``settings`` describe, over ``index_dir`` (default: the settings'), with
        the settings' language model and corrections file unless given."""
        return cls(open_index(Path(index_dir or settings.index_dir), settings.chroma_url), backend or settings.backend(),
                   settings.embedder(), corrections_file or settings.corrections_file)

    def _generative_answerer(self):
        model = chat_model(self.backend)  # a bad setting fails here, at start-up, with a message naming it
        if model is None:
            return None
        from guidance.answering.generative import GenerativeAnswerer

        return GenerativeAnswerer(model, self.backend.label, self.corrected, self.extractive, self.speller,
                                  reply_deadline_s=self.backend.timeout_s)

    @cached_property
    def calibration_file(self) -> Path:
        """The answer settings chosen for the embedding model (``guidance calibrate`` writes them)."""
        from guidance.answering.calibrated import calibration_path

        return calibration_path(self.embedder.model_dir)

    @cached_property
    def extractive(self):
        """The extractive answerer, with the calibration that goes with the embedding model."""
        from guidance.answering.calibrated import calibrated_settings
        from guidance.answering.extractive import ExtractiveAnswerer
        from guidance.answering.likeness import labelled_path, load_labelled
        from guidance.answering.scoring import AnswerSettings
        from guidance.retrieval.search import HybridSearcher

        settings = calibrated_settings(AnswerSettings(), self.calibration_file)
        labelled = (load_labelled(labelled_path(self.calibration_file), self.embedder, self.embed)
                    if settings.likeness_weight else None)
        return ExtractiveAnswerer(self.index, HybridSearcher(self.index), self.embed, settings, labelled)

    def described(self) -> dict:
        """What answers: the language model, the embedding model, and the scoring settings with the files they came
        from (an eval run saves this beside its answers)."""
        from guidance.answering.likeness import labelled_path

        labelled = self.extractive.labelled
        return {
            "backend": self.backend.label,
            "embedding_model": self.embedder.label,
            "answer_settings": asdict(self.extractive.settings),
            "calibration_file": str(self.calibration_file),
            # what a question's likeness to unanswered questions is measured against (guidance.answering.likeness)
            "labelled_questions": {"file": str(labelled_path(self.calibration_file)), "questions": len(labelled.questions)}
            if labelled else None,
        }

    @cached_property
    def corrections(self):
        from guidance.corrections.match import CorrectionMatcher
        from guidance.corrections.store import CorrectionBook, corrections_path

        book = CorrectionBook(self.index, corrections_path(self.index, self.corrections_file))
        return CorrectionMatcher(book, self.embed, self.speller.correct)

    @cached_property
    def corrected(self):
        """The extractive answerer with the officers' corrections applied first."""
        from guidance.answering.corrected import CorrectingAnswerer

        return CorrectingAnswerer(self.corrections, self.extractive)

    @cached_property
    def speller(self):
        from guidance.retrieval.spelling import Speller

        return Speller(self.index.words.vocabulary)

    @property
    def answerer(self) -> Answerer:
        return self.generative or self.corrected

    def embed(self, texts: list[str]):
        return self.embedder.embed(texts)

    def prepare(self, question: str, previous_questions: list[str]) -> PreparedQuestion:
        """The question read once for every step: trimmed, read with the previous one if it follows up, spelling
        corrected and embedded. ``previous_questions``: what the conversation's earlier questions were searched with."""
        asked = question.strip()
        searched = searchable(asked)
        read = followup.search_text(searched, previous_questions)
        search_text = self.speller.correct(read)
        return PreparedQuestion(question=asked, history=tuple(previous_questions), search_text=search_text,
                                query_vector=self.embed([search_text])[0], follows_up=read != searched)

    def warm_up(self) -> None:
        """Load the model and indexes now rather than on the first question."""
        self.ask("Can I post about a planning application?")

    def ask(self, question: str, previous_questions: list[str] | None = None) -> Answer:
        return self._answering(question, previous_questions or [], streamed=False).final()

    def stream(self, question: str, previous_questions: list[str] | None = None) -> AnswerStream:
        """An ``AnswerStream``: iterate it for the draft's text as the model writes it (e.g. with
        ``st.write_stream``), then show its ``.answer``, the checked Answer, in the draft's place; its
        ``.prepared`` says how the question was read."""
        return self._answering(question, previous_questions or [], streamed=True)

    def _answering(self, question: str, previous_questions: list[str], streamed: bool) -> AnswerStream:
        """Safety check, then the prepared question answered by the answerer, whole or streamed, timed."""
        started = time.perf_counter()
        question = normalise_question(question)  # "Ｃａｎ Ｉ ｔｗｅｅｔ？" searched as "Can I tweet?"
        refusal = check_question(question)
        if refusal:
            return AnswerStream.of(Answer(question=question, status="declined", answer=refusal,
                                          timings_ms={"total": elapsed_ms(started)}))
        prepared = self.prepare(question, previous_questions)
        embed_ms, embedded = elapsed_ms(started), time.perf_counter()
        answering = self.answerer.stream(prepared) if streamed else AnswerStream.of(self.answerer.answer(prepared))

        def timed() -> Generator[str, None, Answer]:
            yield from answering
            answer = answering.answer
            answer.timings_ms = {**answer.timings_ms, "embed": embed_ms, "retrieve_and_answer": elapsed_ms(embedded),
                                 "total": elapsed_ms(started)}
            return answer

        return AnswerStream(timed(), prepared)
