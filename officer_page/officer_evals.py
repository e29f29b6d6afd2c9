"""Officers' page: run eval sets against the assistant, compare runs, draft cases from member feedback, and
correct answers (guidance/ui/corrections_view.py).

Layout only; the pieces live in guidance/ui/officer_view.py and guidance/ui/officer_run.py (running a set).
Password: GUIDANCE_OFFICER_PASSWORD.
"""

import streamlit as st

from guidance.ui.page_assistant import page_settings
from guidance.ui import corrections_view, officer_run, officer_view

st.set_page_config(page_title="Officer evals", page_icon=":material/fact_check:", layout="wide")
st.title("Officer evals")
settings = page_settings("officers")  # a bad setting is named here and stops the page, rather than failing further down

if not officer_view.signed_in(settings):
    st.stop()
officer_view.render_skipped_files(settings)

run_tab, compare_tab, feedback_tab, corrections_tab = st.tabs(["Run an eval set", "Compare runs", "Member feedback", "Corrections"])
with run_tab:
    officer_run.render_run(settings)
with compare_tab:
    officer_view.render_compare(settings)
with feedback_tab:
    officer_view.render_feedback(settings)
with corrections_tab:
    corrections_view.render_corrections(settings)
