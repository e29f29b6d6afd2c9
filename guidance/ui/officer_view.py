"""Officer view: the Streamlit pieces of the officers' eval page (``officer_page/officer_evals.py`` arranges them):
the sign-in, the files the index left out, comparing runs and members' feedback; running a set is ``guidance/ui/officer_run.py``.

The page is behind a password from ``GUIDANCE_OFFICER_PASSWORD`` (environment, else Streamlit secrets);
members' chat stays open. Everything shown here is computed by the evaluation modules, not by the page.
"""

from __future__ import annotations

import hmac
import logging
import time

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from guidance.evaluation.compare import RunFolderError, compare_runs
from guidance.evaluation.feedback_drafts import FeedbackReadError, drafts_csv, thumbs_down
from guidance.evaluation.report import shown
from guidance.evaluation.run import past_runs
from guidance.settings import Settings
from guidance.ui.markdown import escape_markdown
from guidance.ui.wording import counted
from ingest.index import BuildInfo, IndexMissing, current_build, read_record

PASSWORD_SETTING = Settings.variable("officer_password")
WRONG_PASSWORD_DELAY_S = 2

log = logging.getLogger(__name__)
FEEDBACK_SETTING = Settings.variable("feedback_db")


# What an officer is part-way through typing on this page, by widget key. Streamlit forgets a widget's value once a
# run does not draw it, so a look at the members' page would lose a half-written correction.
DRAFT_KEYS = ("set-source", "shipped-set", "correct-source", "correct-feedback", "correct-question", "correct-document",
              "correct-section", "correct-sentence", "correct-note", "correct-officer")


def keep_officer_drafts() -> None:
    """Keep the officers' half-typed input while another page is shown: called on every run of every page (app.py),
    it hands each value back to Streamlit as the session's own, which Streamlit does not clear."""
    for key in DRAFT_KEYS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def configured_password(settings: Settings) -> str:
    """The officers' password, or "" when none is configured: the setting, else Streamlit's secrets file (read
    here, not in guidance/settings.py, because only a Streamlit page has one)."""
    password = settings.officer_password
    if password:
        return password.get_secret_value()
    try:
        return str(st.secrets.get(PASSWORD_SETTING) or "")
    except StreamlitSecretNotFoundError:
        return ""


def render_skipped_files(settings: Settings) -> None:
    """The files the current build could not read, whichever page or command built it (the members' page only
    logs them)."""
    build = current_build(settings.index_dir)
    try:
        skipped = read_record(build / "build.json", BuildInfo).skipped if build else []
    except (IndexMissing, OSError):  # a damaged build: the tabs that need the index say so
        return
    if skipped:
        files = "; ".join(f"{file['file']}: {file['reason']}" for file in skipped)
        st.warning(escape_markdown(f"{counted(len(skipped), 'file')} in the documents folder could not be read and "
                                   f"{'is' if len(skipped) == 1 else 'are'} not in the index: {files}."))


def signed_in(settings: Settings) -> bool:
    """True once this session has given the right password; otherwise shows the sign-in form (or why not)."""
    password = configured_password(settings)
    if not password:
        st.error(
            f"The officers' page is not set up: set {PASSWORD_SETTING} in the environment or in "
            ".streamlit/secrets.toml. Members' chat is not affected."
        )
        return False
    if st.session_state.get("officer_signed_in"):
        return True
    with st.form("officer-sign-in"):
        given = st.text_input("Officer password", type="password")
        submitted = st.form_submit_button("Sign in")
    if submitted and hmac.compare_digest(given.encode(), password.encode()):
        st.session_state["officer_signed_in"] = True
        st.rerun()
    if submitted and not given:
        st.error("Enter the officers' password to sign in.")
    elif submitted:
        log.warning("A wrong password was given on the officers' page")  # for whoever watches the app's log
        time.sleep(WRONG_PASSWORD_DELAY_S)  # every guess costs the guesser, not the officer who mistyped once
        st.error("Wrong password. This page is for council officers; members can ask questions on the chat page.")
    return False


def render_compare(settings: Settings) -> None:
    runs = past_runs(settings.eval_runs_dir)
    if len(runs) < 2:
        st.info("Comparing needs two finished runs; run an eval set (again) first.")
        return
    name = lambda folder: folder.name  # noqa: E731
    earlier = st.selectbox("Earlier run (A)", runs, index=1, format_func=name, key="compare-a")
    later = st.selectbox("Later run (B)", runs, index=0, format_func=name, key="compare-b")
    try:
        comparison = compare_runs(earlier, later)
    except (RunFolderError, OSError) as error:  # a run folder deleted or damaged since the list was made
        st.error(escape_markdown(f"These runs cannot be compared: {error}"))
        return
    for warning in comparison.warnings:  # e.g. runs of different eval sets, whose questions share ids by chance
        st.warning(escape_markdown(warning))
    st.dataframe(
        [
            {"Metric": c.name, "A": shown(c.name, c.before), "B": shown(c.name, c.after),
             "Change": c.delta_shown, "": c.verdict}
            for c in comparison.metrics
        ],
        hide_index=True,
    )
    for title, changes in (("Regressions", comparison.regressions), ("Improvements", comparison.improvements)):
        st.subheader(f"{title} ({len(changes)})")
        if changes:
            st.dataframe([c.model_dump() for c in changes], hide_index=True)
    if comparison.only_in_a or comparison.only_in_b:
        st.caption(escape_markdown(f"Only in A: {', '.join(comparison.only_in_a) or 'none'}. "
                                   f"Only in B: {', '.join(comparison.only_in_b) or 'none'}."))


def feedback_problem(error: FeedbackReadError) -> str:
    """What the page says when members' feedback cannot be read (shared with the Corrections tab)."""
    return escape_markdown(f"Members' feedback cannot be shown: {error}. Check {FEEDBACK_SETTING}.")


def render_feedback(settings: Settings) -> None:
    try:
        rows = thumbs_down(settings.feedback_db)
    except FeedbackReadError as error:
        st.error(feedback_problem(error))
        return
    if not rows:
        st.info("No thumbs-down feedback from members yet.")
        return
    st.write(f"{counted(len(rows), 'answer')} {'was' if len(rows) == 1 else 'were'} marked unhelpful by members.")
    st.dataframe(
        [{"When": r["created_at"][:16], "Question": r["question"], "Member's comment": r["comment"], "Status": r["status"]} for r in rows],
        hide_index=True,
    )
    st.download_button("Download as draft eval cases (CSV)", drafts_csv(rows), file_name="feedback-drafts.csv", mime="text/csv",
                       key="download-drafts")
    st.caption(
        "Fill in behaviour (answer or decline) and, for answers, expected_sections (one per line, e.g. "
        "social-media-guidance#3.3) and any must_mention patterns, then upload the file on the first tab."
    )
