"""References: an answer's text with each full citation reference replaced by the number of its citation card."""

from __future__ import annotations

from guidance.models import Answer


def numbered_answer_text(answer: Answer) -> str:
    """The answer text with each full citation reference replaced by its number, e.g. "[1]". Quotes appear in
    citation order, so each citation's number replaces the first reference still unnumbered (two quotes from
    one section get [1] and [2], matching their cards)."""
    text = answer.answer
    for number, citation in enumerate(answer.citations, start=1):
        text = text.replace(f"[{citation.reference}]", f"[{number}]", 1)
    return text
