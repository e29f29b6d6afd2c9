"""Headings: what a block opens — a numbered heading, a numbered paragraph, a lettered item, an appendix,
a bare-text heading — and whether a number continues the document's own numbering.

- A numbered heading is a number and a short title ("3.1 Why use social media?", "4 Community Interest").
- A numbered paragraph is a number and a sentence ("7. Within 28 days …", "1.—(1) In this code —",
  "4. You must —"); a title that ends in a dash or colon is the lead-in of the paragraph, not its title.
- A number is accepted only when it follows the previous one in sequence and in the document's style
  (``2.`` or ``2.0``), so a numbered list ("It covers: 1. …") is not mistaken for headings.
- A bare-text heading is a short line: a capitalised title without closing punctuation, or a PART line
  ("PART 3—INTERESTS").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.sections.lines import NUMBERED_PARAGRAPH, Block

APPENDIX_LINE = re.compile(r"^\s*appendix\s+([0-9]+|[a-z])\s*$", re.IGNORECASE)
APPENDIX_HEADING = re.compile(r"^\s*(appendix\s+[A-Z0-9]{1,2})\b[\s:.—–-]*(.{0,80})$", re.IGNORECASE)
TOC_LINE = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+\S.*?(?:\t+\s*\d+|\.{4,}\s*\d+)\s*$|^\s*\S.*?\.{6,}")
CONTENTS_MARKER = re.compile(r"^\s*(table of )?contents\s*$", re.IGNORECASE)
END_MARKER = re.compile(r"^\s*end of (the )?document\s*$", re.IGNORECASE)
NUMBERED_HEADING = re.compile(r"^\s*(\d+(?:\.\d+)*)(\.?)\s+([A-Z][^\t]{0,100}?)\s*$")
LETTERED_ITEM = re.compile(r"^\s*(?:\(([a-z]{1,2}|[ivx]{1,5})\)|([a-z]|[ivx]{1,5})[.)])\s+(?=\S)")
NUMBERED_ITEM = re.compile(r"^\s*\d+[.)]\s+")
PART_HEADING = re.compile(r"^\s*PART\s+[0-9IVX]+\s*[—–:.-]+\s*[A-Z][A-Z ,'’&]+$")
BULLET = re.compile(r"^\s*(?:[-•–]|\*(?!\*))\s+")
SENTENCE_END = re.compile(r"[.!?:;\"”’)]$")
LEAD_IN_END = re.compile(r"(?:[—–:]|\s-)$")
FULL_DATE = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:January|February|March|April|May|June|July|August|September|"
                       r"October|November|December)\s+\d{4}|\b\d{1,2}/\d{1,2}/\d{2,4}\b", re.IGNORECASE)

MAX_HEADING_WORDS = 12
MAX_SUBHEADING_WORDS = 10
LINE_BREAK_WORDS = {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "of", "on", "or",
                    "that", "the", "to", "which", "with", "who", "will", "would", "should", "may", "can", "any"}
MAX_LABEL_WORDS = 3
MAX_NUMBER_STEP = 3  # tolerate a section or two missing from a numbered sequence


BARE_ITEM = re.compile(r"^\s*(?:[a-z]{1,2}|[ivx]{1,5})\s+[A-Z“\"‘'(]")
TOC_ENTRY = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+)?(.*?)\s*(?:\t+\s*\d+|\.{4,}).*$")


def starts_lower(text: str) -> bool:
    """Whether a block goes on from the text before it: it starts in lower case, and not with a bare item
    letter before a capital ("a Motions on the agenda …", as standing orders print their rules)."""
    text = text.lstrip()
    return text[:1].islower() and not BARE_ITEM.match(text) and not LETTERED_ITEM.match(text)


def _cut_short(text: str) -> bool:
    """A line ending on a word no title ends on ("… limited to what is", "… the protection of") is a line of
    a paragraph broken where the page ran out of width, not a heading."""
    return text.split()[-1] in LINE_BREAK_WORDS


def is_toc_line(text: str) -> bool:
    """A contents-page line ("3.1 Why use social media? ..... 4"). Both shapes of one hold a tab or a run of
    dots, looked for first: the pattern alone is tried all along every line of a document."""
    return ("\t" in text or "...." in text) and bool(TOC_LINE.match(text))


def contents_entries(blocks: list[Block]) -> set[str]:
    """The titles a contents page lists (lower case, white space folded): headings whatever their length. An
    entry broken over two lines ("… to the proper" / "officer ..... 10") is read whole."""
    entries = set()
    for index, block in enumerate(blocks):
        for line in block:
            if is_toc_line(line.text) and (entry := TOC_ENTRY.match(line.text)):
                title = entry.group(1)
                if starts_lower(title) and index and len(blocks[index - 1]) == 1:
                    title = f"{blocks[index - 1][0].text} {title}"
                entries.add(" ".join(title.lower().split()))
    return entries


def number_parts(raw: str) -> tuple[int, ...]:
    parts = [int(p) for p in raw.rstrip(".").split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def follows(previous: tuple[int, ...] | None, candidate: tuple[int, ...]) -> bool:
    if previous is None:
        return len(candidate) == 1 or candidate == (1, 1)
    if candidate == previous + (1,):
        return True
    for depth in range(len(previous)):
        if len(candidate) == depth + 1 and candidate[:depth] == previous[:depth]:
            if previous[depth] < candidate[depth] <= previous[depth] + MAX_NUMBER_STEP:
                return True
    return False


def is_dot_zero(raw: str) -> bool:
    return bool(re.fullmatch(r"\d+\.0+", raw))


def numbered_heading(block: Block) -> re.Match | None:
    """A one-line block "number title", the title short and not a sentence or a lead-in."""
    if len(block) != 1:
        return None
    match = NUMBERED_HEADING.match(block[0].text)
    if not match:
        return None
    title = match.group(3)
    unquoted = title.rstrip("’”\"'")  # a title may end in a quotation: "Absence of the ‘lead’"
    if SENTENCE_END.search(unquoted) and not unquoted.endswith("?") or LEAD_IN_END.search(title) or _cut_short(title):
        return None
    return match if len(title.split()) <= MAX_HEADING_WORDS else None


def numbered_paragraph(block: Block) -> re.Match | None:
    """A block opening with a number and a sentence, e.g. "7. Within 28 days …"."""
    return NUMBERED_PARAGRAPH.match(block[0].text)


def is_subheading(text: str) -> bool:
    """A short capitalised line without closing punctuation: a heading in words, not in numbers.
    A label of up to three words ending in a colon ("Introduction:", "Definitions used:") is one too."""
    words = text.split()
    if text.endswith(":") and len(words) <= MAX_LABEL_WORDS and text[:1].isupper() and "\t" not in text:
        return True
    return (
        len(words) <= MAX_SUBHEADING_WORDS
        and text[:1].isupper()
        and any(len(word) > 2 for word in words)  # "OR" between two alternatives is not a heading
        and not SENTENCE_END.search(text)
        and not LEAD_IN_END.search(text)
        and not text.endswith(",")
        and "\t" not in text
        and not BULLET.match(text)
        and not NUMBERED_ITEM.match(text)
        and not text.startswith("**")
        and not FULL_DATE.search(text)  # "Adopted at the 13 December 2017 meeting" is a statement, not a heading
        and not _cut_short(text)
    ) or bool(PART_HEADING.match(text))


@dataclass
class Numbering:
    """The document's numbering so far: the last accepted number, its style, and a numbered list in progress."""

    last: tuple[int, ...] | None = None
    dot_zero_style: bool | None = None
    list_number: int | None = None

    def accepts(self, raw: str, previous_text: str) -> bool:
        """Whether ``raw`` (e.g. "3.1") continues the document's numbering after a block ending ``previous_text``."""
        parts = number_parts(raw)
        continues_list = self.list_number is not None and parts == (self.list_number + 1,) and not is_dot_zero(raw)
        if previous_text.endswith(":") or LEAD_IN_END.search(previous_text) or continues_list:
            self.list_number = parts[0]
            return False
        if len(parts) == 1 and self.dot_zero_style is not None and is_dot_zero(raw) != self.dot_zero_style:
            return False
        if not follows(self.last, parts):
            if len(parts) == 1:
                self.list_number = parts[0]
            return False
        if self.dot_zero_style is None:
            self.dot_zero_style = is_dot_zero(raw)
        self.last = parts
        return True

    def end_list(self) -> None:
        self.list_number = None
