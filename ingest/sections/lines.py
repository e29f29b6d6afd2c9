"""Lines and blocks: the loaded text as lines with their offsets, page furniture left out, grouped into blocks.

A block is a run of lines between blank lines. A line that opens a numbered paragraph ("7. Within 28
days …", "4.1 Members must …") also opens a block, whatever the blank-line spacing, so a text with one
paragraph per line and no blank lines still gives its numbered sections. A title glued to a numbered
heading ("MEMBER SOCIAL MEDIA GUIDANCE1. Purpose") is split into two lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.sections.furniture import furniture_lines

GLUED_TITLE = re.compile(r"^([A-Z][A-Z0-9 ,'’&\-]{3,}[A-Z])(\d+(?:\.\d+)*\.?\s+[A-Z].*)$")
# a number and a sentence: "7. Within 28 days …", "4.1 Members must …", "1.—(1) In this code"
NUMBERED_PARAGRAPH = re.compile(r"^\s*(\d+(?:\.\d+)*)(?:\.\s*[—–]?|\s*[—–]|\s)\s*(?=[A-Z(“\"‘'])")


@dataclass
class Line:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


Block = list[Line]


def split_lines(text: str) -> list[Line]:
    """Lines with their offsets; a title glued to a numbered heading becomes two lines."""
    lines: list[Line] = []
    offset = 0
    for raw in text.split("\n"):
        glued = GLUED_TITLE.match(raw)
        if glued:
            lines.append(Line(glued.group(1), offset))
            lines.append(Line("", offset + glued.start(2)))  # the title and the heading are separate blocks
            lines.append(Line(glued.group(2), offset + glued.start(2)))
        else:
            lines.append(Line(raw, offset))
        offset += len(raw) + 1
    return lines


def without_furniture(lines: list[Line]) -> list[Line]:
    """The lines that are not page furniture; a footer between two halves of a sentence is simply gone."""
    dropped = furniture_lines([line.text for line in lines])
    return [line for index, line in enumerate(lines) if index not in dropped]


def blocks(lines: list[Line]) -> list[Block]:
    found: list[Block] = []
    current: Block = []
    for line in lines:
        if not line.text.strip():
            if current:
                found.append(current)
            current = []
        elif current and NUMBERED_PARAGRAPH.match(line.text) and "\t" not in line.text:
            found.append(current)
            current = [line]
        else:
            current.append(line)
    if current:
        found.append(current)
    return found
