"""Files written whole (guidance/files.py): the new text in place of the old, or, when writing fails, the old
file untouched and no draft left beside it."""

from __future__ import annotations

import os

import pytest

from guidance.files import replace_file, replace_text


def test_the_new_text_replaces_the_old_and_no_draft_is_left(tmp_path):
    path = tmp_path / "deep" / "settings.json"
    replace_text(path, "old")
    assert replace_text(path, "new £") == path
    assert path.read_text(encoding="utf-8") == "new £"
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


def test_a_write_that_fails_leaves_the_old_file_and_no_draft(tmp_path):
    path = tmp_path / "labelled.json"
    replace_text(path, "old")

    def failing(out):
        out.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_file(path, failing)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["labelled.json"]


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_gets_the_usual_ones(tmp_path):
    shared = tmp_path / "corrections.yaml"
    shared.write_text("old", encoding="utf-8")
    shared.chmod(0o664)  # readable by the app's account as well as the officer's
    replace_text(shared, "new")
    assert (shared.read_text(encoding="utf-8"), shared.stat().st_mode & 0o777) == ("new", 0o664)
    umask = os.umask(0o022)
    try:
        assert replace_text(tmp_path / "new.json", "{}").stat().st_mode & 0o777 == 0o644
    finally:
        os.umask(umask)
