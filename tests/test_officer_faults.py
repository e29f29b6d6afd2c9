"""The officers' page when its files go wrong, through Streamlit's AppTest over the session's real index: a runs
folder that cannot be written, a run folder deleted after the run, a feedback database that is not one, a
corrections file that cannot be written, an old result under a failed run, and a run interrupted by a click.
Each is a plain message on the tab concerned, with every tab still drawn."""

from __future__ import annotations

import json
import shutil

from guidance.ui import officer_run
from tests.test_officer_page import SMALL_SET, page, sign_in  # noqa: F401  (the page fixture)
from tests.test_corrections_page import choose_section

TABS = ["Run an eval set", "Compare runs", "Member feedback", "Corrections"]
ONE_CASE = json.dumps({"id": "q1", "question": "Can I tweet about a planning application?",
                       "expected_sections": ["social-media-guidance#3.3"], "behaviour": "answer"}) + "\n"


def all_tabs_drawn(page) -> bool:
    """No traceback, and every tab drawn down to the last one's content."""
    assert not page.exception, [e.value for e in page.exception]
    corrections = page.tabs[3] if len(page.tabs) == 4 else None
    return [tab.label for tab in page.tabs] == TABS and corrections is not None and bool(corrections.subheader)


def upload(page, name: str, text: str):
    page.radio(key="set-source").set_value("Upload a set").run()
    page.file_uploader(key="uploaded-set").set_value((name, text.encode(), "application/json")).run()


def plain(text: str) -> str:
    return text.replace("\\", "")  # the page escapes Markdown in messages


def test_a_runs_folder_that_cannot_be_written_is_named_before_the_run(page, tmp_path, monkeypatch):
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    asked = []
    monkeypatch.setattr(officer_run, "run_eval", lambda *args, **kwargs: asked.append(args))
    for runs in (afile, afile / "runs"):  # a file, and a folder under a file
        monkeypatch.setenv("GUIDANCE_EVAL_RUNS_DIR", str(runs))
        sign_in(page)
        upload(page, "one.jsonl", ONE_CASE)
        page.button(key="run-eval").click().run()
        assert all_tabs_drawn(page)
        [error] = [plain(e.value) for e in page.error]
        assert error.startswith(f"The run's results cannot be written to {runs}") and "GUIDANCE_EVAL_RUNS_DIR" in error
        assert not page.get("progress") and not asked  # refused before the model is loaded or a question asked
        page.session_state["officer_signed_in"] = False


def test_a_run_whose_folder_was_deleted_says_so_and_the_tabs_still_work(page, tmp_path):
    sign_in(page)
    upload(page, "one.jsonl", ONE_CASE)
    page.button(key="run-eval").click().run()
    assert page.subheader[0].value == "one.jsonl: 1 of 1 passed"
    shutil.rmtree(tmp_path / "runs")  # someone tidies the runs folder
    page.run()
    assert all_tabs_drawn(page)
    assert plain(page.warning[0].value).startswith("That run's files are no longer there")
    page.run()  # the stale result is dropped, not retried on every rerun
    assert all_tabs_drawn(page) and not page.warning
    assert not [s for s in page.tabs[0].subheader if "passed" in s.value]


def test_a_feedback_file_that_is_not_a_database_is_named_and_the_other_tabs_render(page, tmp_path, monkeypatch):
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not an SQLite file" * 100)
    folder = tmp_path / "a-folder.sqlite3"
    folder.mkdir()
    for path, wrong in ((garbage, "file is not a database"), (folder, "is a folder")):
        monkeypatch.setenv("GUIDANCE_FEEDBACK_DB", str(path))
        sign_in(page)
        assert all_tabs_drawn(page)
        feedback = page.tabs[2]
        assert not feedback.info  # not "No thumbs-down feedback from members yet"
        [error] = [plain(e.value) for e in feedback.error]
        assert str(path) in error and wrong in error and "GUIDANCE_FEEDBACK_DB" in error
        corrections = page.tabs[3]
        assert corrections.radio(key="correct-source").value == "A question I type"  # typed questions still work
        assert str(path) in plain(corrections.warning[0].value)
        page.session_state["officer_signed_in"] = False


def test_a_corrections_file_that_cannot_be_written_is_not_saved_and_the_form_is_kept(page, tmp_path, monkeypatch):
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    corrections = afile / "corrections.yaml"  # neither it nor its lock can be made
    monkeypatch.setenv("GUIDANCE_CORRECTIONS_FILE", str(corrections))
    sign_in(page)
    page.text_input(key="correct-question").input("Who wrote the guidance?").run()
    choose_section(page, "social-media-guidance#8.0")
    page.text_input(key="correct-officer").input("Jo Bloggs").run()
    page.button(key="correct-save").click().run()
    assert all_tabs_drawn(page)
    [error] = [plain(e.value) for e in page.error]
    assert error == f"Not saved. The corrections file's folder {afile} is a file, not a folder, so it cannot be saved."
    assert page.text_input(key="correct-question").value == "Who wrote the guidance?"
    assert page.text_input(key="correct-officer").value == "Jo Bloggs"


def test_a_failed_run_does_not_leave_the_previous_result_on_screen_nor_an_empty_folder(page, tmp_path):
    sign_in(page)
    upload(page, "one.jsonl", ONE_CASE)
    page.button(key="run-eval").click().run()
    assert page.subheader[0].value == "one.jsonl: 1 of 1 passed"
    upload(page, "typo.jsonl", ONE_CASE.replace("social-media-guidance#3.3", "no-such-doc#99.9"))
    page.button(key="run-eval").click().run()
    assert all_tabs_drawn(page)
    assert "'no-such-doc#99.9' is not a section of the indexed documents" in plain(page.error[0].value)
    assert not [s for s in page.tabs[0].subheader if "passed" in s.value]
    assert not [b for b in page.download_button if b.key == "download-csv"]
    assert [run.name.startswith("one-") for run in (tmp_path / "runs").iterdir()] == [True]  # the refused run left nothing


def test_a_run_interrupted_by_a_click_says_how_far_it_got(page, monkeypatch):
    real_run_eval = officer_run.run_eval

    def interrupted_after_one(cases, *args, on_answer, **kwargs):
        """What Streamlit does when the officer clicks during a run: the script is stopped at its next
        element update and started again, by a rerun exception (st.rerun raises the same one)."""
        monkeypatch.setattr(officer_run, "run_eval", real_run_eval)
        on_answer(None)
        officer_run.st.rerun()

    monkeypatch.setattr(officer_run, "run_eval", interrupted_after_one)
    sign_in(page)
    upload(page, "officer.jsonl", SMALL_SET)
    page.button(key="run-eval").click().run()
    assert all_tabs_drawn(page)
    assert plain(page.warning[0].value).startswith("The run of officer.jsonl was interrupted after 1 of 3 questions")
    page.button(key="run-eval").click().run()  # running it again clears the warning
    assert not page.warning and page.subheader[0].value == "officer.jsonl: 2 of 3 passed"
