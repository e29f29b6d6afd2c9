"""Officer run: the "Run an eval set" tab of the officers' page (``officer_page/officer_evals.py`` places it).

An officer picks a shipped set or uploads one, runs it against the assistant with a progress bar, and sees the
figures, charts and failures, with downloads. Everything shown is computed by the evaluation modules. This module
also keeps the tab usable when the run cannot be saved, when a run's folder is deleted afterwards, and when a
run is cut short because the page was used while it ran.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import streamlit as st

from guidance.config import EVALS_DIR
from guidance.evaluation.dataset import SUFFIXES, EvalCase, EvalSetError, decode_eval_set, load_eval_set, parse_eval_set
from guidance.evaluation.metrics import QuestionScore
from guidance.evaluation.report import (
    RunFiles,
    RunSummary,
    failures,
    hit_rate_chart,
    latency_chart,
    metric_rows,
    questions_csv,
    shown,
)
from guidance.evaluation.run import check_run_folder, new_run_folder, run_eval
from guidance.settings import Settings
from guidance.ui.markdown import escape_markdown
from guidance.ui.wording import counted

log = logging.getLogger(__name__)

RUNS_SETTING = Settings.variable("eval_runs_dir")
GATE_SET = "starter.jsonl"
HEADLINE_METRICS = ("pass_rate", "hit_rate", "decline_accuracy", "quote_fidelity")
# session-state keys: the last finished run, the run in progress, and one that was cut short
RESULT, RUNNING, INTERRUPTED = "eval_result", "eval_running", "eval_interrupted"


def _chosen_set() -> tuple[list[EvalCase], str] | None:
    source = st.radio("Eval set", ["A set in evals/", "Upload a set"], horizontal=True, key="set-source")
    try:
        if source == "A set in evals/":
            shipped = sorted(path for path in EVALS_DIR.iterdir() if path.suffix in SUFFIXES)
            gate = next((n for n, p in enumerate(shipped) if p.name == GATE_SET), 0)  # the set officers gate on
            path = st.selectbox("Set", shipped, index=gate, format_func=lambda p: p.name, key="shipped-set")
            return load_eval_set(path), path.name
        upload = st.file_uploader("Eval set (.jsonl, .csv or .yaml)", type=[s.lstrip(".") for s in SUFFIXES], key="uploaded-set")
        if upload is None:
            return None
        text, name = decode_eval_set(upload.getvalue(), upload.name, on_note=lambda note: st.caption(f"{note}."))
        return parse_eval_set(text, Path(upload.name).suffix.lower(), name), upload.name
    except EvalSetError as error:  # the message quotes the officer's own text, which may hold Markdown
        st.error(escape_markdown(f"This eval set cannot be run. {error}"))
    return None


def render_run(settings: Settings) -> None:
    # Streamlit runs one script at a time per session, so a run still marked as running when the script
    # starts again was stopped by that rerun: any click or change on the page during a run restarts the script.
    if RUNNING in st.session_state:
        st.session_state[INTERRUPTED] = st.session_state.pop(RUNNING)
    chosen = _chosen_set()
    if chosen:
        cases, set_name = chosen
        answers = sum(case.behaviour == "answer" for case in cases)
        st.caption(f"{counted(len(cases), 'question')}: {answers} to answer, {len(cases) - answers} to decline.")
        st.caption("While a set runs, leave the page alone: any click or change stops the run.")
        if st.button("Run the eval set", type="primary", key="run-eval"):
            _run(cases, set_name, settings)
    if INTERRUPTED in st.session_state:
        stopped = st.session_state[INTERRUPTED]
        st.warning(escape_markdown(
            f"The run of {stopped['set']} was interrupted after {stopped['answered']} of {stopped['total']} questions, "
            "because the page was used while it ran; nothing was saved. Run it again and wait for it to finish."
        ))
    if RESULT in st.session_state:
        _render_result(*st.session_state[RESULT])


def _run(cases: list[EvalCase], set_name: str, settings: Settings) -> None:
    from guidance.ui.page_assistant import ready_assistant

    # a new run replaces whatever was shown before, so an old result never sits under a new run's error
    for key in (RESULT, INTERRUPTED):
        st.session_state.pop(key, None)
    folder = new_run_folder(settings.eval_runs_dir, set_name)
    try:  # before the model loads or any question is asked, so a bad folder costs the officer no waiting
        check_run_folder(folder)
    except EvalSetError as error:
        st.error(escape_markdown(f"{error} The run was not started: set {RUNS_SETTING} to a folder this page can "
                                 "create and write in."))
        return
    assistant = ready_assistant(settings, "officers").assistant
    bar = st.progress(0.0, text="Loading the model…")
    running = st.session_state[RUNNING] = {"set": set_name, "answered": 0, "total": len(cases)}

    def advance(record) -> None:
        running["answered"] += 1  # kept in session state, so an interrupted run can say how far it got
        bar.progress(running["answered"] / len(cases), text=f"Answered {running['answered']} of {len(cases)}")

    try:
        scores, summary = run_eval(cases, set_name, assistant, "guidance assistant", assistant.index, folder, settings,
                                   on_answer=advance)
    except Exception as error:
        # failed, not interrupted: the rerun that interrupts a run is a BaseException and leaves RUNNING set
        st.session_state.pop(RUNNING, None)
        if isinstance(error, EvalSetError):
            st.error(escape_markdown(f"This eval set cannot be run. {error}"))
        elif isinstance(error, OSError):  # the disk filled, or the folder went, after the check above
            st.error(escape_markdown(f"The run could not be saved in {folder}: {error}"))
        else:  # one line for the officer; the traceback goes to the log
            log.exception("Running %s failed", set_name)
            st.error(escape_markdown(f"The run of {set_name} failed: unexpected error ({type(error).__name__}: "
                                     f"{error}). Nothing was saved; the details are in the app's log."))
        return
    finally:  # a run refused, failed or interrupted leaves no empty folder among the runs
        with contextlib.suppress(OSError):  # rmdir removes only an empty folder
            folder.rmdir()
    st.session_state.pop(RUNNING, None)
    bar.empty()
    st.session_state[RESULT] = (scores, summary, folder)


def _render_result(scores: list[QuestionScore], summary: RunSummary, folder: Path) -> None:
    # read first: the folder may have been deleted (or tidied away) since the run, and then nothing is drawn
    try:
        report_html = RunFiles(folder).report_html.read_text(encoding="utf-8")
    except OSError as error:
        st.session_state.pop(RESULT, None)
        st.warning(escape_markdown(
            f"That run's files are no longer there ({folder}: {error.strerror or error}), so its result is not shown. "
            "Run the set again to see it."
        ))
        return
    metrics = summary.metrics
    st.subheader(f"{summary.eval_set}: {metrics['passed']} of {metrics['questions']} passed")
    for column, name in zip(st.columns(len(HEADLINE_METRICS)), HEADLINE_METRICS):
        column.metric(name.replace("_", " "), shown(name, metrics[name]))
    st.dataframe([{"Metric": n, "Value": v, "Definition": d} for n, v, d in metric_rows(summary)], hide_index=True)
    left, right = st.columns(2)
    left.image(hit_rate_chart(summary), caption="Hit rate per expected section")
    right.image(latency_chart(scores), caption="Latency distribution")
    failed = failures(scores)
    st.subheader(f"Failures ({len(failed)})")
    st.dataframe(
        [
            {"Id": s.id, "Question": s.question, "Answer": s.answer, "Status": s.status, "Cited": ", ".join(s.cited_sections),
             "Expected": ", ".join(s.expected_sections), "Failed checks": "; ".join(s.failed_checks)}
            for s in failed
        ],
        hide_index=True,
    )
    st.download_button("Download per-question CSV", questions_csv(scores), file_name=f"{folder.name}.csv", mime="text/csv", key="download-csv")
    st.download_button("Download HTML report", report_html, file_name=f"{folder.name}.html", mime="text/html",
                       key="download-html")
    st.caption(f"Saved in {folder}")
