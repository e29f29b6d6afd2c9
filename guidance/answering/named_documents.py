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


class DocumentNames:
    """The loaded documents by citation title, so a question is checked against each title once however many
    documents share it (a large corpus repeats a few titles)."""

    def __init__(self, documents: list[DocumentRecord]):
        self.by_title: dict[str, set[str]] = {}
        for document in documents:
            self.by_title.setdefault(document.citation_title, set()).add(document.doc_id)
        self.names = {title: document_names(title) for title in self.by_title}

    def groups(self, question: str) -> list[frozenset[str]]:
        """The groups of doc_ids the question names, one per phrase it names them by (a document counts once,
        by its longest name the question contains)."""
        asked = _normalised(question)
        by_name: dict[str, set[str]] = {}
        for title, doc_ids in self.by_title.items():
            # the substring test first: it rules out almost every name without compiling a pattern
            name = next((n for n in self.names[title] if n in asked and re.search(rf"\b{re.escape(n)}\b", asked)), None)
            if name:
                by_name.setdefault(name, set()).update(doc_ids)
        return [frozenset(doc_ids) for doc_ids in by_name.values()]
