"""Chat logic without Streamlit: follow-up context, who to contact, safe text, highlighting and numbering
(index freshness: tests/test_freshness.py)."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from guidance.ui.document_view import document_html, find_section, section_html
from guidance.ui.references import numbered_answer_text
from guidance.models import Answer
from guidance.ui.chat import Conversation, WarmingAssistant
from guidance.ui.markdown import escape_markdown
from ingest.sections.records import Passage, Section

HOSTILE = [
    "[click here](javascript:alert(1))",
    "![tracker](https://example.com/t.png)",
    "<img src=x onerror=alert(1)> <script>alert(1)</script>",
    "**bold** _em_ `code` # heading\n> quote\n- item\n1. item",
    "<https://example.com> &amp; &#x3C; \\*not* | a | table |",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_markdown_renders_as_the_literal_text(text):
    rendered = MarkdownIt("commonmark").enable("table").enable("strikethrough").render(escape_markdown(text))
    inner = re.sub(r"</?p>|<br />|\n", "", rendered)
    assert inner == html.escape(text, quote=False).replace('"', "&quot;").replace("\n", "")
    assert not re.search(r"<(a|img|script|strong|em|code|h1|blockquote|ul|ol|table)\b", rendered)


def test_streamlit_directives_are_escaped():
    escaped = escape_markdown(":red[alarm] :material/warning: $x^2$")
    assert not re.search(r"(?<!\\)[:\[\]$]", escaped)


def test_follow_up_is_searched_with_the_last_real_question(assistant):
    chatting, conversation = WarmingAssistant(assistant), Conversation()
    chatting.answer(conversation, conversation.ask("Can I tweet about a planning application?"))
    refused = chatting.answer(conversation, conversation.ask("x" * 2000))
    assert refused.answer.status == "declined" and not refused.follows_up

    follow_up = chatting.answer(conversation, conversation.ask("what about Twitter?"))
    assert follow_up.follows_up
    assert follow_up.search_text == "Can I tweet about a planning application? what about Twitter?"
    standalone = chatting.answer(conversation, conversation.ask("How should I handle a complaint from a resident about my posts?"))
    assert not standalone.follows_up  # searched alone, as the question's own words (spelling corrected)
    assert standalone.search_text == assistant.prepare(standalone.question, []).search_text
    assert conversation.context()[-1] == standalone.search_text


@pytest.mark.parametrize("question, follows_up", [
    ("What is copyright?", False), ("What is libel?", False), ("Can I tweet?", False), ("How long?", False),
    ("Twitter?", True), ("on Instagram too?", True), ("Can I?", True), ("Why?", True), ("Is that allowed?", True),
])
def test_a_short_question_that_names_what_it_asks_is_read_alone_and_a_fragment_follows_up(assistant, question, follows_up):
    """A complete question of three words was read as a follow-up, so "What is copyright?" after a data protection
    question was answered with the data protection quote."""
    chatting, conversation = WarmingAssistant(assistant), Conversation()
    chatting.answer(conversation, conversation.ask("Can I share a resident's personal data?"))
    turn = chatting.answer(conversation, conversation.ask(question))
    assert turn.follows_up is follows_up


@pytest.mark.parametrize("emoji", ["🙂", "👍🏽", "🏗️", "❤️‍🔥", "🇬🇧", "🤷‍♀️"])
def test_emoji_in_a_question_do_not_change_what_is_searched_or_cited(assistant, emoji):
    plain = assistant.ask("Can I tweet about planning?")
    for decorated in (f"Can I tweet about planning? {emoji}", f"{emoji} Can I tweet{emoji} about planning?"):
        assert assistant.prepare(decorated, []).search_text == assistant.prepare("Can I tweet about planning?", []).search_text
        assert assistant.ask(decorated).cited_sections == plain.cited_sections
    assert "£60" in assistant.prepare("Can I accept a £60 bottle of wine 🍷?", []).search_text


@pytest.mark.parametrize("shouted", ["Can I tweet about planning?!!!", "Can I tweet about planning???", "Can I tweet about planning?!?"])
def test_a_run_of_question_and_exclamation_marks_reads_as_one(assistant, shouted):
    assert assistant.prepare(shouted, []).search_text == assistant.prepare("Can I tweet about planning?", []).search_text
    assert assistant.ask(shouted).cited_sections == assistant.ask("Can I tweet about planning?").cited_sections


def test_contact_is_the_guidance_further_guidance_section(assistant):
    contact = WarmingAssistant(assistant).contact()
    assert contact.endswith("(Social Media Guidance §6.0 Further guidance)")
    assert "Monitoring Officer" in contact and "Corporate Communications Team" in contact


def test_cited_quote_is_highlighted_in_its_section_and_document(assistant):
    answer = assistant.ask("Can I post about a planning application I will vote on?")
    citation = answer.citations[0]
    section = find_section(assistant.index, citation)
    rendered = section_html(section, citation.quote)
    assert rendered.startswith(f"<h4>§{citation.section} ")
    [marked] = re.findall(r"<mark>(.*?)</mark>", rendered, re.S)
    assert " ".join(html.unescape(marked).split()) == " ".join(citation.quote.split())

    whole = document_html(assistant.index.sections[citation.doc_id], citation)
    assert whole.count("<mark>") == 1 and "§6.0 Further guidance" in whole and "§1.0 Purpose" in whole


def test_section_html_escapes_corpus_text():
    section = Section(number="", title="<b>Tips</b>", level=1, start=0, end=40,
                      passages=[Passage(text="Use <script>alert(1)</script> never", start=0, end=40, label="Don't")])
    rendered = section_html(section, "never")
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered and "&lt;b&gt;Tips" in rendered
    assert "<mark>never</mark>" in rendered and "<strong>Don&#39;t:</strong>" in rendered


def test_answer_references_become_numbers(assistant):
    answer = assistant.ask("Can I post about a planning application I will vote on?")
    numbered = numbered_answer_text(answer)
    assert "[1]" in numbered
    assert all(f"[{c.reference}]" not in numbered for c in answer.citations)


def test_two_quotes_from_one_section_get_their_own_numbers():
    from guidance.models import Citation

    cited = dict(doc_id="d", doc_title="Guidance", section="3.1", section_title="Why use social media?")
    first, second = Citation(**cited, quote="One."), Citation(**cited, quote="Two.")
    answer = Answer(question="q", status="answered", citations=[first, second],
                    answer=f"Says:\n• “One.” [{first.reference}]\n• “Two.” [{second.reference}]")
    assert numbered_answer_text(answer) == "Says:\n• “One.” [1]\n• “Two.” [2]"
