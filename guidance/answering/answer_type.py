"""Answer type: what kind of thing a question asks for — a time, a sum of money, a number — and whether a quote has one.

"When is the next full council meeting?" shares "council" and "meeting" with the guidance, and a passage
about meetings can look close in meaning; but no passage the guidance holds gives a date, so quoting one
does not answer the question. The same holds for "how many councillors…", "how much does it cost…",
"how long is a term of office…", "what time does … open", "what's the Monitoring Officer's phone number". A
question asking for one of these types is answered only by a quote that contains an expression of that type:
a date, a day or "until replaced" for a time, but not the year in a law's name; a sum, a share or "no cost"
for money ("within 28 days" is a figure, but no answer to what a gift may be worth); a figure or "none" for
another amount, but not a number that names a section, an Act, an address or a version, nor the day of a date
or a file's path; a telephone number or an email address for contact details. The thing asked for may be
qualified ("what's the speed limit…") or name a time or a figure itself ("the deadline", "the quorum").
Questions of other kinds are not checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
DAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
NUMBER_WORD = r"(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|thousand|several|none|nil|nothing)"
TIME_EXPRESSION = re.compile(
    rf"\b(19|20)\d\d\b|\b\d{{1,2}}(st|nd|rd|th)?\s+{MONTH}\b|\b{MONTH}\s+\d{{4}}\b|\b{DAY}\b|\b\d{{1,2}}([:.]\d\d)?\s*(am|pm)\b"
    r"|\b(until|before|after|within|annually|yearly|monthly|weekly|daily|immediately|as soon as possible|in a timely manner)\b"
    r"|\b(every|each|next|last)\s+(day|week|month|year|quarter)\b|\b\d+\s+(hours?|days?|weeks?|months?|years?)\b",
    re.I,
)
# The year in a law's name ("the Localism Act 2011", "the Regulations 2012") says nothing of when anything happened.
LEGISLATION_YEAR = re.compile(r"\b(Act|Regulations?|Order|Rules|Measure)\s+(\((Wales|Scotland|Northern Ireland)\)\s+)?(19|20)\d\d\b", re.I)
QUANTITY_EXPRESSION = re.compile(rf"£\s?\d|\b\d[\d,.]*\b|\b{NUMBER_WORD}\b|\bfree\b|\bno (cost|charge|fee|financial|limit)", re.I)
# A number that names something ("section 27", "the Localism Act 2011", "Unit 10", "MK13 0AB", "version 1.0",
# "6 September", a file's path) is not an amount.
REFERENCE_NUMBER = re.compile(
    r"\b(sections?|paragraphs?|paras?|clauses?|articles?|parts?|units?|appendix|schedules?|regulations?|pages?|no\.?"
    r"|versions?|v\.?)\s*\d[\w.()]*|\b(19|20)\d\d\b|\b[A-Z]{1,2}\d{1,2}[A-Z]?\s*\d[A-Z]{2}\b"
    rf"|\b\d{{1,2}}(st|nd|rd|th)?\s+{MONTH}\b|\b[A-Z]:\\.*", re.I)
# An amount of money: a sum, a share, or its absence ("no financial implications", "free of charge").
MONEY_EXPRESSION = re.compile(r"£\s?\d|\b\d[\d,.]*\s*(pounds?|pence|%|per ?cent)\b|\bfree\b|\bunpaid\b"
                              r"|\b(no|without|at no) (cost|charge|fee|financial)|\b(cost|costs|pay|charge)s? nothing\b", re.I)
MONEY_WORD = r"(cost\w*|pay\w*|paid|charg\w*|spen[dt]\w*|worth|fees?|price\w*|precept|budget|salar\w*|allowances?|expenses|money)"
CONTACT_EXPRESSION = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+|\b0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}\b|\+44", re.I)

# The verbs a question opening "when…" asks with ("when is…", "when did…"); a clause opening "when I…" asks nothing.
AUXILIARY = r"(is|are|was|were|do|does|did|will|would|should|shall|can|could|must|might|may|has|have|had)"
# "what's the …" asking for the thing itself, whose noun may be qualified: "the speed limit", "the current quorum".
WHAT_IS_THE = r"\bwhats?('s| is| are)? the (\w+ ){0,2}?"


@dataclass(frozen=True)
class AnswerType:
    name: str
    asked: re.Pattern  # how a question asks for it
    found: re.Pattern  # what a quote answering it contains
    not_counted: re.Pattern | None = None  # what looks like it but is not ("section 27" is not an amount)

    def stated_in(self, quote: str) -> bool:
        return bool(self.found.search(self.not_counted.sub(" ", quote) if self.not_counted else quote))


ANSWER_TYPES = (
    # "when" as the question word (first and asking "when is/did/will…", or "…and when?"), not as a conjunction
    # ("what do I do when…", "When I post at the weekend, am I…").
    AnswerType("time", re.compile(rf"^\W*((so|and|but|ok|okay)\W+)?when('s|’s|\s+{AUXILIARY})\b|\band when\b|\bwhen\s*\?\s*$"
                                  r"|\bwhat (time|date|day)\b|\bwhich (date|day|month|year)\b|\bhow long\b"
                                  rf"|{WHAT_IS_THE}(deadline|closing date|time limit|opening (hours|times)|date)\b", re.I),
               TIME_EXPRESSION, LEGISLATION_YEAR),
    # Asking for the number or address ("what's the clerk's phone number?"), not about one ("can I share a mobile number?").
    # Whose number or address it is may come between ("the Monitoring Officer's phone number"), but not a
    # question about one ("what are the risks of putting my phone number online?").
    AnswerType("contact details", re.compile(r"\bwhat('s|s| is| are)\s+(the|their|his|her|its|your|my|our)\s+([\w'’.-]+\s+){0,3}?"
                                             r"((phone|telephone|mobile|contact) (number|no|details)|e-?mail (address|for|of)\b|e-?mail\s*\?)"
                                             r"|^\W*(the\s+)?(phone|telephone|contact) (number|details) (for|of)\b", re.I),
               CONTACT_EXPRESSION),
    # Money asked for ("how much is the allowance?", "what's the value over which…", "what does hosting cost?")
    # is answered by a sum, not by any figure: "within 28 days" says nothing of how much a gift may be worth.
    AnswerType("sum of money", re.compile(rf"\bhow much\b[^?.]*\b{MONEY_WORD}|{WHAT_IS_THE}(cost|price|value|fee|salary"
                                          r"|allowance|budget|precept)\b|\bwhat (does|do|did|will) [^?.]*\bcost\b", re.I),
               MONEY_EXPRESSION),
    AnswerType("quantity", re.compile(rf"\bhow (many|much)\b|{WHAT_IS_THE}(number|cost|amount|price|value|limit"
                                      r"|threshold|figure|fee|maximum|minimum|quorum|rate|salary|allowance)\b", re.I),
               QUANTITY_EXPRESSION, REFERENCE_NUMBER),
)


def asked_type(question: str) -> AnswerType | None:
    return next((kind for kind in ANSWER_TYPES if kind.asked.search(question)), None)


def has_answer_type(question: str, quote: str) -> bool:
    """False when the question asks for a time, contact details or a quantity and ``quote`` states none."""
    kind = asked_type(question)
    return kind is None or kind.stated_in(quote)
