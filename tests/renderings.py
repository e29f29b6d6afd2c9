"""Test helper: render a document written in the loader's text conventions as DOCX, PDF or HTML,
the way a council's own files would look (heading styles, real lists and tables, page headers,
footers and page numbers), so the format loaders can be checked against the text version.

The text is read block by block (blocks are separated by blank lines):

- ``APPENDIX 1`` starts a new page; a single short line without closing punctuation is a heading
  (Heading 1 for ``2.``/``3.0``, Heading 2 for ``3.1`` and unnumbered ones); an all-capitals title
  glued to the first heading is rendered as a title and a heading;
- ``- item`` lines are a bulleted list (``**Lead**`` in bold), ``1. item`` lines a numbered list;
- tab-separated lines are a table, except a table of contents (rendered with dot leaders in PDF, as a
  contents list of links in HTML, and as tabbed contents lines in DOCX);
- a block starting in lower case continues the previous paragraph after a page break.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.sections.headings import LETTERED_ITEM, NUMBERED_HEADING, SENTENCE_END, TOC_LINE
from ingest.sections.lines import GLUED_TITLE

BOLD = re.compile(r"\*\*(.+?)\*\*")
HEADER_TEXT = "Rendered for testing"


@dataclass
class Block:
    kind: str  # title, heading1, heading2, paragraph, bullets, numbers, table, contents, appendix
    lines: list[str]
    page_break_before: bool = False
    numbers: list[int] | None = None  # a numbered list's own numbers, which need not run 1, 2, 3


def _heading_level(line: str) -> int:
    match = NUMBERED_HEADING.match(line)
    if not match:
        return 2
    parts = match.group(1).split(".")
    return 1 if len(parts) == 1 or all(p == "0" for p in parts[1:]) else 2


def _is_heading(line: str) -> bool:
    text = line.strip()
    return bool(text) and len(text.split()) <= 12 and text[0].isupper() and not SENTENCE_END.search(text) \
        and "\t" not in text and not text.startswith(("- ", "**"))


def read_blocks(text: str) -> list[Block]:
    """The text's blocks, classified for rendering; comment lines starting with '# ' are left out."""
    text = "\n".join(line for line in text.split("\n") if not line.startswith("# "))
    blocks: list[Block] = []
    for raw in re.split(r"\n\s*\n", text):
        lines = [line for line in raw.split("\n") if line.strip()]
        if not lines:
            continue
        first = lines[0].strip()
        if first == "[page break]":
            blocks.append(Block("page_break", []))
        elif len(lines) == 1 and re.fullmatch(r"APPENDIX \d+", first):
            blocks.append(Block("appendix", [first], page_break_before=True))
        elif len(lines) == 1 and (glued := GLUED_TITLE.match(lines[0])):
            blocks += [Block("title", [glued.group(1)]), Block(f"heading{_heading_level(glued.group(2))}", [glued.group(2)])]
        elif all(TOC_LINE.match(line) for line in lines):
            blocks.append(Block("contents", lines))
        elif all("\t" in line for line in lines):
            blocks.append(Block("table", lines))
        elif all(line.lstrip().startswith("- ") for line in lines):
            blocks.append(Block("bullets", [line.lstrip()[2:] for line in lines]))
        elif len(lines) > 1 and all(re.match(r"\d+\.\s", line) for line in lines):
            blocks.append(Block("numbers", [re.sub(r"^\d+\.\s+", "", line) for line in lines],
                                numbers=[int(re.match(r"\d+", line).group()) for line in lines]))
        elif len(lines) == 1 and _is_heading(first):
            blocks.append(Block(f"heading{_heading_level(first)}", [first]))
        elif all(LETTERED_ITEM.match(line) for line in lines):  # "a) …", "(b) …", "ii) …": a paragraph each, marker kept
            blocks.extend(Block("paragraph", [line.strip()]) for line in lines)
        elif first[:1].islower():
            blocks.append(Block("paragraph", [" ".join(l.strip() for l in lines)], page_break_before=True))
        else:
            blocks.extend(Block("paragraph", [line.strip()]) for line in lines)
    return blocks


