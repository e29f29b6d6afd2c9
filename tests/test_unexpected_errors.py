"""Bad input stays safe, through the real ``guidance`` command: a file that makes a loader or the parser fail
in a way nobody foresaw is skipped by name with the error (exit 3), the rest is ingested, the previous index
keeps answering, and no command shows the officer a traceback unless asked with ``--debug``."""

from __future__ import annotations

import io
import json
import shutil
import zipfile

from ingest.text import fold_whitespace
from tests.corpus_helpers import SEED, copy_index, guidance_cli, make_corpus

QUESTION = "Can I tweet that my mind is made up on a planning application?"


def _docx_with_damaged_xml() -> bytes:
    """A Word file whose package is intact but whose document.xml was cut off (python-docx raises lxml's error)."""
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as docx:
        docx.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                      'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        docx.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                      'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                      'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        docx.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                      'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Cut sh')
    return package.getvalue()


BAD = {
    "damaged-inside.docx": (_docx_with_damaged_xml(), "XMLSyntaxError"),
    "nested.html": (b"<html><body>" + b"<div>" * 5000 + b"Too deep" + b"</div>" * 5000 + b"</body></html>", "RecursionError"),
}


def _run(*args: str):
    process = guidance_cli(*args)
    stdout, stderr = process.communicate(timeout=300)
    return process.returncode, stdout, stderr


def _answers_from_the_seed(index_dir) -> None:
    code, stdout, stderr = _run("ask", "--json", "--index-dir", str(index_dir), QUESTION)
    assert code == 0, stderr
    assert any(c["section"] == "3.3" for c in json.loads(stdout)["citations"]), stdout


def test_files_that_break_a_loader_or_the_parser_are_skipped_by_name_and_the_rest_ingested(seed_index_dir, tmp_path):
    files = {name: content for name, (content, _) in BAD.items()}
    corpus = make_corpus(tmp_path / "corpus", {SEED.name: SEED.read_text(encoding="utf-8"), **files})
    index_dir = copy_index(seed_index_dir, tmp_path / "index")

    code, _, stderr = _run("ingest", str(corpus), "--index-dir", str(index_dir))

    assert code == 3, stderr
    assert "Traceback" not in stderr
    said = dict(line.split(": ", 1) for line in fold_whitespace(stderr).split("Skipped ")[1:])
    assert said.keys() == BAD.keys(), stderr
    for name, (_, reason) in BAD.items():
        assert reason in said[name], (name, said[name])  # each named with its own error
    assert "social-media-guidance" in fold_whitespace(stderr)
    _answers_from_the_seed(index_dir)


def test_when_no_file_can_be_read_the_previous_index_keeps_answering(seed_index_dir, tmp_path):
    corpus = make_corpus(tmp_path / "corpus", {name: content for name, (content, _) in BAD.items()})
    index_dir = copy_index(seed_index_dir, tmp_path / "index")
    current = (index_dir / "CURRENT").read_text()

    code, _, stderr = _run("ingest", str(corpus), "--index-dir", str(index_dir))

    assert code == 1 and "Traceback" not in stderr, stderr
    assert "The previous index is unchanged" in fold_whitespace(stderr)
    assert (index_dir / "CURRENT").read_text() == current
    _answers_from_the_seed(index_dir)


def test_an_unexpected_error_is_named_and_its_traceback_shown_only_with_debug(seed_index_dir, tmp_path):
    index_dir = copy_index(seed_index_dir, tmp_path / "index")
    build = index_dir / "builds" / (index_dir / "CURRENT").read_text().strip()
    (build / "changes.json").write_text('{"added": [', encoding="utf-8")  # an ingest report cut short

    code, _, stderr = _run("changes", "--index-dir", str(index_dir))
    assert code == 1 and "Traceback" not in stderr
    assert "cannot be read (ValidationError" in fold_whitespace(stderr)

    (build / "sentence_vectors.npy").write_bytes(b"[")  # damaged: opening the index checks every file
    code, _, stderr = _run("ask", "--index-dir", str(index_dir), QUESTION)
    assert code == 1 and "Traceback" not in stderr, stderr
    assert f"The index build {build.name} in {index_dir} is damaged" in fold_whitespace(stderr)

    shutil.copy(seed_index_dir / "builds" / build.name / "sentence_vectors.npy", build / "sentence_vectors.npy")
    shutil.rmtree(build / "bm25")  # damaged in a way nothing checks for until the first search
    code, _, stderr = _run("ask", "--index-dir", str(index_dir), QUESTION)
    assert code == 1 and "Traceback" not in stderr, stderr
    assert "unexpected error (FileNotFoundError" in fold_whitespace(stderr) and "please report it" in stderr

    code, _, stderr = _run("--debug", "ask", "--index-dir", str(index_dir), QUESTION)
    assert code == 1 and "FileNotFoundError" in stderr and "Traceback" in stderr


def test_calibrate_without_an_index_says_how_to_build_one(tmp_path):
    code, _, stderr = _run("calibrate", "evals/calibration.jsonl", "--index-dir", str(tmp_path / "nowhere"))
    assert code == 1 and "Traceback" not in stderr
    assert "guidance ingest" in stderr


def test_the_app_builds_without_a_skipped_file_and_the_officers_page_names_it(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.corpus_helpers import REPO
    from tests.test_app import plain, signed_in_officers_page, texts

    corpus = make_corpus(tmp_path / "corpus", {SEED.name: SEED.read_text(encoding="utf-8"),
                                              "damaged-inside.docx": BAD["damaged-inside.docx"][0]})
    monkeypatch.setenv("GUIDANCE_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("GUIDANCE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("GUIDANCE_FEEDBACK_DB", str(tmp_path / "feedback.sqlite3"))
    page = AppTest.from_file(str(REPO / "app.py"), default_timeout=180).run()
    assert not page.exception, [e.value for e in page.exception]
    status = page.status[0]
    assert status.state == "complete" and status.label == "Ready: 2 documents, 18 sections.", status.label
    assert "damaged-inside.docx" not in texts(page.main)  # members are not told about the server's files
    assert page.chat_input  # the rest was ingested and members can ask

    officers = signed_in_officers_page(monkeypatch)  # the index is current, so this page only reads what was left out
    assert not officers.status
    [warning] = [fold_whitespace(plain(w.value)) for w in officers.warning]
    assert warning.startswith("1 file in the documents folder could not be read and is not in the index: "
                              "damaged-inside.docx: unexpected error while reading it (XMLSyntaxError"), warning


def test_the_app_explains_an_index_folder_it_cannot_write_to_officers_without_a_traceback(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.corpus_helpers import REPO
    from tests.test_app import plain, signed_in_officers_page, texts

    corpus = make_corpus(tmp_path / "corpus", {SEED.name: SEED.read_text(encoding="utf-8")})
    (tmp_path / "index").write_text("not a folder", encoding="utf-8")  # GUIDANCE_INDEX_DIR set to a file by mistake
    monkeypatch.setenv("GUIDANCE_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("GUIDANCE_INDEX_DIR", str(tmp_path / "index"))
    page = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    assert not page.exception, [e.value for e in page.exception]
    assert page.status[0].state == "error" and str(tmp_path) not in texts(page.main)
    officers = signed_in_officers_page(monkeypatch)
    shown = officers.status[0].text[1].value
    assert "is a file, not a folder" in shown and "Unexpected error" not in shown
