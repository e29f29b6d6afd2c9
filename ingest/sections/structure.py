"""Structure: walk one document's blocks and build its sections.

- A numbered heading ("3.1 Why use social media?") opens a section titled by its words.
- A numbered paragraph ("7. Within 28 days …", "4. You must —") opens a section keyed by its number and
  titled by what it is about: the heading it stands under ("Registration of interests"), else its number.
- A paragraph written statute-style ("10.—(1) You must …", then "(2) …" in later blocks) is divided into
  its sub-paragraphs, sections keyed "10.1", "10.2" and titled as the paragraph is (``subparagraphs``).
- A lettered or roman item is its own section ("6.a", "1.b.i") when it is a rule of its own: it sits in a
  numbered section, continues the letters in order from "a" (or "i"), and is a sentence of its own
  (starts with a capital, "(b) Where the Clerk …"). An item that goes on from its lead-in in lower case
  ("You must — (a) disclose …") is a passage of its paragraph.
- "Appendix A" (a line of its own) opens the section keyed ``Appendix A``.
- A short unnumbered heading line, a line the contents page lists, or a PART line, opens a section keyed
  by its title (or, inside a numbered sub-section, names a sub-section). A short line that goes on from
  the paragraph before is not a heading: a fragment of a few words after a paragraph cut mid-sentence,
  a name's year ("… (Disclosable Pecuniary Interests)" / "Regulations 2012"), or the line a lead-in
  ending in a colon introduces.
- Text under no heading at all is cited by paragraph number ("¶3"); so is every block of a text whose
  headings have nothing under them, so that no text is lost.
- Contents pages and "end of document" lines are skipped; text before the first numbered heading of a
  numbered document is its front matter (title, author, dates).
"""

from __future__ import annotations

import re

from ingest.sections import headings as h
from ingest.sections.lines import Block, Line
from ingest.sections.passages import MAX_FRAGMENT_WORDS, PassageReader, join_page_breaks
from ingest.sections.records import Section
from ingest.sections.subparagraphs import SubParagraphs
from ingest.sections.titles import key_value
from ingest.text import ROMANS

MIN_BODY_WORDS = 12
PARAGRAPH_MARK = "¶"  # sections of a document without headings are its paragraphs: "¶1", "¶2", …
PART_PREFIX = re.compile(r"^\s*PART\s+[0-9IVX]+\s*[—–:.-]+\s*")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _stops_mid_sentence(text: str) -> bool:
    """A paragraph ending on a lower-case word or a comma goes on in the next block."""
    return (text.split()[-1][:1].islower() and not h.SENTENCE_END.search(text)) or text.endswith((",", "("))


def _goes_on_from(previous: str, line: str, cut_mid_sentence: bool) -> bool:
    """A short line that is not a heading but goes on from the paragraph before it: the few words a page break
    cut off a sentence ("… in line with the Data Protection" / "Act"), a name cut before its year ("… (Disclosable
    Pecuniary Interests)" / "Regulations 2012"), or what a lead-in introduces ("… lawfully unless:" / "The
    individual has consented"). A longer line after a paragraph without a full stop is still a heading."""
    if cut_mid_sentence and len(line.split()) <= MAX_FRAGMENT_WORDS:
        return True
    if h.LEAD_IN_END.search(previous) and not h.is_subheading(previous):  # a lead-in, not a label ("Staff Duties:")
        return True
    return bool(previous) and not h.SENTENCE_END.search(previous.rstrip(")")) and bool(re.search(r"\b\d{4}$", line))


def _is_toc(block: Block) -> bool:
    return sum(h.is_toc_line(line.text) for line in block) * 2 > len(block)


