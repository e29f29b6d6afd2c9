"""Chat: a member's conversation with the assistant, kept free of Streamlit so it can be tested plainly: its
turns, the context a follow-up question is searched with, and the Assistant that answers them, whose model
warms up in the background so the page shows while it loads (and which says where to send a member the
guidance cannot help: the answerer's signpost, e.g. the guidance's §6.0).

A question is added to the conversation as a pending turn before it is answered, and answered in place later:
Streamlit abandons a run when the member sends another question meanwhile, and the next run answers what is
still pending, in order, so no question is lost. Questions are shown as typed (the Assistant reads them in
their NFKC form, ``safety.normalise_question``).

Layout is in ``chat_view``; the section viewer's HTML in ``guidance.ui.document_view``; the index's
freshness in ``ingest.freshness``.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from dataclasses import dataclass, field

from guidance.models import Answer

log = logging.getLogger(__name__)


@dataclass
class Turn:
    """One question and what came back: an answer, or the friendly message shown after an internal error."""

    question: str
    search_text: str = ""  # what the Assistant searched with (``PreparedQuestion.search_text``)
    answer: Answer | None = None
    error: str | None = None
    seconds: float = 0.0
    follows_up: bool = False
    feedback_id: int | None = None
    rating: str | None = None  # the rating stored in row ``feedback_id``, to show again when a change fails
    feedback_problem: str | None = None  # why the last rating could not be saved, shown beside the thumbs
    comment_saved: bool = False
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    @property
    def pending(self) -> bool:
        """Asked but not yet answered (or failed)."""
        return self.answer is None and self.error is None


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)

    def context(self, before: Turn | None = None) -> list[str]:
        """What earlier questions (those before ``before``, if given) were searched with, oldest first; a
        follow-up builds on the last of these.

        Declined questions, errors and pending turns are left out: "what about Twitter?" follows the last real question.
        """
        turns = self.turns
        for position, turn in enumerate(turns):
            if turn is before:  # by identity: two turns never share one, whatever their text
                turns = turns[:position]
                break
        return [t.search_text for t in turns if t.answer is not None and t.answer.status != "declined"]

    def ask(self, question: str) -> Turn:
        """Add ``question`` as a pending turn, to be answered in turn (``WarmingAssistant.answer``); the Assistant's
        reading of it is added when it is."""
        turn = Turn(question=question)
        self.turns.append(turn)
        return turn


class WarmingAssistant:
    """An Assistant whose embedding model loads in a background thread from the moment it is created.

    Answering waits for the warm-up, so no question races the model load; the page meanwhile is already shown.
    """

    def __init__(self, assistant):
        self.assistant = assistant
        self.index = assistant.index
        self._warm_up = threading.Thread(target=self._warm, name="warm-up", daemon=True)
        self._warm_up.start()

    def _warm(self) -> None:
        try:
            self.assistant.warm_up()
        except Exception:  # the first question retries the load and shows its own error; record why here
            log.exception("Warming up the assistant failed")

    def answer(self, conversation: Conversation, turn: Turn) -> Turn:
        """Answer the pending ``turn`` in the light of the turns before it, timing it. A language model's draft is
        never shown: until the checker has read it, its quotations may be invented; the turn keeps the checked answer.
        """
        started = time.perf_counter()
        self._warm_up.join()
        stream = self.assistant.stream(turn.question, previous_questions=conversation.context(before=turn))
        for _ in stream:  # the draft, as it is written
            pass
        if stream.prepared:
            turn.search_text, turn.follows_up = stream.prepared.search_text, stream.prepared.follows_up
        turn.seconds = time.perf_counter() - started
        turn.answer = stream.answer  # last: from here on the turn is answered, never answered again
        return turn

    def contact(self) -> str | None:
        """Who helps members, in the corpus's own words, quoted and referenced as the answerer signposts it."""
        self._warm_up.join()
        extractive = self.assistant.extractive
        signpost = extractive.signpost()
        return extractive.signpost_text(signpost) if signpost else None

    @property
    def corpus_version(self) -> str:
        return self.index.info.build
