"""Entry point (`make run`, or `.venv/bin/streamlit run app.py`): the members' chat page and, in the sidebar,
the officers' eval page (officer_page/officer_evals.py), each under its own name. The officers' page is not
in a ``pages/`` folder: Streamlit would then serve it on its own when opened by its URL, outside this navigation,
with the sidebar naming this page "app".

Layout only; the pieces live in guidance/ui/page_assistant.py (settings and the shared Assistant),
guidance/ui/chat_view.py (Streamlit) and guidance/ui/chat.py (the conversation).
"""

import streamlit as st

from guidance.ui import chat_view, officer_view, page_assistant


def members_chat() -> None:
    """Ask the council's guidance, read the cited sections, rate the answers."""
    st.set_page_config(layout="centered")
    st.header("Ask the members' guidance", anchor=False)
    st.caption("Answers quote the council's guidance and cite the section. Guidance, not legal advice.")

    settings = page_assistant.page_settings()
    assistant = page_assistant.ready_assistant(settings)
    feedback = chat_view.feedback_store(settings)
    chat_view.render_about(assistant)

    chat = chat_view.conversation()
    # No max_chars: Streamlit's box empties itself when a paste goes past it, losing the member's text. An over-long
    # question is sent, stays in the member's bubble to copy and shorten, and the reply says the limit.
    question = st.chat_input("Ask a question about the council's guidance for members")
    # At once, before any other Streamlit call: any of them may end this run if another question arrives.
    received = chat_view.receive(chat, question or chat_view.starter_question())
    if not chat.turns:
        chat_view.render_starters()
    chat_view.render_history(assistant, feedback)  # answers the new question, and any a previous run left pending
    if question and not received:
        chat_view.ask_for_a_question()


# No layout here: each page sets its own, once a run. Set here as well, the officers' page sent centred then wide
# on every rerun, and the browser sometimes kept the narrow one.
st.set_page_config(page_title="Member Guidance Assistant", page_icon=":material/forum:")
officer_view.keep_officer_drafts()  # an officer who looks at the members' page comes back to their half-made correction
# Named pages, so the sidebar says "Ask the guidance" rather than the script's file name.
st.navigation([
    st.Page(members_chat, title="Ask the guidance", icon=":material/forum:", default=True),
    st.Page("officer_page/officer_evals.py", title="Officer evals", icon=":material/fact_check:", url_path="Officer_evals"),
]).run()
