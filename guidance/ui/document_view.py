"""Document view: the section a citation names, and that section or its whole document as HTML with the
quoted sentence marked, for the pages' section viewer (rendered from ``guidance/templates``, escaped).

Sections and documents are the typed records the index stores (``StoredIndex.sections``, ``StoredIndex.record``).
"""

from __future__ import annotations

from guidance.citing.citations import locate_quote
from guidance.models import Citation
from guidance.templates import render
from ingest.sections.records import DocumentRecord, Section


def find_section(index, citation: Citation) -> Section:
    return next(s for s in index.sections[citation.doc_id] if s.key == citation.section)


def _marked_passages(section: Section, quote: str | None) -> list[dict]:
    """The section's passages split around the first occurrence of ``quote``; each says whether a new
    sub-heading starts at it."""
    passages, subsection, span = [], None, None
    for passage in section.passages:
        text = passage.text
        new_subsection = passage.subsection if passage.subsection != subsection else None
        subsection = passage.subsection or subsection
        span = locate_quote(quote, text) if quote else None
        start, end = span or (len(text), len(text))
        passages.append({"subsection": new_subsection, "label": passage.label,
                         "before": text[:start], "marked": text[start:end], "after": text[end:]})
        quote = None if span else quote
    return passages


def _section_view(section: Section, quote: str | None, heading_tag: str) -> dict:
    return {"heading": section.heading, "heading_tag": heading_tag, "passages": _marked_passages(section, quote)}


def section_html(section: Section, quote: str | None = None, heading_tag: str = "h4") -> str:
    """A section's passages as HTML, sub-headings kept, the first occurrence of ``quote`` in <mark>."""
    return render("section.html", section=_section_view(section, quote, heading_tag))


def document_html(sections: list[Section], citation: Citation | None = None) -> str:
    """The whole document, section by section with its numbers, the cited quote highlighted where it is."""
    sections = [
        _section_view(section, citation.quote if citation is not None and section.key == citation.section else None,
                      "h5" if section.level > 1 else "h4")
        for section in sections
    ]
    return render("document.html", sections=sections)


def document_line(document: DocumentRecord) -> str:
    """"Social Media Guidance for Elected Members · version 1.0 · 6 September 2017 · 13 sections"."""
    facts = [document.title]
    if document.version:
        facts.append(f"version {document.version}")
    if document.date:
        facts.append(document.date)
    facts.append(f"{document.section_count} sections")
    return " · ".join(facts)
