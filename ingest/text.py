"""Small text helpers shared by the ingest steps."""

from __future__ import annotations

import hashlib
import re

SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv"]
DIGITS = re.compile(r"\d+")
# a bare page number, as ``furniture_shape`` writes it: "3", "Page | 2", "- 4 -", "(5)", "Page 5 of 9"
PAGE_NUMBER = re.compile(r"^[-–(\s]*(?:page\s*[|:.]?\s*)?#(?:\s*(?:of|/)\s*#)?[-–)\s]*$", re.IGNORECASE)


def fold_whitespace(text: str) -> str:
    """Collapse every run of white space to one space: quotes are compared this way."""
    return " ".join(text.split())


def furniture_shape(line: str) -> str:
    """A line with white space folded, numbers as "#" and in lower case: a running header or footer has one shape
    on every page ("Page 2 of 16" and "Page 13 of 16" are "page # of #")."""
    return DIGITS.sub("#", fold_whitespace(line)).lower()


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "document"


def title_case(text: str) -> str:
    """"MEMBER SOCIAL MEDIA GUIDANCE" → "Member Social Media Guidance" (small words stay lower case)."""
    words = text.lower().split()
    return " ".join(w if i and w in SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


def text_key(text: str) -> str:
    """A short fingerprint of ``text``: equal texts, equal keys (a chunk's content hash, a saved vector's key)."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]
