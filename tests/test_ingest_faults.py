"""Faults, with real processes: a second ingest refuses while one runs, questions asked during an
ingest all succeed, and an ingest killed with SIGKILL leaves the previous index answering."""

from __future__ import annotations

import signal
import time
from pathlib import Path

from guidance.settings import load_settings
from ingest.text import fold_whitespace
from tests.conftest import embed
from tests.corpus_helpers import SEED, copy_index, guidance_cli, make_corpus

QUESTION = "Who can help me with social media advice?"


def _standing_orders(variant: str) -> str:
    """An invented, headingless document large enough that embedding it takes several seconds."""
    return "\n\n".join(
        f"Invented standing order {n}{variant}: notice of motion {n} must reach the clerk {n % 9 + 2} clear days "
        f"before meeting {n % 17} of committee {n % 13}, and copies go to group leader {n % 5}."
        for n in range(1, 300)
    ) + "\n"


def _corpus(tmp_path: Path, variant: str) -> Path:
    return make_corpus(tmp_path / f"corpus{variant}", {
        SEED.name: SEED.read_text(encoding="utf-8"),
        "manifest.yaml": (SEED.parent / "manifest.yaml").read_text(encoding="utf-8"),
        "standing-orders.txt": _standing_orders(variant),
    })


def _wait_for_new_build(index_dir: Path, before: set[str], process, timeout: float = 120) -> str:
    """The name of the build the ingest process has started writing (it holds the lock by then)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = _builds(index_dir) - before
        if new:
            return new.pop()
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("ingest never started writing a build")


def _builds(index_dir: Path) -> set[str]:
    return {p.name for p in (index_dir / "builds").iterdir()}


def test_second_ingest_refused_and_questions_answered_during_ingest(seed_index_dir, tmp_path):
    from guidance.answering.assistant import Assistant

    from ingest.index import current_build

    index_dir = copy_index(seed_index_dir, tmp_path / "index")
    previous = current_build(index_dir).name
    expected = Assistant.open(load_settings(), index_dir).ask(QUESTION)
    corpus = _corpus(tmp_path, "")
    first = guidance_cli("ingest", str(corpus), "--index-dir", str(index_dir))
    _wait_for_new_build(index_dir, _builds(index_dir), first)

    second = guidance_cli("ingest", str(corpus), "--index-dir", str(index_dir))
    _, second_err = second.communicate(timeout=120)
    assert second.returncode == 1
    assert "Another ingest is already running" in fold_whitespace(second_err)
    assert first.poll() is None, "the first ingest finished before the second was refused: the test proved nothing"

    answered = 0
    while first.poll() is None:
        assistant = Assistant.open(load_settings(), index_dir)  # reads CURRENT afresh, as a new app session would
        answer = assistant.ask(QUESTION)
        assert answer.status == "answered" and answer.cited_sections
        if assistant.index.build_dir.name == previous:
            assert answer.cited_sections == expected.cited_sections
        answered += 1
    assert answered >= 1
    _, first_err = first.communicate()
    assert first.returncode == 0, first_err
    after = Assistant.open(load_settings(), index_dir).ask("How many clear days before meeting 5 must notice of motion 22 reach the clerk?")
    assert any(section.startswith("standing-orders#") for section in after.cited_sections), after


def test_sigkill_during_ingest_leaves_previous_index_answering(seed_index_dir, tmp_path):
    from guidance.answering.assistant import Assistant
    from ingest.index import current_build
    from ingest.pipeline import ingest_corpus

    index_dir = copy_index(seed_index_dir, tmp_path / "index")
    previous = current_build(index_dir).name
    expected = Assistant.open(load_settings(), index_dir).ask(QUESTION)

    process = guidance_cli("ingest", str(_corpus(tmp_path, "b")), "--index-dir", str(index_dir))
    half_built = _wait_for_new_build(index_dir, _builds(index_dir), process)
    time.sleep(1.0)  # let it get into embedding and writing
    assert process.poll() is None, "ingest finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL

    assert current_build(index_dir).name == previous
    assert not (index_dir / "builds" / half_built / "build.json").exists()
    answer = Assistant.open(load_settings(), index_dir).ask(QUESTION)
    assert (answer.status, answer.cited_sections) == (expected.status, expected.cited_sections)

    report = ingest_corpus(SEED.parent, index_dir, embed)  # the killed process's lock died with it
    assert report.unchanged and not report.changed
    assert half_built not in _builds(index_dir)
