"""Sections: split loaded text into documents and their numbered sections, read from the text itself.

The rules are general, because councils drop in their own files:

- A line ``APPENDIX 1`` starts a new document (a committee report and its appendix are two documents).
- Numbered headings at any depth (``2.``, ``3.0``, ``3.1``, ``4.2.1``) are accepted only when they follow
  the previous heading in sequence and in the document's own style, so a numbered list ("It covers: 1. …")
  is not mistaken for headings. An all-capitals title glued to the first heading is split off.
- Tables of contents (dotted leaders, tab and page number) are skipped.
- A bold lead-in (``**Libel** – …``) or an unnumbered heading line inside a section becomes a sub-section.
- Tab-separated tables are read row by row; a Do's/Don'ts table gives each cell a "Do"/"Don't" label
  so that a Don't is never presented as advice.
- A paragraph cut by a page break (no closing punctuation, next block starts in lower case) is joined.

Every passage keeps character offsets into the loaded text, and its ``text`` is that slice with
white space folded, so quotes drawn from it are verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.text import fold_whitespace, slugify, title_case

APPENDIX_LINE = re.compile(r"^\s*appendix\s+([0-9]+|[a-z])\s*$", re.IGNORECASE)
GLUED_TITLE = re.compile(r"^([A-Z][A-Z0-9 ,'’&\-]{3,}[A-Z])(\d+(?:\.\d+)*\.?\s+[A-Z].*)$")
TOC_LINE = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+\S.*?(?:\t+\s*\d+|\.{4,}\s*\d+)\s*$")
CONTENTS_MARKER = re.compile(r"^\s*(table of )?contents\s*$", re.IGNORECASE)
END_MARKER = re.compile(r"^\s*end of (the )?document\s*$", re.IGNORECASE)
NUMBERED_HEADING = re.compile(r"^\s*(\d+(?:\.\d+)*)(\.?)\s+([A-Z][^\t]{0,100}?)\s*$")
NUMBERED_ITEM = re.compile(r"^\s*\d+[.)]\s+")
BULLET = re.compile(r"^\s*(?:[-•–]|\*(?!\*))\s+")
BOLD_LEAD = re.compile(r"^\*\*(.+?)\*\*\s*(?:[–—:-]\s*)?")
KEY_VALUE = re.compile(r"^\s*([A-Z][A-Za-z ]{1,30}):\s+(\S.*?)\s*$")
DO_HEADER = re.compile(r"^do'?’?s?$", re.IGNORECASE)
DONT_HEADER = re.compile(r"^don'?’?ts?'?’?$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?:;\"”’)]$")

PARAGRAPH_MARK = "¶"  # sections of a document without headings are its paragraphs: "¶1", "¶2", …
MAX_HEADING_WORDS = 12
MAX_SUBHEADING_WORDS = 8
MAX_NUMBER_STEP = 3  # tolerate a section or two missing from a numbered sequence


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
        return self.metadata.get("Date") or self.metadata.get("Date Created")

    @property
    def review_date(self) -> str | None:
        return self.metadata.get("Review Date") or self.metadata.get("Next Review Date")


@dataclass
class _Line:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _lines(text: str) -> list[_Line]:
    """Lines with their offsets; a title glued to a numbered heading becomes two lines."""
    lines: list[_Line] = []
    offset = 0
    for raw in text.split("\n"):
        glued = GLUED_TITLE.match(raw)
        if glued:
            lines.append(_Line(glued.group(1), offset))
            lines.append(_Line("", offset + glued.start(2)))  # the title and the heading are separate blocks
            lines.append(_Line(glued.group(2), offset + glued.start(2)))
        else:
            lines.append(_Line(raw, offset))
        offset += len(raw) + 1
    return lines


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line.text.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _number_parts(raw: str) -> tuple[int, ...]:
    parts = [int(p) for p in raw.rstrip(".").split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def _follows(previous: tuple[int, ...] | None, candidate: tuple[int, ...]) -> bool:
    if previous is None:
        return len(candidate) == 1
    if candidate == previous + (1,):
        return True
    for depth in range(len(previous)):
        if len(candidate) == depth + 1 and candidate[:depth] == previous[:depth]:
            if previous[depth] < candidate[depth] <= previous[depth] + MAX_NUMBER_STEP:
                return True
    return False


def _is_dot_zero(raw: str) -> bool:
    return bool(re.fullmatch(r"\d+\.0+", raw))


def _is_subheading(block: list[_Line], has_next: bool) -> bool:
    text = block[0].text.strip()
    words = text.split()
    return (
        len(block) == 1
        and has_next
        and len(words) <= MAX_SUBHEADING_WORDS
        and text[:1].isupper()
        and not SENTENCE_END.search(text)
        and not text.endswith(",")
        and "\t" not in text
        and not BULLET.match(text)
        and not NUMBERED_ITEM.match(text)
        and not text.startswith("**")
    )


class _DocumentParser:
    """Walks one document's blocks, keeping track of the current section and sub-section."""

    def __init__(self, text: str, blocks: list[list[_Line]]):
        self.text = text
        self.blocks = blocks
        self.front_matter: list[_Line] = []
        self.sections: list[Section] = []
        self.metadata: dict[str, str] = {}
        # A contents page, or its "Contents" heading where the page numbers did not survive (web pages).
        self.has_contents_table = any(
            all(TOC_LINE.match(l.text) for l in b) or (len(b) == 1 and CONTENTS_MARKER.match(b[0].text)) for b in blocks
        )
        self.heading_number: tuple[int, ...] | None = None
        self.dot_zero_style: bool | None = None
        self.list_number: int | None = None
        self.subsection: str | None = None
        self.paragraph_count = 0
        self.any_numbered = any(self._heading_candidate(b) for b in blocks)

    @staticmethod
    def _heading_candidate(block: list[_Line]) -> re.Match | None:
        if len(block) != 1:
            return None
        match = NUMBERED_HEADING.match(block[0].text)
        if not match:
            return None
        title = match.group(3)
        if SENTENCE_END.search(title) and not title.endswith("?") or len(title.split()) > MAX_HEADING_WORDS:
            return None
        return match

    def parse(self) -> None:
        previous_text = ""
        for index, block in enumerate(self.blocks):
            first = block[0].text.strip()
            has_next = index + 1 < len(self.blocks)
            if all(TOC_LINE.match(line.text) for line in block):
                pass
            elif len(block) == 1 and (CONTENTS_MARKER.match(first) or END_MARKER.match(first)):
                pass
            elif (match := self._heading_candidate(block)) and self._accept_heading(match, previous_text):
                self._open_section(match.group(1), match.group(3), block[0])
            elif not self.sections and self.any_numbered:
                self.front_matter.extend(block)
            elif _is_subheading(block, has_next) and not self.blocks[index + 1][0].text.strip()[:1].islower():
                self._open_unnumbered(first, block[0])
            else:
                self._add_block(block)
            if not NUMBERED_ITEM.match(first):
                self.list_number = None
            previous_text = block[-1].text.strip()
        self._join_page_breaks()
        self._read_front_matter()

    def _accept_heading(self, match: re.Match, previous_text: str) -> bool:
        raw = match.group(1) + match.group(2)
        parts = _number_parts(match.group(1))
        continues_list = self.list_number is not None and parts == (self.list_number + 1,) and not _is_dot_zero(raw)
        if previous_text.endswith(":") or continues_list:
            self.list_number = parts[0]
            return False
        if len(parts) == 1 and self.dot_zero_style is not None and _is_dot_zero(match.group(1)) != self.dot_zero_style:
            return False
        if not _follows(self.heading_number, parts):
            if len(parts) == 1:
                self.list_number = parts[0]
            return False
        if self.dot_zero_style is None:
            self.dot_zero_style = _is_dot_zero(match.group(1))
        self.heading_number = parts
        return True

    def _open_section(self, number: str, title: str, line: _Line) -> None:
        level = len(_number_parts(number))
        self.sections.append(Section(number=number, title=title.strip(), level=level, start=line.start, end=line.end))
        self.subsection = None

    def _open_unnumbered(self, title: str, line: _Line) -> None:
        current = self.sections[-1] if self.sections else None
        top_level = current is None or (current.level == 1 and not self.has_contents_table)
        if top_level:
            self.sections.append(Section(number="", title=title, level=1, start=line.start, end=line.end))
            self.subsection = None
        else:
            self.subsection = title

    def _current(self, block: list[_Line]) -> Section:
        """The section a block belongs to; text under no heading is cited by paragraph number ("¶3")."""
        current = self.sections[-1] if self.sections else None
        if current is None or current.title.startswith(PARAGRAPH_MARK):
            continues = current is not None and current.passages and block[0].text.strip()[:1].islower() \
                and not SENTENCE_END.search(current.passages[-1].text)  # a paragraph cut by a page break
            if not continues:
                self.paragraph_count += 1
                title = f"{PARAGRAPH_MARK}{self.paragraph_count}"
                self.sections.append(Section(number="", title=title, level=1, start=block[0].start, end=block[0].end))
        return self.sections[-1]

    def _add_block(self, block: list[_Line]) -> None:
        section = self._current(block)
        if all("\t" in line.text for line in block):
            section.passages.extend(self._table_passages(block))
        else:
            section.passages.extend(self._text_passages(block))
        if section.passages:
            section.end = max(section.end, section.passages[-1].end)

    def _passage(self, start: int, end: int, kind: str) -> Passage | None:
        """A passage from source[start:end], with a bold lead-in turned into the sub-section name."""
        body = self.text[start:end]
        stripped = body.lstrip()
        start += len(body) - len(stripped)
        bold = BOLD_LEAD.match(stripped)
        if bold:
            self.subsection = bold.group(1).strip()
            start += bold.end()
        text = fold_whitespace(self.text[start:end])
        if not text:
            return None
        return Passage(text=text, start=start, end=end, subsection=self.subsection, kind=kind)

    def _text_passages(self, block: list[_Line]) -> list[Passage]:
        passages: list[Passage] = []
        item_start: int | None = None
        item_end = 0
        kind = "paragraph"

        def flush() -> None:
            if item_start is not None:
                passage = self._passage(item_start, item_end, kind)
                if passage:
                    passages.append(passage)

        for line in block:
            marker = BULLET.match(line.text) or NUMBERED_ITEM.match(line.text)
            if marker or item_start is None:
                flush()
                kind = "list_item" if marker else "paragraph"
                item_start = line.start + (marker.end() if marker else 0)
            item_end = line.end
        flush()
        return passages

    def _table_passages(self, block: list[_Line]) -> list[Passage]:
        rows = [self._cells(line) for line in block]
        header = [fold_whitespace(text) for text, _, _ in rows[0]]
        polarity = len(header) == 2 and DO_HEADER.match(header[0]) and DONT_HEADER.match(header[1])
        passages: list[Passage] = []
        if polarity:
            for row in rows[1:]:
                for (text, start, end), label in zip(row, ("Do", "Don't")):
                    if text.strip():
                        passages.append(
                            Passage(fold_whitespace(text), start, end, self.subsection, label=label, kind="table_cell")
                        )
            return passages
        if all(len(row) == 2 and row[1][0].strip() for row in rows):
            for (key, _, _), (value, start, end) in rows:
                label = fold_whitespace(key)
                passages.append(Passage(fold_whitespace(value), start, end, self.subsection, label, "table_cell"))
                self.metadata.setdefault(label, fold_whitespace(value))
            return passages
        for line, row in zip(block[1:], rows[1:]):
            for name, (value, _, _) in zip(header, row):
                if name.lower() == "version" and value.strip():
                    self.metadata["Version"] = value.strip()  # the last row of a history table is the latest
            passages.append(Passage(fold_whitespace(line.text), line.start, line.end, self.subsection, kind="table_row"))
        return passages

    @staticmethod
    def _cells(line: _Line) -> list[tuple[str, int, int]]:
        cells = []
        offset = line.start
        for cell in line.text.split("\t"):
            lead = len(cell) - len(cell.lstrip())
            cells.append((cell, offset + lead, offset + len(cell.rstrip())))
            offset += len(cell) + 1
        return cells

    def _join_page_breaks(self) -> None:
        for section in self.sections:
            joined: list[Passage] = []
            for passage in section.passages:
                previous = joined[-1] if joined else None
                if (
                    previous is not None
                    and passage.kind == "paragraph"
                    and previous.kind in ("paragraph", "list_item")
                    and passage.text[:1].islower()
                    and not SENTENCE_END.search(previous.text)
                ):
                    previous.text = fold_whitespace(self.text[previous.start : passage.end])
                    previous.end = passage.end
                else:
                    joined.append(passage)
            section.passages = joined

    @staticmethod
    def _key_value(text: str) -> re.Match | None:
        pair = KEY_VALUE.match(text)
        return pair if pair and not pair.group(1).isupper() else None

    def _read_front_matter(self) -> None:
        for line in self.front_matter:
            if pair := self._key_value(line.text):
                self.metadata[pair.group(1).strip()] = pair.group(2)

    def title(self) -> str:
        """The first all-capitals line of the front matter (minus a "LABEL:" prefix), else its first line."""
        lines = [fold_whitespace(line.text.replace("**", "")) for line in self.front_matter]
        candidates = [text for text in lines if text and not self._key_value(text)]
        for candidate in candidates:
            if candidate.isupper() and len(candidate.split()) >= 2:
                prefix, _, rest = candidate.partition(": ")
                return title_case(rest if rest and len(rest.split()) >= 2 else candidate)
        if candidates:
            return candidates[0]
        return self.metadata.get("Title", "")


