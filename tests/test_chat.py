"""Chat logic without Streamlit: follow-up context, index freshness, who to contact, safe text and highlighting."""

from __future__ import annotations

import html
import os
import re
import shutil

import pytest
from markdown_it import MarkdownIt

from guidance.ui.chat import (
    Conversation,
    WarmingAssistant,
    document_html,
    escape_markdown,
    find_section,
    index_is_stale,
    numbered_answer_text,
    section_html,
)
from guidance.models import Answer
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


def test_follow_up_is_searched_with_the_last_real_question():
    conversation = Conversation()
    first = conversation.start_turn("Can I tweet about a planning application?")
    first.answer = Answer(question=first.question, status="answered", answer="…")
    conversation.turns.append(first)
    refused = conversation.start_turn("x" * 2000)
    refused.answer = Answer(question=refused.question, status="declined", answer="too long")
    conversation.turns.append(refused)

    follow_up = conversation.start_turn("what about Twitter?")
    assert follow_up.follows_up
    assert follow_up.search_text == "Can I tweet about a planning application? what about Twitter?"
    standalone = conversation.start_turn("How should I handle a complaint from a resident about my posts?")
    assert not standalone.follows_up and standalone.search_text == standalone.question


def test_index_is_stale_when_missing_or_older_than_the_corpus(tmp_path, seed_index_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guidance.txt").write_text("1. Purpose\nText.\n")
    assert index_is_stale(corpus, tmp_path / "no-index")
    index = tmp_path / "index"
    shutil.copytree(seed_index_dir, index)
    build_time = max(p.stat().st_mtime for p in index.rglob("build.json"))
    os.utime(corpus / "guidance.txt", (build_time - 60, build_time - 60))
    assert not index_is_stale(corpus, index)
    os.utime(corpus / "guidance.txt", (build_time + 60, build_time + 60))
    assert index_is_stale(corpus, index)


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
    assert "<mark>never</mark>" in rendered and "<strong>Don&#x27;t:</strong>" in rendered


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
