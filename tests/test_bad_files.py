"""Bad input: every unreadable file is named with its reason, everything else still ingests, and the
exit code says files were skipped; a document without headings is cited by paragraph number."""

from __future__ import annotations

import io

import pytest

from ingest.text import fold_whitespace
from tests.corpus_helpers import SEED, copy_index, make_corpus

HEADINGLESS = (
    "Members attending the civic dinner are asked to arrive by seven o'clock.\n\n"
    "Guests of members must be registered with the civic office at least ten days in advance.\n\n"
    "Dress for the evening is lounge suit or equivalent.\n"
)


def _pdf_bytes(text: str, password: str | None = None) -> bytes:
    import pypdf
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 700, text)
    pdf.save()
    if password is None:
        return buffer.getvalue()
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(buffer.getvalue())))
    writer.encrypt(user_password=password, owner_password=password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _picture_only_pdf() -> bytes:
    """A page with a filled shape and no text, as a scanned page without text recognition reads."""
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(72, 400, 400, 300, fill=1)
    pdf.save()
    return buffer.getvalue()


BAD_FILES = {
    "corrupt.pdf": (b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer << /Root 1 0 R >>\n", "damaged"),
    "truncated.pdf": (lambda: _pdf_bytes("Cut short")[:300], "damaged"),
    "locked.pdf": (lambda: _pdf_bytes("Secret", password="s3cret"), "password-protected"),
    "not-really.pdf": (b"<html>a web page saved as .pdf</html>", "not a PDF"),
    "scanned.pdf": (_picture_only_pdf, "scanned document needs text recognition"),
    "empty.txt": (b"", "empty"),
    "binary.txt": (bytes(range(256)) * 40, "binary"),
    "spreadsheet.xlsx": (b"PK\x03\x04", "not supported"),
    "old-word.doc": (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "save it as .docx"),
    "locked.docx": (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "password-protected"),
    "broken.docx": (b"PK\x03\x04 not a zip", "not a readable Word document"),
}


def _content(spec):
    return spec() if callable(spec) else spec


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_unreadable_file_reason(name, tmp_path):
    from ingest.load import UnreadableFile, load_file

    content, reason = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(_content(content))
    with pytest.raises(UnreadableFile, match=reason):
        load_file(path)


def test_oversized_file_refused_without_reading_it(tmp_path):
    from ingest.load import MAX_FILE_MB, UnreadableFile, load_file

    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse: the size check must come before any read
    assert MAX_FILE_MB < 50
    with pytest.raises(UnreadableFile, match=r"50\.0 MB, over the \d+ MB limit"):
        load_file(path)


def test_windows_1252_text_is_decoded(tmp_path):
    from ingest.load import load_file

    path = tmp_path / "notes.txt"
    path.write_bytes("Members’ allowances – see the £50 limit.\r\n".encode("cp1252"))
    assert load_file(path).text == "Members’ allowances – see the £50 limit.\n"


def test_password_free_pdf_with_owner_restrictions_still_loads(tmp_path):
    from ingest.load import load_file

    path = tmp_path / "restricted.pdf"
    path.write_bytes(_pdf_bytes("Printing restricted but readable.", password=""))
    assert "Printing restricted but readable." in load_file(path).text


def test_document_without_headings_is_cited_by_paragraph():
    from ingest.sections import parse_documents

    [document] = parse_documents(HEADINGLESS, "civic-dinner.txt")
    assert [s.title for s in document.sections] == ["¶1", "¶2", "¶3"]
    assert document.sections[1].passages[0].text.startswith("Guests of members")


def test_cli_skips_bad_files_names_them_and_exits_3(seed_index_dir, tmp_path):
    from typer.testing import CliRunner

    from guidance.answering.assistant import Assistant
    from guidance.settings import load_settings
    from guidance.cli.main import app

    files = {name: _content(content) for name, (content, _) in BAD_FILES.items()}
    files.update({SEED.name: SEED.read_text(encoding="utf-8"), "civic-dinner.txt": HEADINGLESS,
                  "notes-1252.txt": "Members’ notes on the civic dinner seating plan.\n".encode("cp1252")})
    corpus = make_corpus(tmp_path / "corpus", files)
    (corpus / "manifest.yaml").write_text((SEED.parent / "manifest.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    index_dir = copy_index(seed_index_dir, tmp_path / "index")

    result = CliRunner().invoke(app, ["ingest", str(corpus), "--index-dir", str(index_dir), "--json"])
    assert result.exit_code == 3, result.output
    output = fold_whitespace(result.output)
    said = dict(line.split(": ", 1) for line in fold_whitespace(result.stderr).split("Skipped ")[1:])
    assert said.keys() == BAD_FILES.keys()
    for name, (_, reason) in BAD_FILES.items():
        assert reason in said[name], name  # each file named with its own reason, not another file's
    assert '"civic-dinner"' in output and '"social-media-guidance"' in output

    answer = Assistant.open(load_settings(), index_dir).ask("How far in advance must guests of members be registered for the civic dinner?")
    assert "civic-dinner#¶2" in answer.cited_sections, answer
