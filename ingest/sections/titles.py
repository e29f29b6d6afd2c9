"""Titles and metadata: a document's own title line, and the version and dates it states.

The title is the document's own title line, found among its opening lines (before its first numbered
heading, or its opening headings): the first all-capitals line that is not only a publisher's name
("MEMBER SOCIAL MEDIA GUIDANCE", minus a "LABEL:" prefix), else the first line that names a kind of
document ("… Online Policy"), else the first line that is not a publisher line ("Local Government
Association", "New Bradwell Parish Council"), else a ``Title:`` field. The file name is the caller's
last resort, and ``corpus/manifest.yaml`` overrides all of these.
"""

from __future__ import annotations

import re

from ingest.text import fold_whitespace, title_case

KEY_VALUE = re.compile(r"^\s*([A-Z][A-Za-z ]{1,30}):\s+(\S.*?)\s*$")
DOCUMENT_WORDS = re.compile(
    r"\b(code|conduct|policy|procedure|protocol|strategy|guidance|guide|standing orders|report|constitution|"
    r"charter|terms of reference|regulations)\b", re.IGNORECASE)
PUBLISHER = re.compile(
    r"\b(council|association|authority|government|committee|ombudsman|board|office|partnership)\s*$", re.IGNORECASE)
DATE = r"(\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Z][a-z]+,?\s+\d{4}|[A-Z][a-z]+\s+\d{4}|\d{1,2}/\d{1,2}/\d{2,4})"
STATED_DATE = re.compile(rf"\b(Adopted|Revised|Reviewed|Approved|Updated)\b[^.\n]{{0,40}}?\b{DATE}", re.IGNORECASE)
STATED_VERSION = re.compile(r"\bVersion\s*(?:no\.?|number)?\s*[:\-]?\s*(\d+(?:\.\d+)*)\b", re.IGNORECASE)


def key_value(text: str) -> re.Match | None:
    pair = KEY_VALUE.match(text)
    return pair if pair and not pair.group(1).isupper() else None


def _is_publisher(text: str) -> bool:
    return bool(PUBLISHER.search(text)) and not DOCUMENT_WORDS.search(text)


def document_title(opening: list[str], metadata: dict[str, str]) -> str:
    """The title among a document's opening lines (see the module docstring), or "" if none is found."""
    lines = [fold_whitespace(text.replace("**", "")) for text in opening]
    candidates = [text for text in lines if text and not key_value(text) and len(text.split()) <= 20]
    for candidate in candidates:
        if candidate.isupper() and len(candidate.split()) >= 2 and not _is_publisher(candidate):
            rest = candidate.partition(": ")[2]
            return title_case(rest if rest and len(rest.split()) >= 2 else candidate)
    for choose in (lambda text: DOCUMENT_WORDS.search(text), lambda text: not _is_publisher(text)):
        for candidate in candidates:
            if choose(candidate):
                return title_case(candidate) if candidate.isupper() else candidate
    return metadata.get("Title", "")


def front_matter_metadata(lines: list[str]) -> dict[str, str]:
    """"Author: Sarah Yates", "Review Date: February 2018" … from the front matter."""
    return {pair.group(1).strip(): pair.group(2) for text in lines if (pair := key_value(text))}


def stated_metadata(text: str) -> dict[str, str]:
    """Dates and a version the body states ("Adopted by the Council on 11th July 2012", "Version 2.1")."""
    found: dict[str, str] = {}
    for match in STATED_DATE.finditer(text):
        found.setdefault(match.group(1).title(), match.group(2))
    if version := STATED_VERSION.search(text):
        found["Version"] = version.group(1)
    return found
