"""Opt-in: the llamacpp backend with a real local instruct model (not part of `make test`).

    .venv/bin/pip install -c constraints.txt -e '.[llamacpp]'   # compiles llama.cpp: several minutes
    .venv/bin/python scripts/fetch_local_model.py                # Qwen2.5-Coder-1.5B-Instruct Q4_K_M, 1.1 GB
    scripts/run-tests.sh integration/

``GUIDANCE_TEST_GGUF`` points at another .gguf file. A 1.5B model on two cores is slow (seconds per
prompt) and weak: these tests show the chain, the checker and the fallback working with a real model,
not answer quality, so they accept any outcome that is checked.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from guidance.answering.assistant import Assistant
from guidance.settings import load_settings
from guidance.backends import BackendSettings
from guidance.citing.checker import SectionLibrary
from guidance.citing.citations import quote_in_source
from ingest.index import open_index
from scripts.fetch_local_model import DEFAULT_OUT

GGUF = Path(os.environ.get("GUIDANCE_TEST_GGUF") or DEFAULT_OUT)
QUESTIONS = ["Can I tweet about a planning application I will vote on?", "Who can help me with social media?"]


@pytest.fixture(scope="module")
def local(seed_index_dir):
    if not GGUF.is_file():
        pytest.fail(f"No model at {GGUF}: run .venv/bin/python scripts/fetch_local_model.py first.")
    index = open_index(seed_index_dir)
    return Assistant(index, BackendSettings(name="llamacpp", model=str(GGUF), timeout_s=300), load_settings().embedder()), SectionLibrary(index)


def assert_checked(answer, library: SectionLibrary) -> None:
    assert answer.mode in ("generative", "extractive_fallback"), answer
    assert "Traceback" not in answer.answer
    for citation in answer.citations:
        assert quote_in_source(citation.quote, library.source(f"{citation.doc_id}#{citation.section}"))
    if answer.mode == "extractive_fallback":
        assert "Note: the language model (llamacpp:" in answer.answer
    elif answer.status == "answered":
        assert answer.citations


@pytest.mark.parametrize("question", QUESTIONS)
def test_local_model_answers_are_checked(local, question):
    assistant, library = local
    answer = assistant.ask(question)
    print(f"\n{answer.mode} {answer.status} {answer.timings_ms}\n{answer.answer}\n{answer.notes}")
    assert_checked(answer, library)


def test_local_model_streams_then_gives_the_checked_answer(local):
    assistant, library = local
    stream = assistant.stream(QUESTIONS[0])
    chunks = list(stream)
    print(f"\ndraft: {''.join(chunks)!r}\nchecked: {stream.answer.answer}")
    assert chunks and "".join(chunks).strip()
    assert_checked(stream.answer, library)
