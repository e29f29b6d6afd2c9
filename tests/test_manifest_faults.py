"""Manifest faults met with the real `guidance ingest`: entries that clash (one id for two documents, one document
twice) are named and the rest indexed (exit 3); ids that cannot be cited, impossible dates and a manifest of the
wrong shape are refused at once, naming the entry (exit 1, nothing embedded, the previous index untouched)."""

from __future__ import annotations

import json

import pytest

from tests.corpus_helpers import SEED, copy_index, make_corpus
from tests.test_cli import run
from tests.test_cli_faults import plain_failure

POLICY = """<html><body><h1>Members' Parking Policy</h1>
<h2>1. Permits</h2><p>Members may apply to the civic office for one parking permit for the town hall car park.</p>
<h2>2. Visitors</h2><p>Visitors to members park in the public car park on Station Road.</p>
</body></html>"""
# Its title makes the id "same", which the manifest gives policy.html: the manifest's id must win.
SAME_TITLE = "# Same\n\nAn unrelated note about the members' tea rota, kept beside the policies.\n"
PDF_NAMED_DOCX = b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nendobj\n"
WORD_LOCK = b"\x09Jo Bloggs" + b" " * 44 + b"\x00" * 108  # the owner's name, as Word writes it


def _output(result) -> str:
    return " ".join((result.stdout + result.stderr).split())


def test_clashing_entries_are_named_and_every_document_indexed(seed_index_dir, tmp_path):
    manifest = {"documents": [
        {"file": "policy.html", "id": "same", "date": "2012-07-11"},
        {"file": SEED.name, "id": "same"},
        {"file": "policy.html", "id": "b", "title": "Another policy"},
        {"file": SEED.name, "part": "appendix 1", "id": "social-media-guidance", "review_date": "11th July 2013"},
    ]}
    corpus = make_corpus(tmp_path / "corpus", {
        "policy.html": POLICY, SEED.name: SEED.read_text(encoding="utf-8"), "aaa-note.md": SAME_TITLE,
        "fake.docx": PDF_NAMED_DOCX, "~$policy.docx": WORD_LOCK}, manifest)
    # the YAML date unquoted, as an officer types it: it was refused as "not a valid string"
    text = (corpus / "manifest.yaml").read_text(encoding="utf-8")
    (corpus / "manifest.yaml").write_text(text.replace("'2012-07-11'", "2012-07-11"), encoding="utf-8")

    result = run("ingest", str(corpus), "--index-dir", str(copy_index(seed_index_dir, tmp_path / "index")), "--json")
    output = _output(result)
    assert result.returncode == 3, output
    assert "Traceback" not in output and "Unexpected error" not in output
    assert ("Skipped manifest entry 2: its id 'same' is already entry 1's (file 'policy.html', part 'main'); an id "
            "must name one document, or citations of same#… would point at either. Entry 1 keeps it; the rest of "
            f"this entry was used, and {SEED.name} was indexed as ") in output
    assert ("Skipped manifest entry 3: it describes file 'policy.html', part 'main' again, after entry 1, so it was "
            "not used (nor its id 'b')") in output
    assert "Skipped manifest entry 4" not in output
    assert ("Skipped fake.docx: it is not a Word document: it looks like a PDF saved with the wrong extension; "
            "rename it to end in .pdf") in output
    assert "~$policy.docx" not in output  # Word's lock file, there while the document is open: not a document at all

    documents = json.loads(result.stdout)["documents"]
    assert "same" in documents and "social-media-guidance" in documents, documents
    assert not any(document.startswith("b") for document in documents), documents
    assert len(documents) == len(set(documents)) == 4, documents
    answer = json.loads(run("ask", "--json", "--index-dir", str(tmp_path / "index"),
                            "Can members get a parking permit for the town hall car park?").stdout)
    assert answer["citations"][0]["doc_id"] == "same", answer
    assert answer["citations"][0]["doc_title"] == "Members' Parking Policy", answer


@pytest.mark.parametrize(("manifest", "message"), [
    ('documents:\n- file: policy.html\n  id: "my policy#1"\n',
     "manifest.yaml has invalid entries: entry 1 (file 'policy.html'), id: 'my policy#1' cannot be cited: an id may "
     "contain only letters, digits, hyphens (-), underscores (_) and full stops"),
    ("documents:\n- file: policy.html\n  title: Parking\n- file: other.html\n  id: other policy\n",
     "entry 2 (file 'other.html'), id: 'other policy' cannot be cited"),
    ("documents:\n- file: policy.html\n  date: 32/13/2020\n",
     "entry 1 (file 'policy.html'), date: '32/13/2020' is not a real date: month 13 does not exist"),
    ("documents:\n- file: policy.html\n  review_date: 31 February 2021\n",
     "review_date: '31 February 2021' is not a real date: February 2021 has no day 31"),
    ("documents:\n- file: policy.html\n  date: 2020-13-01\n",  # the YAML reader itself crashed on this one
     "date: '2020-13-01' is not a real date: month 13 does not exist"),
    ("- file: policy.html\n  id: parking\n",
     "manifest.yaml cannot be read: the manifest must start with `documents:` followed by a list of entries"),
], ids=["hash-and-space", "space", "impossible-date", "no-such-day", "impossible-iso-date", "top-level-list"])
def test_a_manifest_that_would_break_citations_is_refused_naming_the_entry(tmp_path, manifest, message):
    corpus = make_corpus(tmp_path / "corpus", {"policy.html": POLICY, "manifest.yaml": manifest})
    result = run("ingest", str(corpus), "--index-dir", str(tmp_path / "index"))
    plain_failure(result, 1, message)
    assert "the previous index is unchanged" in _output(result).lower()
    assert not (tmp_path / "index" / "builds").exists()