def _runs(text: str) -> list[tuple[str, bool]]:
    """Text split into (text, bold) runs at ``**bold**`` markers."""
    runs, at = [], 0
    for match in BOLD.finditer(text):
        if match.start() > at:
            runs.append((text[at : match.start()], False))
        runs.append((match.group(1), True))
        at = match.end()
    if at < len(text):
        runs.append((text[at:], False))
    return runs


def _toc_parts(line: str) -> tuple[str, str]:
    title, page = re.match(r"^(.*?)(?:\.{4,}|\t)+\s*(\d+)\s*$", line).groups()
    return title.strip(), page


def render_docx(text: str, path: Path) -> Path:
    import docx
    from docx.enum.text import WD_BREAK

    document = docx.Document()
    for section in document.sections:
        section.header.paragraphs[0].text = HEADER_TEXT
        section.footer.paragraphs[0].text = "Page"
    for block in read_blocks(text):
        if block.kind == "page_break":
            document.add_page_break()
            continue
        if block.page_break_before:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if block.kind == "table":
            rows = [line.split("\t") for line in block.lines]
            table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for row, cells in zip(table.rows, rows):
                for cell, value in zip(row.cells, cells):
                    cell.text = value
            continue
        style = {"title": "Title", "heading1": "Heading 1", "heading2": "Heading 2", "bullets": "List Bullet",
                 "numbers": "List Number", "contents": "Normal", "appendix": "Normal", "paragraph": "Normal"}[block.kind]
        for line in block.lines:
            paragraph = document.add_paragraph(style=style)
            for run_text, bold in _runs(line):
                paragraph.add_run(run_text).bold = bold or None
    document.save(path)
    return path


def render_html(text: str, path: Path) -> Path:
    def inline(line: str) -> str:
        return "".join(f"<strong>{html.escape(t)}</strong>" if bold else html.escape(t) for t, bold in _runs(line))

    body = [f"<header><p>{HEADER_TEXT}</p></header>", "<main>"]
    for block in read_blocks(text):
        if block.kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in line.split("\t")) + "</tr>" for line in block.lines)
            body.append(f"<table>{rows}</table>")
        elif block.kind in ("bullets", "numbers"):
            tag = "ul" if block.kind == "bullets" else "ol"
            body.append(f"<{tag}>" + "".join(f"<li>{inline(line)}</li>" for line in block.lines) + f"</{tag}>")
        elif block.kind == "contents":
            links = "".join(f'<li><a href="#s{i}">{html.escape(_toc_parts(line)[0])}</a></li>' for i, line in enumerate(block.lines))
            body.append(f"<nav><ul>{links}</ul></nav>")
        elif block.kind != "page_break":
            tag = {"title": "h1", "heading1": "h2", "heading2": "h3"}.get(block.kind, "p")
            body.extend(f"<{tag}>{inline(line)}</{tag}>" for line in block.lines)
    body += ["</main>", "<footer><p>Page 1</p></footer>"]
    path.write_text(
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'><title>Rendered</title>"
        "<script>var x = 'not text';</script></head><body>\n" + "\n".join(body) + "\n</body></html>\n",
        encoding="utf-8",
    )
    return path


