"""Naming: give each document read its manifest entry's fields and an id no other document has, and say which
manifest entries were not used (an entry matching no document, or clashing with an earlier one), since the ids and
titles they give would otherwise be lost without a word and citations of them stop matching."""

from __future__ import annotations

from ingest.load import SkippedFile
from ingest.manifest import Manifest
from ingest.sections import Document
from ingest.sections.kinds import document_kind


def apply_manifest(document: Document, manifest: Manifest, file_name: str) -> None:
    """The manifest's fields for the document, and its kind: the manifest's, else scored on the title it ends
    with (a title is the strongest signal), so it is scored once."""
    entry = manifest.entry(file_name, document.part)
    if entry is None:
        document.kind = document_kind(document)
        return
    document.doc_id = entry.id or document.doc_id
    document.title = entry.title or document.title
    document.short_title = entry.short_title or document.short_title
    document.kind = entry.kind or document_kind(document)
    overrides = {"Version": entry.version, "Date": entry.date, "Review Date": entry.review_date,
                 "Owner": entry.owner, "Source URL": entry.source_url}
    document.metadata.update({k: v for k, v in overrides.items() if v})


def make_ids_unique(documents: list[Document], manifest: Manifest) -> None:
    """Number the second and later documents whose ids, made from their titles, are taken ("policy-2"): two files
    with the same title must still be told apart. An id the manifest gives is never renumbered (citations name it),
    and the manifest's ids are unique (``Manifest.clashes``), so only made-up ids move."""
    given = manifest.cited_ids()
    taken = set(given)
    for document in documents:
        entry = manifest.entry(document.source_name, document.part)
        if entry is not None and entry.id:
            continue
        base, count = document.doc_id, 1
        while document.doc_id in taken:
            count += 1
            document.doc_id = f"{base}-{count}"
        taken.add(document.doc_id)


def unused_entries(manifest: Manifest, documents: list[Document], skipped: list[SkippedFile]) -> list[SkippedFile]:
    """The manifest's entries that were not used, or only in part, each with why and what to do."""
    ids = {(document.source_name, document.part.lower()): document.doc_id for document in documents}
    unreadable = {s.file for s in skipped}
    clashed = {clash.number for clash in manifest.clashes if not clash.id_dropped}  # said once, below
    unused = [(number, (f"file {entry.file!r}, part {entry.part!r} matches no document in the folder, so its id and "
                        "title were not used (file names are case-sensitive; a part is 'main' or 'appendix N')"))
              for number, entry in enumerate(manifest.documents, 1)
              if (entry.file, entry.part.lower()) not in ids and entry.file not in unreadable and number not in clashed]
    for clash in manifest.clashes:
        got = ids.get((clash.entry.file, clash.entry.part.lower()))
        indexed = f"; the rest of this entry was used, and {clash.entry.file} was indexed as {got!r}, an id made from " \
                  "its title" if got else ""
        unused.append((clash.number, clash.reason + (f"{indexed}. Give this entry an id of its own" if clash.id_dropped
                                                     else "")))
    return [SkippedFile(file=f"manifest entry {number}", reason=reason) for number, reason in sorted(unused)]
