"""Chunks: turn sections into retrievable chunks (a section or sub-section, long ones split by
paragraph, each keeping its heading path) and into sentences the answerer can quote."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby

from ingest.sections import Document, Passage, Section
from ingest.sections.records import section_heading
from ingest.text import text_key

# all-MiniLM-L6-v2 reads 256 word pieces; about 160 words keeps a chunk inside that window.
MAX_CHUNK_WORDS = 160
# A sentence ends at . ! or ? before a space and a capital, or where a document left the space out after a
# word ("Council information.Users must…"), but not after the single letters of an abbreviation ("e.g.The").
SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘'(])|(?<=[a-z]{3}[.!?])(?=[A-Z][a-z])")
# A quote is its passage's own unit (a bullet, table row or cell, numbered or short paragraph) up to this
# many words; in a longer paragraph it is the sentence, with the next one when that one completes it.
MAX_UNIT_WORDS = 60
# A sentence opening with one of these leans on the one before ("Please contact…", "This could also…").
COMPLETES_PREVIOUS = re.compile(
    r"^(please|this|that|these|those|it|they|such|so|otherwise|however|then|as such|if so|in that case)\b", re.I
)


@dataclass
class Chunk:
    chunk_id: str
    doc_id: str
    doc_title: str
    doc_version: str
    doc_date: str
    section: str
    section_title: str
    subsection: str
    start: int
    end: int
    body: str
    content_hash: str

    @property
    def heading(self) -> str:
        return section_heading(self.section, self.section_title, self.subsection)

    @property
    def section_id(self) -> str:
        return f"{self.doc_id}#{self.section}"

    @property
    def index_text(self) -> str:
        """What retrieval sees: document and heading path, then the text."""
        return f"{self.doc_title} {self.heading}\n{self.body}"


@dataclass
class Sentence:
    """A quotable sentence: verbatim ``text``, its chunk, and a label such as "Don't" kept outside the quote.

    ``context`` is what gets embedded: the heading path, the label and, for a list item, the line that
    introduces the list ("Social media can help Members:"), so a short item is matched by what it means.
    ``unit_before`` and ``unit_after`` say how many neighbouring sentences (of the same passage, stored
    next to it) complete it into the unit a quote should show; see ``quote_unit_span``. ``kind`` is its
    passage's kind (paragraph, list_item, table_row, table_cell).
    """

    text: str
    chunk_id: str
    label: str
    context: str
    unit_before: int = 0
    unit_after: int = 0
    kind: str = "paragraph"


def split_sentences(text: str) -> list[str]:
    return [part for part in SENTENCE_BREAK.split(text) if part.strip()]


def _groups(section: Section) -> list[list[Passage]]:
    """Passages grouped by sub-section, then split so that no group runs past ``MAX_CHUNK_WORDS``."""
    groups: list[list[Passage]] = []
    for _, passages in groupby(section.passages, key=lambda p: p.subsection):
        current: list[Passage] = []
        words = 0
        for passage in passages:
            size = len(passage.rendered.split())
            if current and words + size > MAX_CHUNK_WORDS:
                groups.append(current)
                current, words = [], 0
            current.append(passage)
            words += size
        groups.append(current)
    return groups


def chunk_document(document: Document) -> tuple[list[Chunk], list[Sentence]]:
    chunks: list[Chunk] = []
    sentences: list[Sentence] = []
    for section in document.sections:
        for part, passages in enumerate(_groups(section)):
            subsection = passages[0].subsection or ""
            body = "\n".join(p.rendered for p in passages)
            chunk_id = f"{document.doc_id}#{section.key}#{subsection}#{part}"
            chunk = Chunk(
                chunk_id=chunk_id,
                doc_id=document.doc_id,
                doc_title=document.citation_title,
                doc_version=document.version or "",
                doc_date=document.date or "",
                section=section.key,
                section_title=section.title,
                subsection=subsection,
                start=passages[0].start,
                end=passages[-1].end,
                body=body,
                content_hash="",
            )
            chunk.content_hash = text_key(chunk.index_text)
            chunks.append(chunk)
            sentences.extend(_sentences(chunk, passages))
    return chunks, sentences


def _sentences(chunk: Chunk, passages: list[Passage]) -> list[Sentence]:
    sentences = []
    introduction = ""
    heading = section_heading(None, chunk.section_title, chunk.subsection)  # the number means nothing to the model
    for passage in passages:
        if passage.kind != "list_item":
            introduction = ""
        if passage.text.endswith(":"):
            introduction = passage.text  # it introduces what follows; quoted alone it would say nothing
            continue
        label = f"{passage.label}: " if passage.label else ""
        texts = split_sentences(passage.text)
        for at, text in enumerate(texts):
            context = f"{heading}. {introduction} {label}{text}".replace("  ", " ")
            before, after = quote_unit_span(texts, at)
            sentences.append(Sentence(text=text, chunk_id=chunk.chunk_id, label=passage.label or "", context=context,
                                      unit_before=before, unit_after=after, kind=passage.kind))
    return sentences


def quote_unit_span(texts: list[str], at: int) -> tuple[int, int]:
    """(sentences before, sentences after) ``texts[at]`` that a quote of it should include: the whole passage
    when it fits ``MAX_UNIT_WORDS``, else the next sentence when it completes this one and both fit."""
    words = [len(text.split()) for text in texts]
    if sum(words) <= MAX_UNIT_WORDS:
        return at, len(texts) - 1 - at
    following = at + 1
    if following < len(texts) and COMPLETES_PREVIOUS.match(texts[following]) and words[at] + words[following] <= MAX_UNIT_WORDS:
        return 0, 1
    return 0, 0