def render_pdf(text: str, path: Path, spaced: bool = True) -> Path:
    """A PDF with a running header and a "Page N of M" footer. Spaced: bold headings in larger type and space
    between paragraphs. Plain (``spaced=False``): one size and weight throughout and no space between
    paragraphs, as many Word exports print, so only line ends and numbering show the structure."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.platypus import ListFlowable, ListItem, PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    # A word wider than the line (a long web address) overruns the margin, as word processors print it; reportlab
    # would otherwise break it mid-word, without a hyphen, which no council's PDF writer does.
    whole_words = {"splitLongWords": 0}
    body = ParagraphStyle("body", parent=styles["Normal"], fontSize=10, leading=12, spaceAfter=8 if spaced else 0,
                          **whole_words)
    heading = {
        "title": ParagraphStyle("t", parent=styles["Title"], fontSize=16, spaceAfter=12, **whole_words),
        "heading1": ParagraphStyle("h1", parent=styles["Heading1"], fontSize=14, spaceBefore=10, spaceAfter=8,
                                   **whole_words),
        "heading2": ParagraphStyle("h2", parent=styles["Heading2"], fontSize=12, spaceBefore=8, spaceAfter=6,
                                   **whole_words),
    } if spaced else {}

    def inline(line: str) -> str:
        return "".join(f"<b>{html.escape(t)}</b>" if bold else html.escape(t) for t, bold in _runs(line))

    def story() -> list:
        flowables = []
        for block in read_blocks(text):
            if block.page_break_before or block.kind == "page_break":
                flowables.append(PageBreak())
            if block.kind == "page_break":
                continue
            if block.kind == "table":
                rows = [[Paragraph(html.escape(cell), body) for cell in line.split("\t")] for line in block.lines]
                width = 450 / max(len(r) for r in rows)
                table = Table(rows, colWidths=[width] * max(len(r) for r in rows))
                table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                           ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 12)]))
                flowables.append(table)
            elif block.kind in ("bullets", "numbers"):
                numbers = block.numbers or [None] * len(block.lines)
                items = [ListItem(Paragraph(inline(line), body), **({"value": n} if n else {}))
                         for line, n in zip(block.lines, numbers)]
                kind = {"bulletType": "bullet", "start": "-"} if block.kind == "bullets" else {"bulletType": "1", "bulletFormat": "%s."}
                flowables.append(ListFlowable(items, leftIndent=18, **kind))
            elif block.kind == "contents":
                flowables.extend(Paragraph(html.escape(f"{t} {'.' * 20} {p}"), body) for t, p in map(_toc_parts, block.lines))
            else:
                flowables.extend(Paragraph(inline(line), heading.get(block.kind, body)) for line in block.lines)
        return flowables

    def build(target, pages: int) -> int:
        def decorate(canvas, document) -> None:
            canvas.saveState()
            canvas.setFont("Helvetica", 8)
            canvas.drawString(72, A4[1] - 40, HEADER_TEXT)
            canvas.drawCentredString(A4[0] / 2, 30, f"Page {document.page} of {pages}")
            canvas.restoreState()

        document = SimpleDocTemplate(target, pagesize=A4, topMargin=72, bottomMargin=72)
        document.build(story(), onFirstPage=decorate, onLaterPages=decorate)
        return document.page

    build(str(path), build(io.BytesIO(), 0))  # the first build counts the pages for "of M"
    return path


def render_plain_pdf(text: str, path: Path) -> Path:
    return render_pdf(text, path, spaced=False)


def render_markdown(text: str, path: Path) -> Path:
    lines: list[str] = []
    for block in read_blocks(text):
        if block.kind == "table":
            rows = [line.split("\t") for line in block.lines]
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            lines += ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
            lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        elif block.kind == "bullets":
            lines += [f"- {line}" for line in block.lines]
        elif block.kind == "numbers":
            lines += [f"{n}. {line}" for n, line in enumerate(block.lines, 1)]
        elif block.kind == "contents":
            lines += [f"- [{_toc_parts(line)[0]}](#s{i})" for i, line in enumerate(block.lines)]
        elif block.kind != "page_break":
            mark = {"title": "# ", "heading1": "## ", "heading2": "### "}.get(block.kind, "")
            lines += [mark + line for line in block.lines]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


RENDERERS = {"docx": render_docx, "html": render_html, "pdf": render_pdf, "md": render_markdown}
# The variants every document is rendered as for the PDF and Word checks (tests/test_rendered_documents.py).
PRINTED = {"docx": ("docx", render_docx), "spaced-pdf": ("pdf", render_pdf), "plain-pdf": ("pdf", render_plain_pdf)}
