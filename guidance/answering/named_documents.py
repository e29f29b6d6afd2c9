"""Named documents: the loaded documents a question names ("what do the Code of Conduct and the social media
guidance say about respect?"), so that an answer to a question naming two of them quotes each.

A document is named by its citation title or a trailing part of it of two words or more that does not open with
a linking word: "Code of Conduct" names "Example Borough Council Members' Code of Conduct"; "of Conduct" and
"Conduct" name nothing. Each named document is one group; documents a question names by the same words ("the
Code of Conduct" with two codes loaded) form one group, and quoting any of them answers for it.
"""

from __future__ import annotations

import re

from ingest.sections.records import DocumentRecord

LINKING_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with"})
MIN_NAME_WORDS = 2


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip()


def document_names(citation_title: str) -> list[str]:
    """The phrases that name a document, longest first."""
    words = _normalised(citation_title).split()
    return [" ".join(words[start:]) for start in range(len(words) - MIN_NAME_WORDS + 1)
            if words[start] not in LINKING_WORDS and re.match(r"\w", words[start])]


def named_groups(question: str, documents: list[DocumentRecord]) -> list[frozenset[str]]:
    """The groups of doc_ids the question names, one per phrase it names them by (a document counts once,
    by its longest name the question contains)."""
    asked = _normalised(question)
    by_name: dict[str, set[str]] = {}
    for document in documents:
        # The substring test first: compiling a pattern per name costs seconds with thousands of documents loaded.
        name = next((n for n in document_names(document.citation_title)
                     if n in asked and re.search(rf"\b{re.escape(n)}\b", asked)), None)
        if name:
            by_name.setdefault(name, set()).add(document.doc_id)
    return [frozenset(doc_ids) for doc_ids in by_name.values()]
