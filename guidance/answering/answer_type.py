"""Answer type: what kind of thing a question asks for — a time, a number or amount — and whether a quote has one.

"When is the next full council meeting?" shares "council" and "meeting" with the guidance, and a passage
about meetings can look close in meaning; but no passage the guidance holds gives a date, so quoting one
does not answer the question. The same holds for "how many councillors…", "how much does it cost…",
"how long is a term of office…", "what time does … open". A question asking for one of these types is
answered only by a quote that contains an expression of that type (a date, a day, "until replaced", a
figure, "no" or "none" for an amount); questions of other kinds are not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
DAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
NUMBER_WORD = r"(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|several|no|none|nil|nothing)"
TIME_EXPRESSION = re.compile(
    rf"\b(19|20)\d\d\b|\b\d{{1,2}}(st|nd|rd|th)?\s+{MONTH}\b|\b{MONTH}\s+\d{{4}}\b|\b{DAY}\b|\b\d{{1,2}}([:.]\d\d)?\s*(am|pm)\b"
    r"|\b(until|before|after|within|annually|yearly|monthly|weekly|daily|immediately|as soon as possible|in a timely manner)\b"
    r"|\b(every|each|next|last)\s+(day|week|month|year|quarter)\b|\b\d+\s+(hours?|days?|weeks?|months?|years?)\b",
    re.I,
)
QUANTITY_EXPRESSION = re.compile(rf"£\s?\d|\b\d[\d,.]*\b|\b{NUMBER_WORD}\b|\bfree\b|\bno (cost|charge|financial)", re.I)


@dataclass(frozen=True)
class AnswerType:
    name: str
    asked: re.Pattern  # how a question asks for it
    found: re.Pattern  # what a quote answering it contains


ANSWER_TYPES = (
    # "when" as the question word (first, or "…and when?"), not as a conjunction ("what do I do when…").
    AnswerType("time", re.compile(r"^\W*((so|and|but|ok|okay)\W+)?when\b|\band when\b|\bwhen\s*\?\s*$"
                                  r"|\bwhat (time|date|day)\b|\bwhich (date|day|month|year)\b|\bhow long\b", re.I),
               TIME_EXPRESSION),
    AnswerType("quantity", re.compile(r"\bhow (many|much)\b|\bwhat is the (number|cost|amount|price)\b", re.I),
               QUANTITY_EXPRESSION),
)


def asked_type(question: str) -> AnswerType | None:
    return next((kind for kind in ANSWER_TYPES if kind.asked.search(question)), None)


def has_answer_type(question: str, quote: str) -> bool:
    """False when the question asks for a time or quantity and ``quote`` states none."""
    kind = asked_type(question)
    return kind is None or bool(kind.found.search(quote))
