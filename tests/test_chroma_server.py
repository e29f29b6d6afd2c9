"""Chroma server mode against a real ``chroma run`` server on 127.0.0.1: ingest into it, answer through it,
prune old builds' collections from it, and survive the server going down and coming back."""

from __future__ import annotations

import json
import shutil
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from guidance.settings import load_settings
from typer.testing import CliRunner

from ingest.text import fold_whitespace
from tests.conftest import CORPUS, REPO, embed, free_port

CHROMA = Path(sys.executable).parent / "chroma"
GUIDANCE = Path(sys.executable).parent / "guidance"
STARTER = Path(__file__).resolve().parent.parent / "evals" / "starter.jsonl"
QUESTION = "Can I tweet about a planning application?"


_unwrapped = fold_whitespace  # Rich wraps long error lines to the terminal width; compare the words


class ChromaServer:
    """A real Chroma server process that can be stopped and started again on the same port and data."""

    def __init__(self, data_dir: Path, port: int):
        self.data_dir, self.port, self.process = data_dir, port, None
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(self.data_dir), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"chroma run did not start on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def collections(self) -> set[str]:
        import chromadb

        return {c.name for c in chromadb.HttpClient(host="127.0.0.1", port=self.port).list_collections()}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = ChromaServer(tmp_path_factory.mktemp("chroma-server"), free_port())
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def server_index_dir(server, tmp_path_factory):
    """The shipped corpus ingested with its vectors on the server (three ingests, so one build is pruned)."""
    from ingest.pipeline import ingest_corpus

    index_dir = tmp_path_factory.mktemp("server-index")
    builds = [ingest_corpus(CORPUS, index_dir, embed, chroma_url=server.url).build for _ in range(3)]
    return index_dir, builds


def test_ingest_puts_each_builds_collections_on_the_server_and_prunes_old_ones(server, server_index_dir):
    index_dir, (first, second, third) = server_index_dir
    info = json.loads((index_dir / "builds" / third / "build.json").read_text())
    assert info["chroma"] == {"url": server.url, "collections": {"chunks": f"chunks-{third}"}}
    assert not (index_dir / "builds" / third / "chroma").exists()  # nothing embedded locally
    on_server = server.collections()
    assert {f"chunks-{second}", f"chunks-{third}"} <= on_server
    assert f"chunks-{first}" not in on_server
    assert not (index_dir / "builds" / first).exists()


def test_pruning_deletes_the_collections_an_older_build_recorded(server, tmp_path, monkeypatch):
    """Builds made before format 4 kept a second collection, ``sentences-<build id>``, on the server."""
    import chromadb

    from ingest.pipeline import ingest_corpus

    old_build = tmp_path / "index" / "builds" / "20200101T000000-0ldf0rm4"
    old_build.mkdir(parents=True)
    names = {"chunks": f"chunks-{old_build.name}", "sentences": f"sentences-{old_build.name}"}
    (old_build / "chroma.json").write_text(json.dumps({"url": server.url, "collections": names}))
    client = chromadb.HttpClient(host="127.0.0.1", port=server.port)
    for name in names.values():
        client.create_collection(name, embedding_function=None)
    ingest_corpus(CORPUS, tmp_path / "index", embed, chroma_url=server.url)
    assert not set(names.values()) & server.collections()
    assert not old_build.exists()


def test_answers_through_the_server_match_the_embedded_index(server, server_index_dir, assistant, monkeypatch):
    from guidance.answering.assistant import Assistant

    monkeypatch.delenv("GUIDANCE_CHROMA_URL", raising=False)  # the build records its server
    through_server = Assistant.open(load_settings(), server_index_dir[0]).ask(QUESTION)
    embedded = assistant.ask(QUESTION)
    assert through_server.status == "answered"
    assert through_server.answer == embedded.answer
    assert [c.section for c in through_server.citations] == [c.section for c in embedded.citations]


def test_cli_survives_the_server_stopping_mid_session_and_resumes_when_it_returns(server, server_index_dir):
    """One `guidance ask --json -` process: answered, server stopped → clear error, server back → answered."""
    session = subprocess.Popen(
        [str(GUIDANCE), "ask", "--json", "-", "--index-dir", str(server_index_dir[0])],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "GUIDANCE_CHROMA_URL": server.url},
    )
    try:
        def ask(question: str) -> None:
            session.stdin.write(question + "\n")
            session.stdin.flush()

        ask(QUESTION)
        assert json.loads(session.stdout.readline())["status"] == "answered"
        server.stop()
        ask("Can I share a resident's email?")
        failed = json.loads(session.stdout.readline())  # a record in its place, so the output lines up with the input
        assert (failed["line"], failed["status"]) == (2, "error") and "is not answering" in failed["error"]
        server.start()
        ask(QUESTION)
        resumed = json.loads(session.stdout.readline())
        assert resumed["status"] == "answered" and resumed["citations"]
        session.stdin.close()
        errors = session.stderr.read()
        assert session.wait(timeout=60) == 1  # one question went unanswered
    finally:
        session.kill()
        if server.process.poll() is not None:
            server.start()
    errors = _unwrapped(errors)
    assert f"Not answered: line 2: The Chroma server at {server.url} is not answering" in errors
    assert errors.count("Not answered") == 1
    assert "Traceback" not in errors


