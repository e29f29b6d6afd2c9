"""Misspelt questions are searched with the corpus's own spelling, or the likeliest English word; other words
(newer words the dictionary lacks, acronyms, contractions) are left alone."""

from guidance.retrieval.spelling import Speller
from ingest.words import vocabulary

SPELLER = Speller(vocabulary(["The planning committee considers each application.", "Recommendation", "residents"]))


def test_misspelt_words_become_the_corpus_words():
    assert SPELLER.correct("can i tweet about a planing aplication on the commitee") == (
        "can i tweet about a planning application on the committee"
    )
    assert SPELLER.correct("what's the recomendation") == "what's the recommendation"


def test_slips_become_the_likeliest_word_corpus_words_first():
    # swapped letters, a dropped letter in a short word, a changed letter into a word the corpus lacks
    assert SPELLER.correct("the reprot on this papr") == "the report on this paper"
    assert SPELLER.correct("budjet impact, writen down") == "budget impact, written down"
    # a rare real word that is a corpus word with a letter dropped
    assert SPELLER.correct("planing") == "planning"
    # "comittee's" is corrected before its possessive
    assert SPELLER.correct("the comittee's view") == "the committee's view"


def test_newer_words_british_spellings_names_acronyms_and_contractions_are_left_alone():
    text = ("Can the admins repost, retweet or livestream it? I didn't ask GDPR, the ICT team or Cllr Ayton "
            "about the pdf for the leisure centre or the Labour group's rumour")
    assert SPELLER.correct(text) == text


def test_a_capitalised_word_opening_a_sentence_is_still_corrected():
    assert SPELLER.correct("Recomendation? Planing aplication.") == "Recommendation? Planning application."


def test_short_known_and_distant_words_are_left_alone():
    assert SPELLER.correct("can I post about bins, allowances or Facebook?") == (
        "can I post about bins, allowances or Facebook?"
    )


def test_the_assistant_answers_a_misspelt_question_from_the_right_section(assistant):
    answer = assistant.ask("can i tweet about a planing aplication if im on the planing commitee")
    assert answer.status == "answered"
    assert "social-media-guidance#3.3" in answer.cited_sections
    assert answer.question == "can i tweet about a planing aplication if im on the planing commitee"


def test_a_question_in_the_corpus_words_never_loads_the_english_word_list():
    speller = Speller(vocabulary(["What is in the committee's report?"]))
    assert speller.correct("what's in the committee's report?") == "what's in the committee's report?"
    assert "_frequency" not in vars(speller)  # the word list costs about 0.3 s and 35 MB to load
