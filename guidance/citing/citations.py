"""Cite: build citations from indexed sentences and check that a quote really is in its source.

A quote is verbatim when, with runs of white space folded to one space, it is a substring of the
document it cites. ``locate_quote`` maps a quote back to character offsets for highlighting.
"""

from __future__ import annotations

import re

from guidance.models import Citation
from ingest.chunks import Chunk
from ingest.text import fold_whitespace


def quoted_citation(chunk: Chunk, quote: str, label: str | None = None) -> Citation:
    """A citation of ``quote``, which the caller has checked is verbatim in ``chunk``'s section."""
    return Citation(
        doc_id=chunk.doc_id,
        doc_title=chunk.doc_title,
        doc_version=chunk.doc_version or None,
        doc_date=chunk.doc_date or None,
        section=chunk.section,
        section_title=chunk.section_title,
        subsection=chunk.subsection or None,
        quote=quote,
        label=label or None,
    )


def quote_in_source(quote: str, source: str) -> bool:
    folded = fold_whitespace(quote)
    return bool(folded) and folded in fold_whitespace(source)


def locate_quote(quote: str, source: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """Offsets of ``quote`` in ``source[start:end]``, allowing any white space where the quote has a space."""
    words = [re.escape(word) for word in quote.split()]
    if not words:
        return None
    match = re.compile(r"\s+".join(words)).search(source, start, len(source) if end is None else end)
    return (match.start(), match.end()) if match else None


def format_quote(citation: Citation) -> str:
    """One line of an answer: label outside the quote marks, the verbatim quote, the reference."""
    label = f"{citation.label}: " if citation.label else ""
    return f"{label}“{citation.quote}” [{citation.reference}]"
