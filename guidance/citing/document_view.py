"""Document view: the section a citation names, and that section or its whole document as HTML with the
quoted sentence marked, for the pages' section viewer (rendered from ``guidance/templates``, escaped).

Sections and documents are the records the index stores (``StoredIndex.document``).
"""

from __future__ import annotations

from guidance.citing.citations import locate_quote
from guidance.models import Citation
from guidance.templates import render


def section_heading(section: dict) -> str:
    """"§3.3 Legal issues", or just the title of an unnumbered section."""
    return f"§{section['number']} {section['title']}" if section["number"] else section["title"]


def _is_cited(section: dict, citation: Citation) -> bool:
    """True when ``citation`` names ``section`` (by its number, or its title when it has none)."""
    return (section["number"] or section["title"]) == citation.section


def find_section(index, citation: Citation) -> dict:
    document = index.document(citation.doc_id)
    return next(s for s in document["sections"] if _is_cited(s, citation))


def _marked_passages(section: dict, quote: str | None) -> list[dict]:
    """The section's passages split around the first occurrence of ``quote``; each says whether a new
    sub-heading starts at it."""
    passages, subsection, span = [], None, None
    for passage in section["passages"]:
        text = passage["text"]
        new_subsection = passage.get("subsection") if passage.get("subsection") != subsection else None
        subsection = passage.get("subsection") or subsection
        span = locate_quote(quote, text) if quote else None
        start, end = span or (len(text), len(text))
        passages.append({"subsection": new_subsection, "label": passage.get("label"),
                         "before": text[:start], "marked": text[start:end], "after": text[end:]})
        quote = None if span else quote
    return passages


def _section_view(section: dict, quote: str | None, heading_tag: str) -> dict:
    return {"heading": section_heading(section), "heading_tag": heading_tag, "passages": _marked_passages(section, quote)}


def section_html(section: dict, quote: str | None = None, heading_tag: str = "h4") -> str:
    """A section's passages as HTML, sub-headings kept, the first occurrence of ``quote`` in <mark>."""
    return render("section.html", section=_section_view(section, quote, heading_tag))


def document_html(document: dict, citation: Citation | None = None) -> str:
    """The whole document, section by section with its numbers, the cited quote highlighted where it is."""
    sections = [
        _section_view(section, citation.quote if citation is not None and _is_cited(section, citation) else None,
                      "h5" if section["level"] > 1 else "h4")
        for section in document["sections"]
    ]
    return render("document.html", sections=sections)


def document_line(document: dict) -> str:
    """"Social Media Guidance for Elected Members · version 1.0 · 6 September 2017 · 13 sections"."""
    facts = [document["title"]]
    if document.get("version"):
        facts.append(f"version {document['version']}")
    if document.get("date"):
        facts.append(document["date"])
    facts.append(f"{document['section_count']} sections")
    return " · ".join(facts)
