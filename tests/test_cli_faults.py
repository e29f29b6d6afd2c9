"""Faults an officer can meet with the real `guidance` CLI, each answered with a plain message naming what to do,
never "Unexpected error" or a traceback: a corpus file that cannot be opened, a manifest saved by a Windows
editor or replaced by a folder, an index folder that is a file, a damaged index build (which a re-ingest repairs),
and an eval set that `guidance changes` cannot read."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.corpus_helpers import copy_index
from tests.test_cli import GUIDANCE, run

from .conftest import CORPUS, SEED

QUESTION = "Can I tweet about a planning application?"


def plain_failure(result: subprocess.CompletedProcess, code: int, message: str) -> None:
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == code, output
    assert message in output, output
    assert "Unexpected error" not in output and "Traceback" not in output


def shipped_corpus(folder):
    shutil.copytree(CORPUS, folder)
    return folder


def test_a_corpus_file_that_cannot_be_opened_is_skipped_and_the_rest_indexed(tmp_path):
    corpus = shipped_corpus(tmp_path / "corpus")
    locked = corpus / "locked-minutes.md"
    locked.write_text("# Minutes\n\nThe committee met.\n", encoding="utf-8")
    locked.chmod(0)
    # root reads any file whatever its mode; a user namespace maps us to an ordinary user, as an officer is
    as_user = ["unshare", "--user"] if os.geteuid() == 0 else []
    result = subprocess.run([*as_user, str(GUIDANCE), "ingest", str(corpus), "--index-dir", str(tmp_path / "index")],
                            capture_output=True, text=True, timeout=300)
    output = " ".join((result.stdout + result.stderr).split())
    assert "Skipped locked-minutes.md: it could not be opened (Permission denied)" in output, output
    assert "Unexpected error" not in output
    assert (tmp_path / "index" / "CURRENT").exists()


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])
def test_a_manifest_saved_by_a_windows_editor_is_read(tmp_path, encoding):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEED, corpus / SEED.name)
    (corpus / "manifest.yaml").write_bytes(
        f"documents:\n- file: {SEED.name}\n  part: appendix 1\n  id: member-guidance\n  title: Members’ café guidance\n"
        .encode(encoding))
    result = run("ingest", str(corpus), "--index-dir", str(tmp_path / "index"))
    assert result.returncode == 0, result.stderr
    answer = run("ask", "--json", "--index-dir", str(tmp_path / "index"), QUESTION)
    assert '"doc_title":"Members’ café guidance"' in answer.stdout


def test_a_manifest_that_is_a_folder_is_named(tmp_path):
    corpus = shipped_corpus(tmp_path / "corpus")
    (corpus / "manifest.yaml").unlink()
    (corpus / "manifest.yaml").mkdir()
    plain_failure(run("ingest", str(corpus), "--index-dir", str(tmp_path / "index")), 1, "manifest.yaml could not be opened")


def test_an_index_folder_that_is_a_file_is_named(tmp_path):
    a_file = tmp_path / "index"
    a_file.write_text("notes", encoding="utf-8")
    plain_failure(run("ingest", str(CORPUS), "--index-dir", str(a_file)), 1, "is a file, not a folder")
    plain_failure(run("ask", "--index-dir", str(a_file), QUESTION), 1, "is a file, not an index folder")
    assert a_file.read_text(encoding="utf-8") == "notes"


@pytest.mark.parametrize("damage", ["chunk_vectors.npy missing", "build.json cut short", "sentence_vectors.npy empty"])
def test_a_damaged_build_is_named_and_a_re_ingest_repairs_it(seed_index_dir, tmp_path, damage):
    index = copy_index(seed_index_dir, tmp_path / "index")
    build = index / "builds" / (index / "CURRENT").read_text().strip()
    file_name, _, how = damage.partition(" ")
    if how == "missing":
        (build / file_name).unlink()
    else:
        (build / file_name).write_bytes((build / file_name).read_bytes()[:20] if how == "cut short" else b"")
    plain_failure(run("ask", "--index-dir", str(index), QUESTION), 1, f"The index build {build.name} in {index} is damaged")
    plain_failure(run("changes", "--index-dir", str(index)), 1, "is damaged")
    assert run("ingest", str(CORPUS), "--index-dir", str(index)).returncode == 0
    assert '"status":"answered"' in run("ask", "--json", "--index-dir", str(index), QUESTION).stdout


def test_changes_names_an_eval_set_it_cannot_read_and_reads_the_others(seed_index_dir, tmp_path):
    evals = tmp_path / "evals"
    evals.mkdir()
    (evals / "broken.jsonl").write_text('{"id": "a", "question": "Who wrote it?"\n', encoding="utf-8")
    (evals / "excel.csv").write_bytes("id,question,behaviour,expected_sections\n"
                                      "b,Can I tweet about a planning application?,answer,social-media-guidance#3.3\n"
                                      .encode("utf-8-sig"))
    result = run("changes", "--index-dir", str(seed_index_dir), "--evals-dir", str(evals))
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 0, output
    assert "Eval set left out:" in output and "broken.jsonl" in output
    assert "social-media-guidance#3.3 ← excel:b" in output


def test_a_manifest_entry_that_matches_no_document_is_said(tmp_path):
    corpus = shipped_corpus(tmp_path / "corpus")
    with (corpus / "manifest.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write(f"  - file: {SEED.name.upper()}\n    id: code-of-conduct\n")  # the wrong case
    result = run("ingest", str(corpus), "--index-dir", str(tmp_path / "index"))
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 3, output
    assert f"Skipped manifest entry 3: file '{SEED.name.upper()}', part 'main' matches no document" in output


def test_a_link_to_a_file_outside_the_corpus_is_never_read_or_shown(tmp_path):
    """A link named like a document published whatever it pointed at (/etc/passwd, the officers' secrets) to members."""
    corpus = shipped_corpus(tmp_path / "corpus")
    secret = tmp_path / "outside" / "secrets.txt"
    secret.parent.mkdir()
    secret.write_text("Server secrets\n\ndb_password=hunter2 is the database password.\n", encoding="utf-8")
    (corpus / "linked.txt").symlink_to(secret)
    result = run("ingest", str(corpus), "--index-dir", str(tmp_path / "index"), "--json")
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 3, output
    assert "Skipped linked.txt: a link to another file: links are not followed" in output
    answer = run("ask", "--json", "--index-dir", str(tmp_path / "index"), "What is the database password?")
    assert "hunter2" not in answer.stdout


def test_a_folder_or_a_broken_link_in_the_corpus_is_said_not_passed_over(tmp_path):
    corpus = shipped_corpus(tmp_path / "corpus")
    (corpus / "archive").mkdir()
    shutil.copy(SEED, corpus / "archive" / "old-guidance.txt")
    (corpus / "policy.md").symlink_to(tmp_path / "moved-away.md")
    (corpus / "[draft] minutes.xlsx").write_bytes(b"PK")  # a name the terminal's markup must not eat
    result = run("ingest", str(corpus), "--index-dir", str(tmp_path / "index"))
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 3, output
    assert "Skipped archive/: a folder: only files directly in corpus are read" in output
    assert "Skipped policy.md: a link to a file that does not exist: links are not followed" in output
    assert "Skipped [draft] minutes.xlsx: '.xlsx' files are not supported" in output


def test_a_corpus_path_that_is_a_file_is_named(tmp_path):
    plain_failure(run("ingest", str(SEED), "--index-dir", str(tmp_path / "index")), 1,
                  f"The corpus folder {SEED} is a file, not a folder of documents")


def test_a_question_with_control_characters_says_so(seed_index_dir):
    plain_failure(run("ask", "--index-dir", str(seed_index_dir), "What\x1b[31m about Twitter?"), 1,
                  "The question cannot be read: it contains control characters")


@pytest.mark.parametrize("copy_name", ["copy of guidance.txt", "000 guidance (1).txt"])  # after, and before, by name
def test_a_second_copy_of_a_document_is_skipped_and_the_one_the_manifest_names_kept(tmp_path, copy_name):
    corpus = shipped_corpus(tmp_path / "corpus")
    shutil.copy(SEED, corpus / copy_name)
    result = run("ingest", str(corpus), "--index-dir", str(tmp_path / "index"))
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 3, output
    assert f"Skipped {copy_name}: it is the same file as {SEED.name}" in output
    assert "Indexed 2 documents (committee-report, social-media-guidance)" in output


def test_an_unusable_model_cache_is_one_warning_line_and_the_answer_still_comes(seed_index_dir):
    result = run("ask", "--index-dir", str(seed_index_dir), QUESTION, env={"GUIDANCE_MODEL_CACHE": os.devnull})
    assert result.returncode == 0, result.stderr
    assert " ".join(result.stderr.split()).startswith("Warning: Could not export the embedding model to ONNX")
    for noise in ("UserWarning", "warnings.warn", "Loading weights", "deprecated"):
        assert noise not in result.stderr, result.stderr
    assert result.stdout.startswith("answered")


def test_a_batch_with_no_questions_says_so(seed_index_dir):
    plain_failure(run("ask", "--index-dir", str(seed_index_dir), "-", stdin="\n  \n"), 1, "No questions on standard input")


@pytest.mark.parametrize("inside", [".", "idx"])
def test_an_index_folder_in_the_corpus_folder_is_refused_before_anything_is_written(tmp_path, inside):
    corpus = shipped_corpus(tmp_path / "c3")
    before = sorted(p.name for p in corpus.iterdir())
    index = corpus / inside
    where = "is the corpus folder" if inside == "." else f"is inside the corpus folder {corpus}"
    plain_failure(run("ingest", str(corpus), "--index-dir", str(index)), 1,
                  f"The index folder {index} {where}, so the index would be read as documents. Put the index "
                  "elsewhere, e.g. .index/ beside corpus/ (the default)")
    assert sorted(p.name for p in corpus.iterdir()) == before


def test_the_pages_rebuild_refuses_an_index_folder_in_the_corpus_folder_too(tmp_path):
    from ingest.builds import UnusableIndexFolder
    from ingest.refresh import rebuild_if_stale
    from tests.conftest import embed

    corpus = shipped_corpus(tmp_path / "corpus")
    with pytest.raises(UnusableIndexFolder, match="is inside the corpus folder"):
        rebuild_if_stale(corpus, corpus / ".index", embed)
    assert not (corpus / ".index").exists()
