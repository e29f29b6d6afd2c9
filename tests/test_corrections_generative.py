"""Corrections with a language model: the OpenAI stand-in (tests/openai_standin.py, a scripted stand-in for a
hosted model, not a model) behind the real openai backend. The corrected section is given to the model first
and the checker keeps the claims citing it; an answer that ignores it gives way to the officer's."""

from __future__ import annotations

import pytest

from guidance.answering.assistant import Assistant
from guidance.settings import load_settings
from guidance.backends import BackendSettings
from guidance.answering.corrected import OFFICER_CONFIRMED
from guidance.corrections.store import CorrectionBook
from ingest.index import open_index
from tests.openai_standin import StandIn, faithful

QUESTION = "Who wrote the social media guidance?"
AUTHOR = "social-media-guidance#8.0"


@pytest.fixture
def corrected(seed_index_dir, tmp_path):
    index = open_index(seed_index_dir)
    made = CorrectionBook(index, tmp_path / "corrections.yaml").add(QUESTION, AUTHOR, officer="Jo Bloggs")
    with StandIn() as standin:
        settings = BackendSettings(name="openai", url=standin.url, model="standin", timeout_s=5.0, retries=0)
        yield Assistant(index, settings, load_settings().embedder(), tmp_path / "corrections.yaml"), standin, made


def test_the_model_is_given_the_corrected_section_first_and_it_is_kept(corrected):
    assistant, standin, made = corrected
    standin.script = faithful  # quotes the first section it is given
    answer = assistant.ask(QUESTION)
    assert list(standin.prompts()[-1].sections)[0] == "8.0"
    assert (answer.mode, answer.basis, answer.correction_id) == ("generative", "officer_correction", made.id)
    assert answer.cited_sections[0] == AUTHOR and answer.answer.startswith(OFFICER_CONFIRMED)


def test_an_answer_ignoring_the_corrected_section_gives_way_to_the_officers(corrected):
    assistant, standin, made = corrected

    def cites_another(prompt):
        tag = next(tag for tag in list(prompt.sections)[1:] if prompt.sentences(tag))
        return f"The guidance says “{prompt.best_sentence(tag)}” [§{tag}]."

    standin.script = cites_another
    answer = assistant.ask(QUESTION)
    assert (answer.mode, answer.basis, answer.cited_sections[0]) == ("extractive_fallback", "officer_correction", AUTHOR)
    assert "did not use the section an officer confirmed" in answer.answer
