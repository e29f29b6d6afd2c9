"""The answer contract: one pydantic model shared by the CLI, the app and the evals."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from ingest.sections.records import section_heading


def _stripped_non_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value.strip()


# Text an officer wrote that a record cannot do without (a question, an id, a name), stored without its outer spaces.
NonBlankStr = Annotated[str, AfterValidator(_stripped_non_blank)]

AnswerStatus = Literal["answered", "not_covered", "declined"]
AnswerMode = Literal["extractive", "generative", "extractive_fallback"]
# "officer_correction": the first citation is the section an officer confirmed for a similar question.
AnswerBasis = Literal["retrieval", "officer_correction"]


class Citation(BaseModel):
    """One quoted passage and the section it comes from.

    ``quote`` is verbatim source text (whitespace aside). ``label`` holds words the assistant adds
    around a quote, such as "Don't" for a row of a Do's/Don'ts table, so the quote itself stays verbatim.
    """

    doc_id: str
    doc_title: str
    doc_version: str | None = None
    doc_date: str | None = None
    section: str
    section_title: str
    subsection: str | None = None
    quote: str
    label: str | None = None

    @property
    def reference(self) -> str:
        """Human-readable reference, e.g. "Social Media Guidance §3.3 Legal issues — Libel"."""
        return f"{self.doc_title} {section_heading(self.section, self.section_title, self.subsection)}"


class Answer(BaseModel):
    """What the assistant says to one question."""

    question: str
    status: AnswerStatus
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    mode: AnswerMode = "extractive"
    backend: str = "extractive"
    notes: list[str] = Field(default_factory=list)
    # Why the answerer quoted what it quoted, or declined: each quote's score and its parts, for officers.
    reasons: list[str] = Field(default_factory=list)
    timings_ms: dict[str, float] = Field(default_factory=dict)
    basis: AnswerBasis = "retrieval"
    correction_id: str | None = None  # the officer's correction the answer rests on (guidance/corrections/store.py)

    @property
    def cited_sections(self) -> list[str]:
        """Qualified section ids ("doc_id#section") in citation order, without repeats."""
        return list(dict.fromkeys(f"{c.doc_id}#{c.section}" for c in self.citations))
