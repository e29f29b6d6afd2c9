"""Chat: a member's conversation with the assistant, kept free of Streamlit so it can be tested plainly: its
turns, the context a follow-up question is searched with, and the Assistant that answers them, whose model
warms up in the background so the page shows while it loads (and which says where to send a member the
guidance cannot help: the answerer's signpost, e.g. the guidance's §6.0).

Layout is in ``chat_view``; the section viewer's HTML in ``guidance.citing.document_view``; the index's
freshness in ``ingest.freshness``.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
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
    comment_saved: bool = False
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])


@dataclass
class Conversation:
    turns: list[Turn] = field(default_factory=list)

    def context(self) -> list[str]:
        """What earlier questions were searched with, oldest first; a follow-up builds on the last of these.

        Declined questions and errors are left out: "what about Twitter?" follows the last real question.
        """
        return [t.search_text for t in self.turns if t.answer is not None and t.answer.status != "declined"]

    def start_turn(self, question: str) -> Turn:
        """A turn for ``question``, not yet answered; the Assistant's reading of it is added when it is."""
        return Turn(question=question)


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

    @property
    def writes_drafts(self) -> bool:
        """True when a language model writes the answers, so there is a draft worth showing as it grows."""
        return self.assistant.generative is not None

    def answer_turn(self, conversation: Conversation, question: str, show_draft: Callable[[str], None] | None = None
                    ) -> Turn:
        """Answer ``question`` in the light of the conversation, timing it, and add the turn.

        The unchecked draft goes to ``show_draft`` as it grows; the turn keeps the checked answer.
        """
        turn = conversation.start_turn(question)
        started = time.perf_counter()
        self._warm_up.join()
        stream = self.assistant.stream(question, previous_questions=conversation.context())
        draft = ""
        for piece in stream:
            draft += piece
            if show_draft:
                show_draft(draft)
        turn.answer = stream.answer
        if stream.prepared:
            turn.search_text, turn.follows_up = stream.prepared.search_text, stream.prepared.follows_up
        turn.seconds = time.perf_counter() - started
        conversation.turns.append(turn)
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
