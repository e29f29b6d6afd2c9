"""Records: the documents, sections and passages the section parser produces and the rest of the code reads,
the record of a document an index keeps, and the one way a section's heading is written ("§3.3 Title — Sub")."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

KINDS = ("code_of_conduct", "guidance", "policy", "procedure", "standing_orders", "report", "other")


def section_heading(number: str | None, title: str, subsection: str | None = None) -> str:
    """"§3.3 Legal issues — Libel": the number (when the section has one besides its title), the title, and the
    sub-section when there is one."""
    numbered = f"§{number} {title}" if number and number != title else title
    return f"{numbered} — {subsection}" if subsection else numbered


@dataclass
class Passage:
    """A paragraph, list item or table cell: verbatim text (white space folded) and its source span."""

    text: str
    start: int
    end: int
    subsection: str | None = None
    label: str | None = None
    kind: str = "paragraph"

    @property
    def rendered(self) -> str:
        return f"{self.label}: {self.text}" if self.label else self.text


@dataclass
class Section:
    number: str
    title: str
    level: int
    start: int
    end: int
    passages: list[Passage] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The section's id within its document: its number, or its title when it has none."""
        return self.number or self.title

    @property
    def heading(self) -> str:
        return section_heading(self.number, self.title)


@dataclass
class Document:
    doc_id: str
    title: str
    source_name: str
    text: str
    start: int
    end: int
    part: str = "main"
    short_title: str = ""
    kind: str = "other"
    metadata: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    has_contents_table: bool = False

    @property
    def citation_title(self) -> str:
        """The name citations use, e.g. "Social Media Guidance" (a manifest's short title, else the title)."""
        return self.short_title or self.title

    @property
    def version(self) -> str | None:
        return self.metadata.get("Version")

    @property
    def date(self) -> str | None:
        return self.metadata.get("Date") or self.metadata.get("Date Created") or self.metadata.get("Adopted")

    @property
    def review_date(self) -> str | None:
        return self.metadata.get("Review Date") or self.metadata.get("Next Review Date")


def make_keys_unique(sections: list[Section]) -> None:
    """Mark a repeated number or title with its occurrence ("3 (2)", "Notes (2)"), so every section key, and so
    every chunk id, is unique by construction (a footer printed as a heading twice once crashed the ingest)."""
    seen: set[str] = set()
    for section in sections:
        base, count = section.key, 1
        while section.key in seen:
            count += 1
            if section.number:
                section.number = f"{base} ({count})"
            else:
                section.title = f"{base} ({count})"
        seen.add(section.key)


@dataclass
class DocumentRecord:
    """What an index keeps of a document for every process: who and which edition it is, for citations and the
    document list; its sections and text are stored apart and read only when shown."""

    doc_id: str
    title: str
    source_name: str
    start: int
    end: int
    part: str
    short_title: str
    kind: str
    metadata: dict[str, str]
    has_contents_table: bool
    citation_title: str
    section_count: int
    version: str | None
    date: str | None
    review_date: str | None

    @classmethod
    def of(cls, document: Document) -> DocumentRecord:
        # built from the document's own dict: ``dataclasses.asdict`` deep-copies, which slowed large ingests
        kept = {name: value for name, value in vars(document).items() if name not in ("text", "sections")}
        return cls(**kept, citation_title=document.citation_title, section_count=len(document.sections),
                   version=document.version, date=document.date, review_date=document.review_date)


def unknown_section_hint(section_id: str, known: list[str]) -> str:
    """What to tell an officer who named ``section_id`` where the index has only ``known`` (``doc#number`` ids):
    the nearest few ids, or the documents there are when none is near (a whole corpus's ids would be hundreds)."""
    nearest = difflib.get_close_matches(section_id, known, n=5, cutoff=0.5)
    if nearest:
        return f"did you mean {', '.join(nearest)}?"
    return f"the indexed documents are {', '.join(sorted({known_id.partition('#')[0] for known_id in known}))}"
