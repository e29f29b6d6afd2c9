"""Records: the documents, sections and passages the section parser produces and the rest of the code reads."""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("code_of_conduct", "guidance", "policy", "procedure", "standing_orders", "report", "other")


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