def test_server_down_gives_a_clear_error_not_a_traceback(server_index_dir, tmp_path, monkeypatch):
    from guidance.answering.assistant import Assistant
    from guidance.cli.main import app
    from ingest.chroma_store import ChromaUnavailable

    nobody = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("GUIDANCE_CHROMA_URL", nobody)  # overrides the recorded address: the server "moved"
    with pytest.raises(ChromaUnavailable, match=f"The Chroma server at {nobody} is not answering"):
        Assistant.open(load_settings(), server_index_dir[0]).ask(QUESTION)

    runner = CliRunner()
    asked = runner.invoke(app, ["ask", QUESTION, "--index-dir", str(server_index_dir[0])])
    assert asked.exit_code == 1 and isinstance(asked.exception, SystemExit)
    assert f"The Chroma server at {nobody} is not answering" in _unwrapped(asked.output)
    ingested = runner.invoke(app, ["ingest", str(CORPUS), "--index-dir", str(tmp_path / "index")])
    assert ingested.exit_code == 1 and isinstance(ingested.exception, SystemExit)
    assert f"Ingest failed: The Chroma server at {nobody} is not answering" in _unwrapped(ingested.output)
    evaluated = runner.invoke(app, ["eval", "run", str(STARTER), "--index-dir", str(server_index_dir[0]),
                                    "--out", str(tmp_path / "run")])
    assert evaluated.exit_code == 1 and isinstance(evaluated.exception, SystemExit)
    assert f"The run stopped: The Chroma server at {nobody} is not answering" in _unwrapped(evaluated.output)
    assert "Unexpected error" not in evaluated.output


def test_ingest_with_the_server_down_fails_before_embedding_anything(tmp_path, monkeypatch):
    from ingest.chroma_store import ChromaUnavailable
    from ingest.pipeline import ingest_corpus

    embedded: list[str] = []
    with pytest.raises(ChromaUnavailable, match="is not answering"):
        ingest_corpus(CORPUS, tmp_path / "index", embed_fn=lambda texts: embedded.extend(texts) or embed(texts),
                      chroma_url=f"http://127.0.0.1:{free_port()}")
    assert embedded == []


def test_malformed_server_address_is_named(server_index_dir, monkeypatch):
    from guidance.cli.main import app

    monkeypatch.setenv("GUIDANCE_CHROMA_URL", "localhost:8000")
    asked = CliRunner().invoke(app, ["ask", QUESTION, "--index-dir", str(server_index_dir[0])])
    assert asked.exit_code == 2  # a bad setting: nothing runs
    assert "GUIDANCE_CHROMA_URL='localhost:8000' is not a Chroma server address" in _unwrapped(asked.output)


def test_app_says_the_index_server_is_down_and_keeps_working(server_index_dir, monkeypatch):
    from streamlit.testing.v1 import AppTest

    nobody = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("GUIDANCE_CHROMA_URL", nobody)
    monkeypatch.setenv("GUIDANCE_INDEX_DIR", str(server_index_dir[0]))
    page = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    page.chat_input[0].set_value(QUESTION).run()
    shown = page.error[0].value.replace("\\", "")  # the page escapes Markdown in messages
    assert f"The Chroma server at {nobody} is not answering" in shown
    assert "answering resumes as soon as it is back" in shown
    page.chat_input[0].set_value("Write me a post mocking the mayor, she is useless").run()
    assert len(page.error) == 1  # a question that needs no search is still answered


def test_a_re_ingest_without_the_server_setting_says_it_leaves_the_server(server, server_index_dir, tmp_path, monkeypatch):
    """App instances reading the server would not find the new build there; the officer is told, not left to find out."""
    from guidance.cli.main import app

    moved = tmp_path / "index"
    shutil.copytree(server_index_dir[0], moved)
    monkeypatch.delenv("GUIDANCE_CHROMA_URL", raising=False)
    ingested = CliRunner().invoke(app, ["ingest", str(CORPUS), "--index-dir", str(moved)])
    assert ingested.exit_code == 0, ingested.output
    assert f"the previous build's vectors were on the Chroma server {server.url}" in _unwrapped(ingested.output)
