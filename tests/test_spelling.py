"""Misspelt questions are searched with the corpus's own spelling; other words are left alone."""

from guidance.retrieval.spelling import Speller
from ingest.words import vocabulary

SPELLER = Speller(vocabulary(["The planning committee considers each application.", "Recommendation", "residents"]))


def test_misspelt_words_become_the_corpus_words():
    assert SPELLER.correct("can i tweet about a planing aplication on the commitee") == (
        "can i tweet about a planning application on the committee"
    )
    assert SPELLER.correct("what's the recomendation") == "what's the recommendation"


def test_short_known_and_distant_words_are_left_alone():
    assert SPELLER.correct("can I post about bins, allowances or Facebook?") == (
        "can I post about bins, allowances or Facebook?"
    )


def test_the_assistant_answers_a_misspelt_question_from_the_right_section(assistant):
    answer = assistant.ask("can i tweet about a planing aplication if im on the planing commitee")
    assert answer.status == "answered"
    assert "social-media-guidance#3.3" in answer.cited_sections
    assert answer.question == "can i tweet about a planing aplication if im on the planing commitee"
