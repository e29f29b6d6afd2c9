"""Dates as officers write them in a manifest: which ones are impossible (32/13/2020, 31 February 2021).

A manifest's dates are shown in citations as written, so any wording is kept ("Spring 2021", "July 2012",
"11th July 2012", "11/07/2012", "2012-07-11"); only a date whose day, month or year cannot be is refused.
Numeric dates are read day first, as UK councils write them.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
_MONTH = r"[A-Za-z]{3,9}\.?"
_SHAPES = (  # (pattern, the order its numbers are in)
    (re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"), "ymd"),  # 2012-07-11, as YAML and spreadsheets write it
    (re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?!\d)"), "dmy"),  # 11/07/2012, 11.07.12
    (re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH}),?\s+(\d{{4}})(?!\d)", re.IGNORECASE), "dmy"),
    (re.compile(rf"({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE), "mdy"),  # July 11, 2012
)


def _month(text: str) -> int | None:
    """1–12 for a month's number or its name (full or abbreviated, "Sept"); None for a word that is no month."""
    if text.isdigit():
        return int(text)
    word = text.rstrip(".").lower()
    return next((n for n, name in enumerate(MONTHS, 1) if name.startswith(word) and len(word) >= 3), None)


def impossible_date(text: str) -> str | None:
    """Why the date in ``text`` cannot be, e.g. "month 13 does not exist", or None when it can (or is no date)."""
    for pattern, order in _SHAPES:
        for match in pattern.finditer(text):
            values = dict(zip(order, match.groups()))
            month = _month(values["m"])
            if month is None:
                continue  # "10 Downing 2012" is no date at all: its words are kept as written
            year = int(values["y"]) + (2000 if len(values["y"]) == 2 else 0)
            day = int(values["d"])
            if not 1 <= month <= 12:
                day_first = " (dates are read day first: 11/07/2012 is 11 July 2012)" if pattern is _SHAPES[1][0] else ""
                return f"month {month} does not exist{day_first}"
            try:
                date(year, month, day)
            except ValueError:
                return f"{MONTHS[month - 1].title()} {year} has no day {day}"
    return None
