"""Wording: counts as the pages say them ("1 question", "2 questions")."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural when the number is not one: "1 file", "3 files", "0 corrections"."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
