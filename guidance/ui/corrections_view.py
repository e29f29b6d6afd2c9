"""Corrections view: the officers' page tab where a wrong answer is fixed, and every fix listed and undone.

An officer takes a member's thumbs-down question (or types one), picks the section that should answer it in
the document viewer, optionally the exact sentence or row to quote, adds a note and their name, and saves.
The list shows each correction's standing against the documents as indexed now (guidance/corrections/store.py):
changed and gone ones are flagged with the reason, and can be re-confirmed or removed.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from guidance.ui.document_view import section_html
from guidance.corrections.store import CorrectionBook, CorrectionError, corrections_path
from guidance.evaluation.correction_cases import cases_text
from guidance.evaluation.feedback_drafts import FeedbackReadError, thumbs_down
from guidance.settings import Settings
from guidance.ui.markdown import escape_markdown
from guidance.ui.wording import counted
from guidance.ui.officer_view import feedback_problem
from ingest.index import StoredIndex

THUMBS_DOWN, TYPED = "A member's thumbs-down answer", "A question I type"
WHOLE_SECTION = "(no particular sentence: the section's best match)"
STATE_LABEL = {"current": "current", "changed": "section changed: re-check", "gone": "not applied"}
# The form's fields a saved correction empties (the officer's name and the document stay for the next one).
CLEARED_AFTER_SAVE = ("correct-question", "correct-note", "correct-sentence")
SAVED = "correction-saved"


def _book(settings: Settings) -> CorrectionBook:
    from guidance.ui.page_assistant import ready_assistant

    index = ready_assistant(settings, "officers").assistant.index
    return _book_for(str(index.build_dir), str(corrections_path(index, settings.corrections_file)), index)


@st.cache_resource(show_spinner=False, hash_funcs={StoredIndex: lambda _: None})
def _book_for(build: str, path: str, index: StoredIndex) -> CorrectionBook:
    """One book per build and file, so its section texts and fingerprints are worked out once."""
    return CorrectionBook(index, Path(path))


def _question(settings: Settings) -> str:
    try:
        rows = thumbs_down(settings.feedback_db)
    except FeedbackReadError as error:  # a typed question can still be corrected
        st.warning(feedback_problem(error))
        rows = []
    source = st.radio("Question to correct", [THUMBS_DOWN, TYPED] if rows else [TYPED], horizontal=True, key="correct-source")
    if source == THUMBS_DOWN:
        questions = list(dict.fromkeys(row["question"] for row in reversed(rows)))  # newest first, once each
        return st.selectbox("Thumbs-down question", questions, key="correct-feedback")
    return st.text_input("Question", key="correct-question", placeholder="e.g. Who wrote the social media guidance?")


def _section(book: CorrectionBook) -> tuple[str, str | None]:
    """The section (and optional sentence) chosen in the document viewer."""
    index = book.index
    documents = {d.doc_id: d.title for d in index.documents}
    doc_id = st.selectbox("Document", list(documents), format_func=documents.get, key="correct-document")
    sections = {f"{doc_id}#{s.key}": s for s in index.sections[doc_id]}
    citable = [section_id for section_id in sections if section_id in book.fingerprints]
    if not citable:
        st.info("This document has no section with text to cite; choose another.")
        st.stop()
    section_id = st.selectbox("Section that answers it", citable, format_func=lambda s: sections[s].heading,
                              key="correct-section")
    sentences = [WHOLE_SECTION, *dict.fromkeys(s.text for s in book.library.sections[section_id].sentences)]
    sentence = st.selectbox("Sentence or row to quote (optional)", sentences, key="correct-sentence")
    quote = None if sentence == WHOLE_SECTION else sentence
    with st.container(border=True, height=300):
        st.html(section_html(sections[section_id], quote))
    return section_id, quote


def render_corrections(settings: Settings) -> None:
    book = _book(settings)
    st.subheader("Correct an answer")
    if SAVED in st.session_state:  # the run after a save: the form starts afresh, so the next one inherits no note
        for key in CLEARED_AFTER_SAVE:
            st.session_state.pop(key, None)
        st.success(st.session_state.pop(SAVED))
    question = _question(settings)
    section_id, quote = _section(book)
    note = st.text_area("Note for other officers (optional)", key="correct-note")
    officer = st.text_input("Your name", key="correct-officer")
    if st.button("Save the correction", type="primary", key="correct-save"):
        try:
            made = book.add(question or "", section_id, quote, note, officer)
            st.session_state[SAVED] = escape_markdown(
                f"Saved correction {made.id}: members asking this get {section_id} from the next question.")
            st.rerun()
        except CorrectionError as error:
            st.error(escape_markdown(f"Not saved. {error}"))
    _render_list(book)


def _render_list(book: CorrectionBook) -> None:
    try:
        statuses = book.statuses()
    except CorrectionError as error:
        st.error(escape_markdown(f"The corrections file cannot be read, so no correction is applied. {error}"))
        return
    st.subheader(f"Corrections ({len(statuses)})")
    if not statuses:
        st.info(f"No corrections yet. They are saved in {book.path}.")
        return
    flagged = [s for s in statuses if s.state != "current"]
    if flagged:
        needs = "needs" if len(flagged) == 1 else "need"
        st.warning(f"{counted(len(flagged), 'correction')} {needs} an officer: the documents as indexed now no longer "
                   "match what the correction says (the Why column says how). Re-confirm or remove each.")
    st.dataframe(
        [{"Id": s.correction.id, "Question": s.correction.question, "Section": s.correction.section,
          "Quote": s.correction.quote or "", "State": STATE_LABEL[s.state], "Why": s.reason, "Note": s.correction.note,
          "By": s.correction.officer, "When": s.correction.created[:16]} for s in statuses],
        hide_index=True, key="corrections-table",
    )
    by_id = {s.correction.id: s for s in reversed(statuses)}  # newest first: the one just saved is the one chosen
    chosen = st.selectbox("Correction", list(by_id), key="correction-chosen",
                          format_func=lambda i: f"{i}: {by_id[i].correction.question} → {by_id[i].correction.section}")
    remove, confirm = st.columns(2)
    try:
        if remove.button("Remove", key="correction-remove"):
            book.remove(chosen)
            st.rerun()
        # a gone correction's section or quote is no longer there to confirm: it can only be removed and made again
        if by_id[chosen].state == "changed" and confirm.button("Re-confirm against the current documents", key="correction-confirm"):
            book.confirm(chosen)
            st.rerun()
    except CorrectionError as error:
        st.error(escape_markdown(f"Not changed. {error}"))
    applied = [s.correction for s in statuses if s.applies]  # a gone section would make the whole set unrunnable
    st.download_button("Download as eval cases (CSV)", cases_text(applied, ".csv"), file_name="corrections-eval-cases.csv",
                       mime="text/csv", key="download-corrections", disabled=not applied)
    if len(applied) < len(statuses):
        st.caption(f"The download leaves out the {counted(len(statuses) - len(applied), 'correction')} not applied.")
