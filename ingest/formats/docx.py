"""Word (.docx): paragraphs, heading styles, list numbering and tables in reading order (python-docx).

Headings are recognised by style (``Heading n``, ``Title``) or outline level; numbers that Word
generates for numbered headings and list items are written out, since they are not in the text.
Page headers and footers live outside the document body and are never read.
"""

from __future__ import annotations

import zipfile
from collections import defaultdict
from pathlib import Path

from ingest.formats.blocks import TextWriter, bold_lead_in
from ingest.load import UnreadableFile

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"  # encrypted .docx and old binary .doc files are OLE containers
ZIP_SIGNATURE = b"PK"  # a .docx is a zip package
PDF_SIGNATURE = b"%PDF"
W = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def _xpath(element, query: str) -> list:
    from lxml import etree

    return etree._Element.xpath(element, query, namespaces=W)


class _Numbering:
    """Word's list numbering: which paragraphs are numbered, and the number each one shows."""

    def __init__(self, document):
        try:
            self.root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):  # a document without any lists has no numbering part
            self.root = None
        self.counters: dict[str, dict[int, int]] = defaultdict(dict)

    @staticmethod
    def _num_pr(paragraph):
        """The paragraph's own numbering, else its style's (styles inherit from their base style)."""
        p_pr = paragraph._p.pPr
        if p_pr is not None and p_pr.numPr is not None:
            return p_pr.numPr
        style = paragraph.style
        while style is not None:
            p_pr = style.element.pPr
            if p_pr is not None and p_pr.numPr is not None:
                return p_pr.numPr
            style = style.base_style
        return None

    def _level(self, num_id: str, ilvl: int):
        if self.root is None:
            return None
        abstract = _xpath(self.root, f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')
        if not abstract:
            return None
        levels = _xpath(self.root, f'./w:abstractNum[@w:abstractNumId="{abstract[0]}"]/w:lvl[@w:ilvl="{ilvl}"]')
        return levels[0] if levels else None

    def label(self, paragraph) -> tuple[str, str] | None:
        """(format, shown number) for a numbered paragraph, e.g. ("decimal", "3.1."), or None."""
        num_pr = self._num_pr(paragraph)
        if num_pr is None or num_pr.numId is None or num_pr.numId.val == 0:
            return None
        num_id = str(num_pr.numId.val)
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        level = self._level(num_id, ilvl)
        if level is None:
            return ("bullet", "-")
        fmt = (_xpath(level, "./w:numFmt/@w:val") or ["decimal"])[0]
        if fmt == "bullet":
            return ("bullet", "-")
        start = int((_xpath(level, "./w:start/@w:val") or ["1"])[0])
        counters = self.counters[num_id]
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        text = (_xpath(level, "./w:lvlText/@w:val") or [f"%{ilvl + 1}."])[0]
        for depth in range(ilvl + 1):
            text = text.replace(f"%{depth + 1}", str(counters.get(depth, 1)))
        return (fmt, text)


def _is_heading(paragraph) -> bool:
    style = paragraph.style
    name = (style.name if style is not None else "") or ""
    outline = bool(_xpath(paragraph._p, "./w:pPr/w:outlineLvl"))
    return name.startswith("Heading") or name in ("Title", "Subtitle") or outline


def _is_bold(run) -> bool:
    if run.bold is not None:
        return run.bold
    return bool(run.style is not None and run.style.font.bold)


def _write_table(writer: TextWriter, table) -> None:
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if not cells or cell._tc is not cells[-1]._tc:  # a merged cell is listed once per grid column
                cells.append(cell)
        writer.row([cell.text for cell in cells])
    writer.end_table()


def _refuse_by_signature(head: bytes) -> None:
    """Say what a .docx that is no Word document is, from its first bytes, before python-docx is asked."""
    if head.startswith(OLE_SIGNATURE):
        raise UnreadableFile("it is password-protected or an old-style Word file; save it as .docx without a password")
    if head.startswith(PDF_SIGNATURE):
        raise UnreadableFile("it is not a Word document: it looks like a PDF saved with the wrong extension; "
                             "rename it to end in .pdf")
    if not head.startswith(ZIP_SIGNATURE):
        raise UnreadableFile("it is not a Word document (its content is not a Word file's, whatever its name); "
                             "open it in the program that made it and save it as .docx")


def load_docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    with open(path, "rb") as handle:
        _refuse_by_signature(handle.read(8).lstrip())
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        # python-docx's own words ("Package not found at …") say nothing an officer can act on
        raise UnreadableFile("it is not a readable Word document: it is damaged, or another program's file renamed "
                             ".docx; open it in the program that made it and save it as .docx") from error
    numbering = _Numbering(document)
    writer = TextWriter()
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            _write_table(writer, block)
            continue
        label = numbering.label(block)
        if _is_heading(block):
            number = f"{label[1]} " if label and label[0] == "decimal" else ""
            writer.heading(number + block.text)
            continue
        text = bold_lead_in([(run.text, _is_bold(run)) for run in block.runs]) if block.runs else block.text
        if label:
            writer.item(text, "-" if label[0] == "bullet" else f"{label[1].rstrip('.)')}.")
        else:
            writer.paragraph(text)
    return writer.text()
