"""Chat view: the Streamlit pieces of the members' page (``app.py`` only arranges them).

Nothing a member types reaches Markdown or HTML: questions and answers are shown with ``st.text``,
labels go through ``escape_markdown`` and the section viewer's HTML comes from autoescaped templates.
A feedback file that cannot be opened or written costs the members their thumbs, never the chat: the fault is
logged and the page says in one line that ratings are unavailable.
"""

from __future__ import annotations

import logging

import streamlit as st

from guidance.answering.safety import EMPTY_QUESTION, has_words
from guidance.ui.document_view import document_html, document_line, find_section, section_html
from guidance.ui.references import numbered_answer_text
from guidance.feedback import MAX_COMMENT_CHARS, STORE_FAULTS, FeedbackError, FeedbackStore
from guidance.models import Citation
from guidance.settings import Settings
from guidance.ui.chat import Conversation, Turn, WarmingAssistant
from guidance.ui.markdown import escape_markdown
from ingest.chroma_store import ChromaUnavailable

log = logging.getLogger(__name__)
ERROR_MESSAGE = "Sorry, something went wrong while answering that. The problem has been logged; please try again."
THUMBS = {0: "down", 1: "up"}
RATING_INDEX = {rating: index for index, rating in THUMBS.items()}
FEEDBACK_UNAVAILABLE = "Rating answers is not available at the moment."
FEEDBACK_NOT_SAVED = "Your feedback could not be saved; please try again later."
STARTER_QUESTIONS = (
    "Can I post about a planning application I will vote on?",
    "Can I share a resident's email on social media?",
    "What should I do if someone is abusive to me online?",
    "Does the Code of Conduct apply to my personal social media?",
)


@st.cache_resource(show_spinner=False)
def _feedback_store(path: str) -> FeedbackStore:
    return FeedbackStore(path)


def feedback_store(settings: Settings) -> FeedbackStore | None:
    """The feedback store, or ``None`` when its file cannot be opened (a folder, under a file, not SQLite…): the
    chat goes on without ratings. Logged once a session; retried each run (failures are not cached)."""
    try:
        return _feedback_store(str(settings.feedback_db))
    except STORE_FAULTS:
        if not st.session_state.get("feedback-fault-logged"):
            log.exception("The feedback store %s cannot be opened; members cannot rate answers", settings.feedback_db)
            st.session_state["feedback-fault-logged"] = True
        return None


def conversation() -> Conversation:
    return st.session_state.setdefault("conversation", Conversation())


def receive(chat: Conversation, question: str | None) -> bool:
    """Add a new ``question`` to ``chat`` as a pending turn; False (nothing added) when it has no letter or digit.
    Call it straight after ``st.chat_input``: it is plain Python, while any Streamlit call may end the run when
    the member sends another question meanwhile, which would lose this one."""
    if not question or not has_words(question):
        return False
    chat.ask(question)
    return True


def ask_for_a_question() -> None:
    """In place of an answer to input with nothing to answer ("   ", "?", "🤔"): no turn, so no thumbs."""
    st.info(EMPTY_QUESTION, icon=":material/edit:")


def render_about(assistant: WarmingAssistant) -> None:
    with st.sidebar:
        st.subheader("About")
        st.text("This assistant quotes the council's guidance for members and cites each section it uses. "
                "It gives guidance, not legal advice.")
        st.markdown("**Documents loaded**")
        for document in assistant.index.documents:
            st.caption(escape_markdown(document_line(document)))


def _choose_starter(question: str) -> None:
    st.session_state["starter"] = question


def starter_question() -> str | None:
    """The starter question clicked on the previous run, if any (used once)."""
    return st.session_state.pop("starter", None)


def render_starters() -> None:
    st.markdown("**Try asking**")
    for number, question in enumerate(STARTER_QUESTIONS):
        st.button(question, key=f"starter-{number}", on_click=_choose_starter, args=(question,), width="stretch")


def _answer_and_render(assistant: WarmingAssistant, chat: Conversation, turn: Turn, feedback: FeedbackStore | None
                       ) -> None:
    """Answer a pending turn (or record a friendly error, logged) and show the reply."""
    with st.spinner("Looking in the guidance…"):
        try:
            assistant.answer(chat, turn)
        except ChromaUnavailable as error:  # the index server is down: say so; answering resumes when it returns
            log.warning("Answering %r failed: %s", turn.question[:200], error)
            turn.error = str(error)
        except Exception:
            log.exception("Answering %r failed", turn.question[:200])
            turn.error = ERROR_MESSAGE
    _render_reply(assistant, turn, feedback)


def render_history(assistant: WarmingAssistant, feedback: FeedbackStore | None) -> None:
    """Every turn in order; pending ones (the new question, or one whose run was abandoned for a newer one)
    are answered where they stand, in the light of those before them."""
    chat = conversation()
    for turn in list(chat.turns):
        with st.chat_message("user"):
            st.text(turn.question)
        with st.chat_message("assistant"):
            if turn.pending:
                _answer_and_render(assistant, chat, turn, feedback)
            else:
                _render_reply(assistant, turn, feedback)


