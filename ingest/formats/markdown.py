"""Markdown: rendered to HTML with markdown-it (tables on), then read like any web page.

YAML front matter (``title:``, ``version:``, ``date:``, ``review_date:``) becomes "Key: value" lines
at the top, where the section parser reads a document's metadata.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ingest.formats.html import html_to_text
from ingest.load import UnreadableFile, load_plain_text
from ingest.yaml_errors import yaml_problem

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n(?:---|\.\.\.)\n", re.DOTALL)


def _front_matter_lines(block: str) -> str:
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as error:
        raise UnreadableFile(f"its front matter (between the --- lines) is not valid YAML at {yaml_problem(error)}") from error
    if not isinstance(data, dict):
        return ""
    return "\n\n".join(f"{str(key).replace('_', ' ').title()}: {value}" for key, value in data.items() if value is not None)


def load_markdown(path: Path) -> str:
    from markdown_it import MarkdownIt

    text = load_plain_text(path)
    header = ""
    if front := FRONT_MATTER.match(text):
        header = _front_matter_lines(front.group(1))
        text = text[front.end():]
    body = html_to_text(MarkdownIt("commonmark").enable("table").render(text))
    return f"{header}\n\n{body}" if header else body
