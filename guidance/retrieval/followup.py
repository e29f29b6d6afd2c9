"""Follow-ups: read a short or referring-back question in the light of the previous one, for retrieval.

"What about Twitter?" after "Can I post about a planning application?" is searched as both together.
No language model is needed for this; an LLM backend may condense the history better
(``guidance.answering.generative``), falling back on this reading.
"""

from __future__ import annotations

import re

from ingest.words import content_words

FOLLOW_UP_OPENERS = re.compile(r"^\s*(and|but|also|or|so|what about|how about|what if|same for|even if|does that|is that|if so)\b", re.I)
REFERS_BACK = re.compile(r"\b(it|that|this|those|these|they|them|there)\b", re.I)
ASKS = re.compile(r"^\s*(what|who|whom|whose|when|where|which|why|how|can|could|may|might|must|should|shall|will|would|"
                  r"is|are|am|was|were|do|does|did|have|has)\b", re.I)
SHORT_QUESTION_WORDS = 6
FRAGMENT_WORDS = 3


def is_follow_up(question: str) -> bool:
    """An opener ("what about…"), a short question referring back ("is that allowed?"), or a fragment of three words
    or fewer ("Twitter?", "on Instagram too?", "can I?"). A short question of its own, one that asks and names what
    it asks about ("What is copyright?", "Who is the author?"), is read alone."""
    words = question.split()
    return (
        bool(FOLLOW_UP_OPENERS.match(question))
        or (len(words) <= SHORT_QUESTION_WORDS and bool(REFERS_BACK.search(question)))
        or (len(words) <= FRAGMENT_WORDS and not (ASKS.match(question) and content_words(ASKS.sub("", question))))
    )


def search_text(question: str, history: list[str] | tuple[str, ...]) -> str:
    """The text to search with: the question, prefixed by the last of ``history`` when this one follows up."""
    if history and is_follow_up(question):
        return f"{history[-1]} {question}"
    return question