class DocumentStructure:
    """Sections of one document, read block by block."""

    def __init__(self, source: str, blocks: list[Block]):
        self.source = source
        self.blocks = blocks
        self.reader = PassageReader(source)
        self.front_matter: list[Line] = []
        self.sections: list[Section] = []
        self.numbering = h.Numbering()
        self.topic = ""  # the heading numbered paragraphs stand under, for their titles
        self.subparagraphs: SubParagraphs | None = None  # those of the paragraph being read, if it has them
        self.paragraph_count = 0
        self.open_sentence = False  # the last block was a paragraph that stops mid-sentence
        self.skip_next = False  # the next block was read with this one
        self.toc = [_is_toc(b) for b in blocks]  # whether each block is (part of) a contents page
        # A contents page, or its "Contents" heading where the page numbers did not survive (web pages).
        self.has_contents_table = any(
            toc or (len(b) == 1 and h.CONTENTS_MARKER.match(b[0].text)) for toc, b in zip(self.toc, blocks))
        self.any_numbered = any(h.numbered_heading(b) for b in blocks)
        self.contents_entries = h.contents_entries(blocks)

    def parse(self) -> list[Section]:
        previous_text = ""
        for index, block in enumerate(self.blocks):
            first = block[0].text.strip()
            following = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
            # a contents entry broken over two lines ("… to the proper" / "officer ........ 10") is skipped whole
            broken_entry = following is not None and self.toc[index + 1] and h.starts_lower(following[0].text)
            if self.skip_next:
                self.skip_next = False
            elif self.toc[index] or broken_entry or len(block) == 1 and (h.CONTENTS_MARKER.match(first)
                                                                        or h.END_MARKER.match(first)):
                self.open_sentence = False
            else:
                self._read(block, index, previous_text)
            if not h.NUMBERED_ITEM.match(first) and not h.starts_lower(first):  # a broken item's rest keeps the list
                self.numbering.end_list()
            previous_text = block[-1].text.strip()
        if not any(section.passages for section in self.sections):
            self._read_as_paragraphs()
        for section in self.sections:
            join_page_breaks(self.source, section)
        return [s for s in self.sections if s.passages]

    def _read_as_paragraphs(self) -> None:
        """Every block a paragraph ("¶1", "¶2", …): for a text whose headings have nothing under them (or that is
        all front matter), so that its words are still ingested rather than the file skipped as empty."""
        self.sections, self.paragraph_count, self.reader = [], 0, PassageReader(self.source)
        for block in self.blocks:
            self._add(block)

    def _read(self, block: Block, index: int, previous_text: str) -> None:
        """Read one block; ``open_sentence`` says whether it went on from a paragraph cut mid-sentence."""
        self.open_sentence, was_open = False, self.open_sentence
        first = block[0].text.strip()
        heading = h.numbered_heading(block)
        paragraph = None if heading else h.numbered_paragraph(block)
        if heading and self.numbering.accepts(heading.group(1), previous_text):
            self._open(heading.group(1), heading.group(3).strip(), block[0])
            self.topic = heading.group(3).strip()
        elif paragraph and self.numbering.accepts(paragraph.group(1), previous_text):
            self._open_paragraph(paragraph, block)
        elif self._subparagraph(block):
            pass
        elif len(block) == 1 and (appendix := h.APPENDIX_HEADING.match(first)):
            name = appendix.group(1).title()
            self._open(name, appendix.group(2).strip() or name, block[0])
        elif self._lettered_rule(block):
            pass
        elif not self.sections and self.any_numbered and not self._opens_body(block, index):
            self.front_matter.extend(block)
        elif (title := self._broken_heading(block, index)) is not None:
            self._open_unnumbered(title, block[0], opens_document=False)
            self.skip_next = True
        elif len(block) == 1 and not _goes_on_from(previous_text, first, was_open) and self._is_heading(first, index):
            self._open_unnumbered(first.rstrip(":").rstrip(), block[0], opens_document=index == 0)
        else:
            self._add(block)

    def _opens_body(self, block: Block, index: int) -> bool:
        """Whether a heading before the first numbered one opens body text ("Introduction" over a paragraph of
        sentences) rather than being part of the title page (title, author, dates, contents)."""
        following = self.blocks[index + 1] if index + 1 < len(self.blocks) else []
        body = " ".join(line.text.strip() for line in following)
        return len(block) == 1 and self._is_heading(block[0].text.strip(), index) \
            and len(body.split()) >= MIN_BODY_WORDS and bool(h.SENTENCE_END.search(body)) \
            and not any(key_value(line.text) for line in following) and not h.numbered_heading(following)

    def _broken_heading(self, block: Block, index: int) -> str | None:
        """A heading the contents page lists, broken over two lines ("… to the proper" / "officer")."""
        following = self.blocks[index + 1] if index + 1 < len(self.blocks) else None
        if len(block) != 1 or following is None or len(following) != 1 or not h.starts_lower(following[0].text):
            return None
        title = " ".join(f"{block[0].text} {following[0].text}".split())
        return title if title.lower() in self.contents_entries else None

    def _is_heading(self, text: str, index: int) -> bool:
        following = self.blocks[index + 1][0].text.strip() if index + 1 < len(self.blocks) else ""
        introduces_list = text.endswith(":") and bool(h.BULLET.match(following) or h.NUMBERED_ITEM.match(following)
                                                       or h.LETTERED_ITEM.match(following))
        listed = " ".join(text.lower().split()) in self.contents_entries
        return (h.is_subheading(text) or listed) and bool(following) and not h.starts_lower(following) \
            and not introduces_list

    def _open_paragraph(self, paragraph: re.Match, block: Block) -> None:
        """Open a numbered paragraph's section, or its first sub-paragraph's if it opens with "(1)"."""
        number, title, offset = paragraph.group(1), self.topic or f"Paragraph {paragraph.group(1)}", paragraph.end()
        if opened := SubParagraphs.opened_by(number, title, block[0].text[offset:]):
            self.subparagraphs, first = opened
            self._open_subparagraph(block[0])
            offset += first.end()
        else:
            self._open(number, title, block[0])
        if not self._lettered_rule(block, start=block[0].start + offset):  # "6. (a) On receipt …"
            self._add(block, start=block[0].start + offset)

    def _subparagraph(self, block: Block) -> bool:
        """Open the next sub-paragraph of the paragraph being read ("(2) You must …"), if the block opens one."""
        mark = self.subparagraphs.next(block[0].text) if self.subparagraphs else None
        if mark is None:
            return False
        self._open_subparagraph(block[0])
        if not self._lettered_rule(block, start=block[0].start + mark.end()):
            self._add(block, start=block[0].start + mark.end())
        return True

    def _open_subparagraph(self, line: Line) -> None:
        paragraph = self.subparagraphs.paragraph
        self._open(self.subparagraphs.key(), self.subparagraphs.title, line, level=len(h.number_parts(paragraph)) + 1)

    def _lettered_rule(self, block: Block, start: int | None = None) -> bool:
        """Open a lettered or roman rule as its own section ("6.a"), if the block (from ``start``) is one (see
        the module doc)."""
        current = self.sections[-1] if self.sections else None
        offset = (start or block[0].start) - block[0].start
        item = h.LETTERED_ITEM.match(block[0].text[offset:])
        if not item or current is None or not current.number or current.number.startswith("Appendix"):
            return False
        marker = item.group(1) or item.group(2)
        if not block[0].text[offset + item.end():][:1].isupper():
            return False
        base, _, last = current.number.rpartition(".")
        parent = current.number
        for series in (LETTERS, ROMANS):
            if last in series and marker in series and series.index(marker) == series.index(last) + 1:
                parent = base  # the next item of the same series
                break
        else:
            if marker not in ("a", "i"):
                return False
        self._open(f"{parent}.{marker}", current.title, block[0], level=current.level + 1)
        self._add(block, start=block[0].start + offset + item.end())
        return True

    def _open(self, number: str, title: str, line: Line, level: int | None = None) -> None:
        """Open a section; one of the document's own numbering (no ``level`` given) ends any sub-paragraphs."""
        if level is None:
            self.subparagraphs = None
        level = level or (1 if number.startswith("Appendix") else len(h.number_parts(number)))
        self.sections.append(Section(number=number, title=title, level=level, start=line.start, end=line.end))
        self.reader.subsection = None

    def _open_unnumbered(self, title: str, line: Line, opens_document: bool) -> None:
        """A section, or a sub-section of a numbered one where a contents page lists only the numbered headings.
        The line that opens the document is its title, not a topic its numbered paragraphs stand under."""
        current = self.sections[-1] if self.sections else None
        in_paragraph = current is not None and (current.level == 1 or self.subparagraphs is not None)
        if current is None or (in_paragraph and not (self.has_contents_table and self.any_numbered)):
            self.sections.append(Section(number="", title=title, level=1, start=line.start, end=line.end))
            self.reader.subsection = None
            self.subparagraphs = None
            if not opens_document:
                self.topic = PART_PREFIX.sub("", title).title() if h.PART_HEADING.match(title) else title
        else:
            self.reader.subsection = title

    def _current(self, block: Block) -> Section:
        """The section a block belongs to; text under no heading is cited by paragraph number ("¶3")."""
        current = self.sections[-1] if self.sections else None
        if current is None or current.title.startswith(PARAGRAPH_MARK):
            continues = current is not None and current.passages and h.starts_lower(block[0].text) \
                and not h.SENTENCE_END.search(current.passages[-1].text)  # a paragraph cut by a page break
            if not continues:
                self.paragraph_count += 1
                title = f"{PARAGRAPH_MARK}{self.paragraph_count}"
                self.sections.append(Section(number="", title=title, level=1, start=block[0].start, end=block[0].end))
        return self.sections[-1]

    def _add(self, block: Block, start: int | None = None) -> None:
        section = self._current(block)
        added = self.reader.block(block, start)
        section.passages.extend(added)
        last = added[-1] if added else None
        self.open_sentence = bool(last and last.kind == "paragraph" and _stops_mid_sentence(last.text))
        if section.passages:
            section.end = max(section.end, section.passages[-1].end)
