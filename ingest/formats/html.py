"""HTML: headings, paragraphs, lists and tables of a web page in reading order (beautifulsoup4).

Scripts, styles, navigation, page headers and footers are dropped; when the page marks its content
with ``<main>`` or ``<article>``, only that is read, so site menus are never cited.

A list item that holds headings or paragraphs of its own (``<ol><li><h2>Introduction</h2><p>…``) is a
section: its heading is written with the item's number ("1. Introduction") and its blocks follow. A
plain list item is written with its marker ("1.", "a)", "ii)" by the list's ``type`` or a class naming
its style); an item that prints its own marker ("(a) disclose …") keeps it. An item's second and later
paragraphs, and its nested lists, follow it as blocks of their own. Footnotes (a list or section
marked ``footnotes``/``endnotes`` by class or role, the common convention) are written under a "Notes"
heading as bulleted items, so they are never taken for the document's numbered paragraphs. A reference to
one (``<sup><a href="#footnote5">5</a></sup>``) is written in brackets, "Ofcom in 2016[5]", so its number never
runs into the text ("Ofcom in 20165" reads as a year).
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.formats.blocks import TextWriter, bold_lead_in
from ingest.load import UnreadableFile, decode_text
from ingest.text import ROMANS

DROPPED = ["script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "button", "svg"]
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCKS = HEADINGS | {"p", "ul", "ol", "table", "div", "section", "article", "main", "blockquote", "dl", "dt", "dd",
                     "pre", "figure", "figcaption", "address", "li", "body", "hr"}
BOLD_TAGS = {"strong", "b"}
FOOTNOTES = re.compile(r"foot-?notes|end-?notes", re.IGNORECASE)
OWN_MARKER = re.compile(r"^\s*\(?(?:[a-z]{1,2}|[ivx]{1,5}|\d{1,3})[.)]\s")
NOTE_REFERENCE_ROLES = re.compile(r"\b(footnote|endnote|doc-noteref)\b", re.IGNORECASE)


def _is_note_reference(element) -> bool:
    """A superscript linking within the page (or marked as a note reference): a footnote's mark, not an exponent."""
    link = element.find("a")
    if element.name != "sup" or link is None:
        return False
    marks = " ".join([*link.get("rel", []), link.get("role", ""), element.get("role", "")])
    return link.get("href", "").startswith("#") or bool(NOTE_REFERENCE_ROLES.search(marks))


def _list_style(element) -> str:
    """"1", "a" or "i": the list's numbering, from ``type`` or a class such as "alpha" or "lower-roman"."""
    style = str(element.get("type", "")) or " ".join(element.get("class", []))
    if "roman" in style or style.lower() == "i":
        return "i"
    if "alpha" in style or style.lower() == "a":
        return "a"
    return "1"


def _marker(style: str, number: int) -> str:
    if style == "a":
        return f"{chr(ord('a') + (number - 1) % 26)})"
    if style == "i":
        return f"{ROMANS[(number - 1) % len(ROMANS)]})"
    return f"{number}."  # as printed; Markdown writes a numbered heading ("2. Background") as a list of one


def _runs(element) -> list[tuple[str, bool]]:
    """(text, bold) runs of an element's inline content, nested lists left out."""
    from bs4 import NavigableString, Tag

    runs: list[tuple[str, bool]] = []

    def walk(node, bold: bool) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not a comment or CDATA
                    runs.append((str(child), bold))
            elif isinstance(child, Tag) and child.name not in ("ul", "ol", "table"):
                if child.name == "br":
                    runs.append((" ", bold))
                elif _is_note_reference(child):
                    runs.append((f"[{child.get_text().strip()}]", bold))
                else:
                    walk(child, bold or child.name in BOLD_TAGS)

    walk(element, False)
    return runs


class _HtmlWriter:
    def __init__(self) -> None:
        self.out = TextWriter()

    def container(self, element) -> None:
        """Block children in order; loose inline text between them becomes a paragraph."""
        from bs4 import NavigableString, Tag

        pending: list = []

        def flush() -> None:
            runs = [run for node in pending for run in (_runs(node) if isinstance(node, Tag) else [(str(node), False)])]
            self.out.paragraph(bold_lead_in(runs))
            pending.clear()

        for child in element.children:
            if isinstance(child, Tag) and child.name in BLOCKS:
                flush()
                self.block(child)
            elif isinstance(child, Tag) or type(child) is NavigableString:
                pending.append(child)
        flush()

    def block(self, element) -> None:
        name = element.name
        if name in HEADINGS:
            self.out.heading(element.get_text(" "))
        elif name in ("p", "dt", "dd", "figcaption", "pre", "address"):
            self.out.paragraph(bold_lead_in(_runs(element)))
        elif name in ("ul", "ol"):
            self.list(element)
        elif name == "table":
            for row in element.find_all("tr"):
                self.out.row([cell.get_text(" ") for cell in row.find_all(["td", "th"], recursive=False)])
            self.out.end_table()
        elif name != "hr":
            self.container(element)

    def list(self, element) -> None:
        if FOOTNOTES.search(" ".join([*element.get("class", []), str(element.get("role", ""))])):
            self.out.heading("Notes")
            for item in element.find_all("li", recursive=False):
                self.out.item(bold_lead_in(_runs(item)), "-")
            return
        number = int(element.get("start", 1)) if str(element.get("start", "1")).isdigit() else 1
        style = _list_style(element)
        for item in element.find_all("li", recursive=False):
            heading = item.find(list(HEADINGS), recursive=False)
            if heading is not None:
                self.section_item(item, heading, f"{number}. " if element.name == "ol" else "")
            else:
                self.plain_item(item, _marker(style, number) if element.name == "ol" else "-")
            number += 1

    def plain_item(self, item, marker: str) -> None:
        """A list item is its text up to its second paragraph; the lists and further paragraphs it holds follow
        it, in order, as blocks of their own (a loose Markdown list takes a paragraph indented under an item
        into the item: "2. That members …" then "13.3 In the case …" is the document's next paragraph)."""
        from bs4 import Tag

        paragraphs = item.find_all("p", recursive=False)
        following = [child for child in item.children if isinstance(child, Tag)
                     and (child.name in ("ul", "ol") or child.name == "p" and child is not paragraphs[0])]
        for child in following:
            child.extract()
        text = bold_lead_in(_runs(item))
        self.out.item(text, "" if marker != "-" and OWN_MARKER.match(text) else marker)
        for child in following:
            self.block(child)

    def section_item(self, item, heading, number: str) -> None:
        """A list item that is a section: its heading, numbered as the list numbers it, then its content."""
        self.out.heading(number + heading.get_text(" "))
        heading.extract()
        self.container(item)


def html_to_text(markup: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup.find_all(DROPPED):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    writer = _HtmlWriter()
    writer.container(root)
    return writer.out.text()


def load_html(path: Path) -> str:
    markup = decode_text(path.read_bytes())
    if "<" not in markup:
        raise UnreadableFile("it has no HTML markup; rename it to .txt if it is plain text")
    return html_to_text(markup)
