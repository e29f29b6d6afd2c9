"""Officer view: the Streamlit pieces of the officers' eval page (``officer_page/officer_evals.py`` arranges them).

The page is behind a password from ``GUIDANCE_OFFICER_PASSWORD`` (environment, else Streamlit secrets);
members' chat stays open. Everything shown here is computed by the evaluation modules, not by the page.
"""

from __future__ import annotations

import hmac
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from guidance.config import EVALS_DIR
from guidance.evaluation.compare import compare_runs
from guidance.evaluation.dataset import SUFFIXES, EvalCase, EvalSetError, decode_eval_set, load_eval_set, parse_eval_set
from guidance.evaluation.feedback_drafts import drafts_csv, thumbs_down
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
from guidance.evaluation.run import new_run_folder, past_runs, run_eval
from guidance.settings import Settings

PASSWORD_SETTING = Settings.variable("officer_password")
GATE_SET = "starter.jsonl"
HEADLINE_METRICS = ("pass_rate", "hit_rate", "decline_accuracy", "quote_fidelity")


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
    if submitted:
        st.error("Wrong password. This page is for council officers; members can ask questions on the chat page.")
    return False


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
    except EvalSetError as error:
        st.error(f"This eval set cannot be run. {error}")
    return None


def render_run(settings: Settings) -> None:
    chosen = _chosen_set()
    if chosen:
        cases, set_name = chosen
        answers = sum(case.behaviour == "answer" for case in cases)
        st.caption(f"{len(cases)} questions: {answers} to answer, {len(cases) - answers} to decline.")
        if st.button("Run the eval set", type="primary", key="run-eval"):
            _run(cases, set_name, settings)
    if "eval_result" in st.session_state:
        _render_result(*st.session_state["eval_result"])


def _run(cases: list[EvalCase], set_name: str, settings: Settings) -> None:
    from guidance.ui.chat_view import ready_assistant

    assistant = ready_assistant(settings).assistant
    bar = st.progress(0.0, text="Loading the model…")
    answered = []

    def advance(record) -> None:
        answered.append(record)
        bar.progress(len(answered) / len(cases), text=f"Answered {len(answered)} of {len(cases)}")

    folder = new_run_folder(settings.eval_runs_dir, set_name)
    try:
        scores, summary = run_eval(cases, set_name, assistant, "guidance assistant", assistant.index, folder, settings,
                                   on_answer=advance)
    except EvalSetError as error:
        st.error(f"This eval set cannot be run. {error}")
        return
    bar.empty()
    st.session_state["eval_result"] = (scores, summary, folder)


def _render_result(scores: list[QuestionScore], summary: RunSummary, folder: Path) -> None:
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
    st.download_button(
        "Download HTML report", RunFiles(folder).report_html.read_text(encoding="utf-8"),
        file_name=f"{folder.name}.html", mime="text/html", key="download-html",
    )
    st.caption(f"Saved in {folder}")


def render_compare(settings: Settings) -> None:
    runs = past_runs(settings.eval_runs_dir)
    if len(runs) < 2:
        st.info("Comparing needs two finished runs; run an eval set (again) first.")
        return
    name = lambda folder: folder.name  # noqa: E731
    earlier = st.selectbox("Earlier run (A)", runs, index=1, format_func=name, key="compare-a")
    later = st.selectbox("Later run (B)", runs, index=0, format_func=name, key="compare-b")
    comparison = compare_runs(earlier, later)
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
        st.caption(f"Only in A: {', '.join(comparison.only_in_a) or 'none'}. Only in B: {', '.join(comparison.only_in_b) or 'none'}.")


def render_feedback(settings: Settings) -> None:
    rows = thumbs_down(settings.feedback_db)
    if not rows:
        st.info("No thumbs-down feedback from members yet.")
        return
    st.write(f"{len(rows)} answers were marked unhelpful by members.")
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
