"""Follow-ups: read a short or referring-back question in the light of the previous one, for retrieval.

"What about Twitter?" after "Can I post about a planning application?" is searched as both together.
No language model is needed for this; an LLM backend may condense the history better
(``guidance.answering.generative``), falling back on this reading.
"""

from __future__ import annotations

import re

FOLLOW_UP_OPENERS = re.compile(r"^\s*(and|but|also|or|so|what about|how about|what if|same for|even if|does that|is that|if so)\b", re.I)
REFERS_BACK = re.compile(r"\b(it|that|this|those|these|they|them|there)\b", re.I)
SHORT_QUESTION_WORDS = 6


def is_follow_up(question: str) -> bool:
    words = question.split()
    return (
        bool(FOLLOW_UP_OPENERS.match(question))
        or (len(words) <= SHORT_QUESTION_WORDS and bool(REFERS_BACK.search(question)))
        or len(words) <= 3
    )


def search_text(question: str, history: list[str] | tuple[str, ...]) -> str:
    """The text to search with: the question, prefixed by the last of ``history`` when this one follows up."""
    if history and is_follow_up(question):
        return f"{history[-1]} {question}"
    return question