def _render_reply(assistant: WarmingAssistant, turn: Turn, feedback: FeedbackStore | None) -> None:
    if turn.error:
        st.error(escape_markdown(turn.error), icon=":material/error:")
        return
    answer = turn.answer
    if turn.follows_up:
        st.caption("Read as a follow-up to your previous question.")
    if answer.status == "answered":
        st.badge("From the guidance", icon=":material/menu_book:", color="green")
        st.text(numbered_answer_text(answer))
        if answer.mode == "generative":
            st.caption(escape_markdown(f"Written by {answer.backend}. Every quote and citation was checked against the "
                                       "guidance; the model's own words around them were not: rely on the quotes."))
        for number, citation in enumerate(answer.citations, start=1):
            _render_citation(assistant, turn, number, citation)
    else:
        declined = answer.status == "declined"
        st.badge("Can't help with that" if declined else "Not covered by the guidance",
                 icon=":material/block:" if declined else ":material/help:", color="orange" if declined else "gray")
        st.text(answer.answer)
        _render_contact(assistant, answer.answer)
    st.caption(f"Answered in {turn.seconds:.2f} s")
    _render_feedback(assistant, turn, feedback)


def _render_contact(assistant: WarmingAssistant, shown: str) -> None:
    """Who to contact, unless the reply already says it (a not-covered answer quotes the signpost itself)."""
    try:
        contact = assistant.contact()
    except Exception:  # noqa: BLE001 (finding the contact searches the index; a broken one must not break the reply)
        log.exception("Finding who to contact failed")
        contact = None
    if contact and contact not in shown:
        st.info(escape_markdown(f"Who to contact: {contact}"), icon=":material/support_agent:")


def _render_citation(assistant: WarmingAssistant, turn: Turn, number: int, citation: Citation) -> None:
    with st.expander(escape_markdown(f"[{number}] {citation.reference}"), icon=":material/format_quote:"):
        st.caption(escape_markdown(document_line(assistant.index.record(citation.doc_id))))
        st.html(section_html(find_section(assistant.index, citation), citation.quote))
        if st.button("View whole document", key=f"doc-{turn.id}-{number}", icon=":material/description:"):
            _show_document(assistant, citation)


@st.dialog("Document", width="large")
def _show_document(assistant: WarmingAssistant, citation: Citation) -> None:
    document = assistant.index.record(citation.doc_id)
    st.subheader(escape_markdown(document.title))
    st.caption(escape_markdown(document_line(document)))
    st.html(document_html(assistant.index.sections[citation.doc_id], citation))


def _rate(assistant: WarmingAssistant, turn: Turn, store: FeedbackStore) -> None:
    """Store the thumb just clicked. A store that fails now (the file gone, "database is locked" after the busy
    timeout, a full disk) is logged and noted on the turn, and the thumbs go back to what is stored."""
    key = f"rating-{turn.id}"
    rating = THUMBS.get(st.session_state.get(key))
    if rating is None and turn.feedback_id is None:
        return
    try:
        if rating is None:  # the thumb clicked again: the rating is taken back, with its comment
            store.withdraw(turn.feedback_id)
            turn.feedback_id, turn.comment_saved = None, False
        elif turn.feedback_id is None:
            turn.feedback_id = store.record(turn.answer, rating, assistant.corpus_version)
        else:
            store.update(turn.feedback_id, rating=rating)
    except STORE_FAULTS:
        log.exception("Saving a rating in %s failed", store.path)
        turn.feedback_problem = FEEDBACK_NOT_SAVED
        st.session_state[key] = RATING_INDEX.get(turn.rating)
        return
    turn.rating, turn.feedback_problem = rating, None


def _render_feedback(assistant: WarmingAssistant, turn: Turn, feedback: FeedbackStore | None) -> None:
    if feedback is None:
        st.caption(FEEDBACK_UNAVAILABLE)
        return
    st.feedback("thumbs", key=f"rating-{turn.id}", on_change=_rate, args=(assistant, turn, feedback))
    if turn.feedback_problem:  # shown once, after the click that failed
        st.error(turn.feedback_problem, icon=":material/error:")
        turn.feedback_problem = None
    if turn.feedback_id is None:
        return
    if turn.comment_saved:
        st.caption("Thank you, your feedback was saved.")
        return
    with st.form(key=f"comment-form-{turn.id}", border=False):
        comment = st.text_area("Anything to add? (optional)", key=f"comment-{turn.id}", max_chars=MAX_COMMENT_CHARS,
                               height=68)
        if st.form_submit_button("Send feedback"):
            try:
                feedback.update(turn.feedback_id, comment=comment.strip())
            except FeedbackError as error:
                st.error(escape_markdown(str(error)))
            except STORE_FAULTS:  # the text stays in the box (its widget state), to send again later
                log.exception("Saving a comment in %s failed", feedback.path)
                st.error(FEEDBACK_NOT_SAVED, icon=":material/error:")
            else:
                turn.comment_saved = True
                st.caption("Thank you, your feedback was saved.")
