"""Sections: split loaded text into documents and their numbered sections, read from the text itself.

The parse is a row of small steps, one module each, so that the next document shape is a small change:

1. ``lines`` and ``furniture``: the text as lines with offsets, page furniture (running headers and
   footers, page numbers, signature lines) left out, grouped into blocks;
2. ``headings``: what each block opens (numbered heading or paragraph, lettered rule, appendix,
   bare-text heading) and whether a number continues the document's numbering;
3. ``structure``: the sections those headings open (a paragraph printed "10.—(1) …" divided into its
   ``subparagraphs``), each with its ``passages`` (step 4, ``passages``);
5. ``titles`` and ``kinds``: the document's title, its metadata and its kind.

A line ``APPENDIX 1`` (an appendix numbered in digits, as committee reports number theirs) starts a new
document; "Appendix A" is a section of the document it is in.

Section keys are the document's own numbering as printed, levels joined by dots, no trailing dot:
``4``, ``4.1``, ``1.a``, ``1.b.i``, ``10.2`` (sub-paragraph "(2)" of paragraph "10.—(1)"), ``14.2A``,
``Appendix A``; an unnumbered heading's key is its title. A key the document repeats gets a suffix
(``3 (2)``), so chunk ids are unique by construction.

Every passage keeps character offsets into the loaded text, and its ``text`` is that text with white
space folded (and any page furniture inside it left out), so quotes drawn from it are verbatim.
"""

from __future__ import annotations

from ingest.sections.headings import APPENDIX_LINE
from ingest.sections.kinds import document_kind
from ingest.sections.lines import Line, blocks, split_lines, without_furniture
from ingest.sections.records import KINDS, Document, Passage, Section, make_keys_unique
from ingest.sections.structure import PARAGRAPH_MARK, DocumentStructure
from ingest.sections.titles import document_title, front_matter_metadata, stated_metadata
from ingest.text import slugify, title_case

__all__ = ["KINDS", "PARAGRAPH_MARK", "Document", "Passage", "Section", "parse_documents"]


def _parts(lines: list[Line]) -> list[tuple[str | None, list[Line]]]:
    """The main text and each "APPENDIX n" after it."""
    parts: list[tuple[str | None, list[Line]]] = [(None, [])]
    for line in lines:
        appendix = APPENDIX_LINE.match(line.text)
        if appendix and appendix.group(1).isdigit():
            parts.append((appendix.group(1), []))
        else:
            parts[-1][1].append(line)
    return parts


def _document(text: str, source_name: str, appendix: str | None, part_lines: list[Line], kinds: bool) -> Document | None:
    part_blocks = blocks(part_lines)
    if not part_blocks:
        return None
    structure = DocumentStructure(text, part_blocks)
    sections = structure.parse()
    if not sections:
        return None
    make_keys_unique(sections)
    first_passage = min(p.start for s in sections for p in s.passages)
    opening = [line.text for line in structure.front_matter] or [
        b[0].text for b in part_blocks if len(b) == 1 and b[0].start < first_passage]
    stated = stated_metadata(text[part_lines[0].start:part_lines[-1].end])  # footers state dates too
    metadata = {**stated, **structure.reader.metadata,
                **front_matter_metadata([line.text for line in structure.front_matter])}
    stem = source_name.rsplit(".", 1)[0]
    title = document_title(opening, metadata) or title_case(stem.replace("_", " ").replace("-", " "))
    document = Document(
        doc_id=slugify(title),
        title=title,
        source_name=source_name,
        text=text,
        start=part_blocks[0][0].start,
        end=part_blocks[-1][-1].end,
        part=f"appendix {appendix}" if appendix else "main",
        metadata=metadata,
        sections=sections,
        has_contents_table=structure.has_contents_table,
    )
    if kinds:
        document.kind = document_kind(document)
    return document


def parse_documents(text: str, source_name: str, kinds: bool = True) -> list[Document]:
    """Split a loaded file into its documents (main text and appendices), each with sections. ``kinds=False``
    leaves each document's kind "other", for a caller that scores it once its manifest has given the title."""
    lines = without_furniture(split_lines(text))
    found = (_document(text, source_name, appendix, part_lines, kinds) for appendix, part_lines in _parts(lines))
    return [document for document in found if document is not None]
