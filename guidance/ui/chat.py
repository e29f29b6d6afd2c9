"""Chat: what the members' page needs that is not layout, kept free of Streamlit so it can be tested plainly.

- the conversation (turns, and the context a follow-up question is searched with);
- whether the index must be (re)built before the page can answer;
- an Assistant whose model warms up in the background, so the page shows while it loads;
- where to send a member the guidance cannot help (the answerer's signpost, e.g. the guidance's §6.0);
- safe text: Markdown escaping for labels, and HTML of a section or document with the quoted sentence
  highlighted, built only from escaped text.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from guidance.citing.citations import locate_quote
from guidance.retrieval.followup import retrieval_query
from guidance.models import Answer, Citation
from ingest.index import current_build, is_current_format
from ingest.load import CORRECTIONS_FILE
from ingest.sections.records import DocumentRecord, Passage, Section

log = logging.getLogger(__name__)

STARTER_QUESTIONS = (
    "Can I post about a planning application I will vote on?",
    "Can I share a resident's email on social media?",
    "What should I do if someone is abusive to me online?",
    "Does the Code of Conduct apply to my personal social media?",
)

# Markdown (CommonMark + Streamlit's :directives[] and $math$) gives meaning to ASCII punctuation;
# a backslash before any of it makes it literal.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown: no links, images, emphasis, directives or math can come out of it."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


@dataclass
class Turn:
    """One question and what came back: an answer, or the friendly message shown after an internal error."""

    question: str
    search_text: str
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
        context = self.context()
        search_text = retrieval_query(question.strip(), context)
        return Turn(question=question, search_text=search_text, follows_up=search_text != question.strip())


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
        turn.seconds = time.perf_counter() - started
        conversation.turns.append(turn)
        return turn

    def contact(self) -> str | None:
        """Who helps members, in the corpus's own words, quoted and referenced as the answerer signposts it."""
        self._warm_up.join()
        extractive = self.assistant.extractive
        signpost = extractive.signpost(self.assistant.embed)
        return extractive.signpost_text(signpost) if signpost else None

    @property
    def corpus_version(self) -> str:
        return self.index.info.build


def index_is_stale(corpus_dir: Path, index_dir: Path) -> bool:
    """True when there is no index, one of an older format, or a corpus file changed since it was built."""
    build = current_build(index_dir)
    if build is None or not is_current_format(build):
        return True
    built_at = (build / "build.json").stat().st_mtime
    # officers' corrections (and their lock and temporary files) apply without rebuilding the index
    corpus_files = [p for p in corpus_dir.iterdir()
                    if p.is_file() and p.name != CORRECTIONS_FILE and not p.name.startswith(".")] if corpus_dir.is_dir() else []
    return any(p.stat().st_mtime > built_at for p in corpus_files)


def find_section(index, citation: Citation) -> Section:
    return next(s for s in index.sections[citation.doc_id] if s.key == citation.section)


def _passage_html(passage: Passage, quote: str | None) -> str:
    text = passage.text
    span = locate_quote(quote, text) if quote else None
    if span:
        start, end = span
        body = f"{html.escape(text[:start])}<mark>{html.escape(text[start:end])}</mark>{html.escape(text[end:])}"
    else:
        body = html.escape(text)
    label = f"<strong>{html.escape(passage.label)}:</strong> " if passage.label else ""
    return f"<p>{label}{body}</p>"


def section_html(section: Section, quote: str | None = None, heading_tag: str = "h4") -> str:
    """A section's passages as HTML, sub-headings kept, the first occurrence of ``quote`` in <mark>."""
    parts = [f"<{heading_tag}>{html.escape(section.heading)}</{heading_tag}>"]
    subsection = None
    marked = False
    for passage in section.passages:
        if passage.subsection and passage.subsection != subsection:
            subsection = passage.subsection
            parts.append(f"<p><em>{html.escape(subsection)}</em></p>")
        rendered = _passage_html(passage, None if marked else quote)
        marked = marked or "<mark>" in rendered
        parts.append(rendered)
    return "\n".join(parts)


def document_html(sections: list[Section], citation: Citation | None = None) -> str:
    """A whole document's sections with their numbers, the cited quote highlighted where it is."""
    parts = []
    for section in sections:
        cited = citation is not None and section.key == citation.section
        parts.append(section_html(section, citation.quote if cited else None, "h5" if section.level > 1 else "h4"))
    return "\n".join(parts)


def document_line(document: DocumentRecord) -> str:
    """"Social Media Guidance for Elected Members · version 1.0 · 6 September 2017 · 13 sections"."""
    facts = [document.title]
    if document.version:
        facts.append(f"version {document.version}")
    if document.date:
        facts.append(document.date)
    facts.append(f"{document.section_count} sections")
    return " · ".join(facts)


def numbered_answer_text(answer: Answer) -> str:
    """The answer text with each full citation reference replaced by its number, e.g. "[1]". Quotes appear in
    citation order, so each citation's number replaces the first reference still unnumbered (two quotes from
    one section get [1] and [2], matching their cards)."""
    text = answer.answer
    for number, citation in enumerate(answer.citations, start=1):
        text = text.replace(f"[{citation.reference}]", f"[{number}]", 1)
    return text
