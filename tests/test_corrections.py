"""Officers' corrections through the real `guidance` CLI over a real index of a copy of the shipped corpus:
correcting, answering from the correction (and not capturing other questions), refusing a non-verbatim
quote or an unknown section, flagging after a re-ingest, re-confirming, removing, exporting as eval cases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from guidance.answering.assistant import Assistant
from guidance.settings import load_settings
from guidance.backends import BackendSettings
from guidance.answering.corrected import OFFICER_CONFIRMED
from guidance.corrections.store import CorrectionBook, corrections_path
from guidance.evaluation.dataset import load_eval_set
from ingest.index import current_build, open_index
from ingest.pipeline import ingest_corpus
from tests.test_cli import run

from .conftest import CORPUS, SEED, embed

AUTHOR = "social-media-guidance#8.0"
HELP = "social-media-guidance#6.0"
HELP_SENTENCE = "The Corporate Communications Team and the Monitoring Officer(s) are happy to help with additional guidance and advice."


def corrected_corpus(folder):
    """A copy of the shipped corpus, so corrections.yaml is written beside it and never into the repository."""
    shutil.copytree(CORPUS, folder)
    return folder


@pytest.fixture(scope="module")
def corpus_and_index(tmp_path_factory):
    corpus = corrected_corpus(tmp_path_factory.mktemp("corrections") / "corpus")
    index = tmp_path_factory.mktemp("corrections-index")
    result = run("ingest", str(corpus), "--index-dir", str(index))
    assert result.returncode == 0, result.stderr
    return corpus, index


@pytest.fixture
def index_dir(corpus_and_index):
    corpus, index = corpus_and_index
    (corpus / "corrections.yaml").unlink(missing_ok=True)
    return index


def ask(index_dir, question: str) -> dict:
    result = run("ask", "--json", "--index-dir", str(index_dir), question)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def correct(index_dir, question: str, cite: str, *extra: str):
    return run("correct", question, "--cite", cite, "--officer", "Jo Bloggs", "--index-dir", str(index_dir), *extra)


def test_a_correction_answers_the_same_question_and_no_other(index_dir, corpus_and_index):
    before = ask(index_dir, "Who wrote the social media guidance?")
    assert before["basis"] == "retrieval" and before["correction_id"] is None  # retrieval may find §8.0 itself

    made = correct(index_dir, "Who wrote the social media guidance?", AUTHOR, "--quote", "Sarah  Yates", "--note", "author field")
    assert made.returncode == 0, made.stderr
    saved = yaml.safe_load((corpus_and_index[0] / "corrections.yaml").read_text())["corrections"]
    assert len(saved) == 1 and saved[0]["section"] == AUTHOR and saved[0]["quote"] == "Sarah Yates"
    assert saved[0]["officer"] == "Jo Bloggs" and saved[0]["doc_version"] == "1.0" and saved[0]["fingerprint"]

    for asked in ("Who wrote the social media guidance?", "who wrote the social media guidance"):
        answer = ask(index_dir, asked)
        assert (answer["status"], answer["basis"], answer["correction_id"]) == ("answered", "officer_correction", saved[0]["id"])
        assert answer["citations"][0]["section"] == "8.0" and answer["citations"][0]["quote"] == "Sarah Yates"
        assert answer["answer"].startswith(OFFICER_CONFIRMED)
    for other in ("Who wrote the council's budget report?", "Can I tweet about a planning application?"):
        assert ask(index_dir, other)["basis"] == "retrieval"

    listed = run("corrections", "--index-dir", str(index_dir))
    assert f"{saved[0]['id']}  current “Who wrote the social media guidance?” → {AUTHOR}" in listed.stdout
    removed = run("corrections", "--index-dir", str(index_dir), "remove", saved[0]["id"])
    assert removed.returncode == 0, removed.stderr
    assert ask(index_dir, "Who wrote the social media guidance?")["basis"] == "retrieval"
    assert "No corrections" in run("corrections", "--index-dir", str(index_dir)).stdout


@pytest.mark.parametrize("cite, quote, message", [
    (AUTHOR, "Written by Sarah Yates", "The quote is not verbatim in social-media-guidance#8.0"),
    ("social-media-guidance#9.9", None, "'social-media-guidance#9.9' is not a section of the indexed documents"),
])
def test_a_quote_not_verbatim_or_a_missing_section_is_refused(index_dir, corpus_and_index, cite, quote, message):
    result = correct(index_dir, "Who wrote the guidance?", cite, *(["--quote", quote] if quote else []))
    assert result.returncode == 2
    assert message in " ".join(result.stderr.split()) and "Traceback" not in result.stderr
    assert not (corpus_and_index[0] / "corrections.yaml").exists()


def test_a_correction_applies_from_the_next_question_without_re_embedding(index_dir):
    index = open_index(index_dir)
    assistant = Assistant(index, BackendSettings(), load_settings().embedder())
    question = "Who can I ask for more help with social media?"
    assert assistant.ask(question).basis == "retrieval"
    CorrectionBook(index, assistant.corrections.book.path).add(question, HELP, HELP_SENTENCE, officer="Jo Bloggs")
    answer = assistant.ask(question)
    assert answer.basis == "officer_correction" and answer.citations[0].quote == HELP_SENTENCE
    assert current_build(index_dir) == index.build_dir


def test_revised_documents_flag_corrections_and_gone_ones_are_not_applied(tmp_path):
    corpus, index_dir = corrected_corpus(tmp_path / "corpus"), tmp_path / "index"
    assert run("ingest", str(corpus), "--index-dir", str(index_dir)).returncode == 0
    quoted = correct(index_dir, "Who can I ask for more help with social media?", HELP, "--quote", HELP_SENTENCE)
    whole = correct(index_dir, "Where can I read more about social media for members?", HELP)
    assert quoted.returncode == whole.returncode == 0
    quoted_id, whole_id = (result.stdout.split()[2].rstrip(":") for result in (quoted, whole))

    source = SEED.read_text(encoding="utf-8")
    (corpus / SEED.name).write_text(source.replace("are happy to help with additional guidance and advice.",
                                                   "will help with any further guidance and advice."), encoding="utf-8")
    assert run("ingest", str(corpus), "--index-dir", str(index_dir)).returncode == 0

    changes = run("changes", "--index-dir", str(index_dir)).stdout
    assert f"correction {quoted_id} gone: its quote is no longer in {HELP}; not applied" in " ".join(changes.split())
    assert f"correction {whole_id} changed: section {HELP} changed since the correction was made" in changes
    flags = json.loads(run("changes", "--index-dir", str(index_dir), "--json").stdout)["corrections"]
    assert {(f["id"], f["state"], f["applied"]) for f in flags} == {(quoted_id, "gone", False), (whole_id, "changed", True)}

    withheld = ask(index_dir, "Who can I ask for more help with social media?")
    assert withheld["basis"] == "retrieval"
    assert any(f"correction {quoted_id} for a similar question was not applied: its quote is no longer in {HELP}" in note
               for note in withheld["notes"])
    assert ask(index_dir, "Where can I read more about social media for members?")["basis"] == "officer_correction"

    refused = run("corrections", "--index-dir", str(index_dir), "confirm", quoted_id)
    assert refused.returncode == 2 and "not verbatim" in refused.stderr
    assert run("corrections", "--index-dir", str(index_dir), "confirm", whole_id).returncode == 0
    assert run("corrections", "--index-dir", str(index_dir), "remove", quoted_id).returncode == 0
    listed = [json.loads(line) for line in run("corrections", "--index-dir", str(index_dir), "--json").stdout.splitlines()]
    assert [(c["id"], c["state"]) for c in listed] == [(whole_id, "current")]
    assert run("corrections", "--index-dir", str(index_dir), "remove", "nope").returncode == 2


def test_corrections_export_as_eval_cases_and_runs_report_the_share(index_dir, tmp_path):
    assert correct(index_dir, "Who wrote the social media guidance?", AUTHOR).returncode == 0
    for suffix in (".jsonl", ".csv"):
        exported = run("corrections", "--index-dir", str(index_dir), "export", str(tmp_path / f"cases{suffix}"))
        assert exported.returncode == 0, exported.stderr
        [case] = load_eval_set(tmp_path / f"cases{suffix}")
        assert (case.question, case.expected_sections, case.behaviour) == ("Who wrote the social media guidance?", [AUTHOR], "answer")
    result = run("eval", "run", str(tmp_path / "cases.jsonl"), "--index-dir", str(index_dir), "--out", str(tmp_path / "run"))
    assert result.returncode == 0, result.stderr
    metrics = json.loads((tmp_path / "run" / "aggregate.json").read_text())["metrics"]
    assert (metrics["hit_rate"], metrics["correction_share"]) == (1.0, 1.0)
    assert "correction_share" in result.stdout


def test_export_does_not_overwrite_an_eval_set_unless_asked(index_dir, tmp_path):
    gate = tmp_path / "gate.jsonl"
    gate.write_text('{"id": "a", "question": "Who wrote it?", "behaviour": "decline"}\n', encoding="utf-8")
    refused = run("corrections", "--index-dir", str(index_dir), "export", str(gate))
    assert refused.returncode == 2 and "already exists" in " ".join(refused.stderr.split()) and "--replace" in refused.stderr
    assert len(load_eval_set(gate)) == 1
    replaced = run("corrections", "--index-dir", str(index_dir), "export", str(gate), "--replace")
    assert replaced.returncode == 0, replaced.stderr


def test_a_yaml_file_that_is_not_a_corrections_file_is_never_overwritten(index_dir, tmp_path):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text("documents:\n- file: guidance.txt\n  id: social-media-guidance\n", encoding="utf-8")
    listed = run("corrections", "--index-dir", str(index_dir), "--corrections-file", str(manifest))
    saved = correct(index_dir, "Who wrote the guidance?", AUTHOR, "--corrections-file", str(manifest))
    for result in (listed, saved):
        assert result.returncode == 2 and "is not a corrections file" in " ".join(result.stderr.split()), result.stderr
    assert manifest.read_text(encoding="utf-8").startswith("documents:")


def test_a_mistyped_section_is_answered_with_the_nearest_ones(index_dir):
    result = correct(index_dir, "Who wrote the guidance?", "social-media-guidance#3.33")
    assert result.returncode == 2 and "Did you mean social-media-guidance#3.3" in " ".join(result.stderr.split())


def test_a_malformed_corrections_file_is_named_and_members_still_get_answers(index_dir, corpus_and_index):
    (corpus_and_index[0] / "corrections.yaml").write_text("corrections:\n- id: x\n  question: [unclosed\n", encoding="utf-8")
    listed = run("corrections", "--index-dir", str(index_dir))
    assert listed.returncode == 2 and "cannot read the corrections file" in listed.stderr and "Traceback" not in listed.stderr
    answer = ask(index_dir, "Can I tweet about a planning application?")
    assert (answer["status"], answer["basis"]) == ("answered", "retrieval")
    refused = correct(index_dir, "Who wrote the social media guidance?", AUTHOR)
    assert refused.returncode == 2 and "cannot read the corrections file" in refused.stderr


def test_corrections_are_found_from_any_folder_when_the_corpus_was_named_relative(tmp_path, monkeypatch):
    corpus = corrected_corpus(tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    ingest_corpus(Path("corpus"), Path("index"), embed)
    monkeypatch.chdir(corpus)  # the app or CLI started from another folder
    assert corrections_path(open_index(tmp_path / "index")) == corpus.resolve() / "corrections.yaml"


def two_corrections(index_dir, corpus_and_index) -> tuple[Path, str, int]:
    """The corrections file with two corrections made, its text, and where the second entry starts: found by place,
    as an id such as 12e45678 is written quoted."""
    path = corpus_and_index[0] / "corrections.yaml"
    assert correct(index_dir, "Who wrote the guidance?", AUTHOR).returncode == 0
    assert correct(index_dir, "Who can I ask for help?", HELP).returncode == 0
    text = path.read_text(encoding="utf-8")
    return path, text, text.rindex("\n- id:") + 1


def test_comments_an_officer_wrote_in_the_file_survive_saving_and_removing(index_dir, corpus_and_index):
    path, text, second_entry = two_corrections(index_dir, corpus_and_index)
    first = yaml.safe_load(text)["corrections"][0]["id"]
    help_line = "# The help line changes in April: check it then.\n"
    hand_edited = (text[:second_entry] + help_line + text[second_entry:]).replace(
        "corrections:\n", "# Reviewed by the Monitoring Officer, 3 March.\ncorrections:\n")
    path.write_text(hand_edited, encoding="utf-8")

    assert correct(index_dir, "When is it reviewed?", AUTHOR, "--note", "1:30").returncode == 0
    assert run("corrections", "--index-dir", str(index_dir), "remove", first).returncode == 0
    saved = path.read_text(encoding="utf-8")
    assert "# Reviewed by the Monitoring Officer, 3 March." in saved
    assert f"{help_line}- id:" in saved and saved.index(help_line) < saved.index("Who can I ask for help?")
    notes = [(c["question"], c["note"]) for c in yaml.safe_load(saved)["corrections"]]
    assert notes == [("Who can I ask for help?", ""), ("When is it reviewed?", "1:30")]  # text stays text


def test_a_corrections_file_in_a_folder_that_does_not_exist_is_refused_at_once(index_dir, tmp_path):
    missing = tmp_path / "no-such-folder" / "corrections.yaml"
    result = correct(index_dir, "Who wrote the guidance?", AUTHOR, "--corrections-file", str(missing))
    assert result.returncode == 2, result.stderr
    assert f"folder {missing.parent} does not exist" in " ".join(result.stderr.split())
    assert not missing.parent.exists()


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16"])  # Notepad's "ANSI" and "Unicode"
def test_a_corrections_file_saved_by_a_windows_editor_is_read_and_saved_back_as_utf8(index_dir, corpus_and_index, encoding):
    path = corpus_and_index[0] / "corrections.yaml"
    assert correct(index_dir, "Who wrote the guidance?", AUTHOR, "--note", "checked by Jo Blöggs").returncode == 0
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    listed = run("corrections", "--index-dir", str(index_dir), "--json")
    assert listed.returncode == 0, listed.stderr
    assert ask(index_dir, "Who wrote the guidance?")["basis"] == "officer_correction"
    assert correct(index_dir, "Who can I ask for help?", HELP).returncode == 0
    assert "checked by Jo Blöggs" in path.read_text(encoding="utf-8")


def test_a_short_section_number_is_the_one_document_that_has_it_and_a_question_is_corrected_once(index_dir, corpus_and_index):
    made = correct(index_dir, "Who wrote the guidance?", "8.0")
    assert made.returncode == 0, made.stderr
    [saved] = yaml.safe_load((corpus_and_index[0] / "corrections.yaml").read_text(encoding="utf-8"))["corrections"]
    assert saved["section"] == AUTHOR
    again = correct(index_dir, "who wrote the guidance?", HELP)
    assert again.returncode == 2 and f"already corrected (correction {saved['id']}, to {AUTHOR})" in " ".join(again.stderr.split())


def test_hand_edited_duplicate_ids_are_named_not_half_removed(index_dir, corpus_and_index):
    path = corpus_and_index[0] / "corrections.yaml"
    assert correct(index_dir, "Who wrote the guidance?", AUTHOR).returncode == 0
    text = path.read_text(encoding="utf-8")
    entry = text[text.index("- id:"):]
    path.write_text(text + entry.replace("Who wrote the guidance?", "Who is the author?"), encoding="utf-8")
    listed = run("corrections", "--index-dir", str(index_dir))
    assert listed.returncode == 2 and "used more than once: give the copies new ids" in " ".join(listed.stderr.split())


def test_exporting_onto_a_folder_says_so_plainly(index_dir, tmp_path):
    (tmp_path / "cases.jsonl").mkdir()
    result = run("corrections", "--index-dir", str(index_dir), "export", str(tmp_path / "cases.jsonl"), "--replace")
    assert result.returncode == 2 and "cannot be written (Is a directory); nothing was written" in " ".join(result.stderr.split())
    assert "Errno" not in result.stderr


def test_a_malformed_entry_is_named_by_its_place_and_id(index_dir, corpus_and_index):
    path, text, at = two_corrections(index_dir, corpus_and_index)
    second = yaml.safe_load(text)["corrections"][1]["id"]
    path.write_text(text[:at] + text[at:].replace("officer:", "oficer:"), encoding="utf-8")
    listed = run("corrections", "--index-dir", str(index_dir))
    assert listed.returncode == 2
    assert f"correction 2 (id {second}) is malformed at officer: Field required" in " ".join(listed.stderr.split())


def test_export_leaves_out_the_corrections_that_are_not_applied(index_dir, corpus_and_index, tmp_path):
    path = corpus_and_index[0] / "corrections.yaml"
    assert correct(index_dir, "Who wrote the guidance?", AUTHOR).returncode == 0
    assert correct(index_dir, "Who can I ask for help?", HELP).returncode == 0
    path.write_text(path.read_text(encoding="utf-8").replace(f"section: {HELP}", "section: social-media-guidance#9.9"),
                    encoding="utf-8")
    exported = run("corrections", "--index-dir", str(index_dir), "export", str(tmp_path / "cases.jsonl"))
    assert exported.returncode == 0, exported.stderr
    assert "Wrote 1 eval cases" in exported.stdout and "left out 1 not applied" in exported.stdout
    assert [case.expected_sections for case in load_eval_set(tmp_path / "cases.jsonl")] == [[AUTHOR]]