def parse_documents(text: str, source_name: str) -> list[Document]:
    """Split a loaded file into its documents (main text and appendices), each with sections."""
    lines = _lines(text)
    parts: list[tuple[str | None, list[_Line]]] = [(None, [])]
    for line in lines:
        appendix = APPENDIX_LINE.match(line.text)
        if appendix:
            parts.append((appendix.group(1), []))
        else:
            parts[-1][1].append(line)
    documents = []
    for appendix, part_lines in parts:
        blocks = _blocks(part_lines)
        if not blocks:
            continue
        parser = _DocumentParser(text, blocks)
        parser.parse()
        if not any(section.passages for section in parser.sections):
            continue
        stem = source_name.rsplit(".", 1)[0]
        title = parser.title() or title_case(stem.replace("_", " ").replace("-", " "))
        if appendix:
            title = title or f"Appendix {appendix}"
        documents.append(
            Document(
                doc_id=slugify(title),
                title=title,
                source_name=source_name,
                text=text,
                start=blocks[0][0].start,
                end=blocks[-1][-1].end,
                part=f"appendix {appendix}" if appendix else "main",
                metadata=parser.metadata,
                sections=[s for s in parser.sections if s.passages],
                has_contents_table=parser.has_contents_table,
            )
        )
    return documents
