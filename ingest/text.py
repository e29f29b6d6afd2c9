"""Small text helpers shared by the ingest steps."""

from __future__ import annotations

import re

SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}


def fold_whitespace(text: str) -> str:
    """Collapse every run of white space to one space: quotes are compared this way."""
    return " ".join(text.split())


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "document"


def title_case(text: str) -> str:
    """"MEMBER SOCIAL MEDIA GUIDANCE" → "Member Social Media Guidance" (small words stay lower case)."""
    words = text.lower().split()
    return " ".join(w if i and w in SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))
