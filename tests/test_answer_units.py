"""The answerer's mechanisms for issue 12's failure classes, each on the real seed index: document facts
answered from their attribute row, quotes that are the document's own unit, a second quote only on its own
merits, and the reasons an officer is shown for a quote or a decline."""

from __future__ import annotations

from dataclasses import replace

from guidance.answering.document_facts import asked_concepts, other_document_named, title_words
from guidance.answering.scoring import ScoredSentence
from ingest.chunks import quote_unit_span, split_sentences


def test_a_question_about_the_document_is_answered_from_its_attributes_row(assistant):
    answer = assistant.ask("Who put this guidance together?")
    assert answer.status == "answered"
    first = answer.citations[0]
    assert (first.section, first.label, first.quote) == ("8.0", "Author", "Sarah Yates")
    assert "Author: “Sarah Yates”" in answer.answer


def test_metadata_concepts_need_the_question_to_be_about_the_document():
    assert [c.name for c in asked_concepts("How long will this guidance be kept before it is destroyed?")] == ["retention"]
    assert [c.name for c in asked_concepts("When is the guidance next reviewed?")] == ["review"]
    assert asked_concepts("Should I review my privacy settings?") == []
    # a concept asked for by its own name is about the document in front of the member
    assert [c.name for c in asked_concepts("who's the author?")] == ["author"]
    assert [c.name for c in asked_concepts("what version are we on")] == ["version"]
    assert [c.name for c in asked_concepts("who signed the social media rules off?")] == ["approval"]
    assert asked_concepts("does deleting a tweet get rid of it?") == []
    assert "author" in [c.name for c in asked_concepts("which officer put this guidance together?")]
    assert "owner" in [c.name for c in asked_concepts("whose job is it to keep the social media rules up to date?")]
    assert asked_concepts("whose job is it to moderate my page?") == []  # not about the document
    assert "owner" in [c.name for c in asked_concepts("which senior officer is responsible for this guidance?")]
    # Asking where the guidance says something, or about a post's format, is not asking who owns it or its format.
    assert asked_concepts("Which section of the guidance covers copyright?") == []
    assert asked_concepts("What service does the guidance say to use for wifi?") == []
    assert asked_concepts("what format should my posts be in under the policy?") == []
    assert [c.name for c in asked_concepts("What format is the guidance in?")] == ["format"]
    # "authority" is not "author": the local authority named in a question about a document asks no fact.
    assert "author" not in [c.name for c in asked_concepts("when did the guidance on local authority publicity come in?")]


def test_a_question_naming_a_document_that_is_not_loaded_gets_no_document_facts(assistant):
    titles = title_words(["Social Media Guidance for Elected Members", "Committee report"])
    assert other_document_named("Which team owns the planning enforcement policy?", titles)
    assert other_document_named("what version of the council's constitution is current?", titles)
    assert not other_document_named("Who owns the social media policy?", titles)
    assert not other_document_named("who owns this policy?", titles)
    assert other_document_named("Who wrote the council's budget report?", titles)
    assert other_document_named("What classification do the planning committee minutes have?", titles)
    assert not other_document_named("Who wrote the committee report?", titles)
    assert not other_document_named("when was the report written?", titles)
    # Whose document it is (a council of any kind) does not say which one it is.
    assert not other_document_named("has the parish code been updated since it came in?", title_words(["Code of Conduct"]))
    assert other_document_named("who wrote the Ayton community council code?", title_words(["Code of Conduct"]))
    assert assistant.ask("who's the author?").citations[0].quote == "Sarah Yates"


def test_a_fact_of_a_document_that_is_not_loaded_is_declined_naming_the_document(assistant):
    assert assistant.ask("Which officer owns the council's data protection policy?").status == "not_covered"
    answer = assistant.ask("Which team owns the planning enforcement policy?")
    assert answer.status == "not_covered" and not answer.citations
    assert answer.answer.startswith("The planning enforcement policy is not among the documents loaded here "
                                    "(Committee report and Social Media Guidance)")
    assert answer.reasons == ["declined: the question asks about the planning enforcement policy, which is not among "
                              "the loaded documents"]
    # The same fact of a loaded document is answered from its row; so is a question about the other document
    # that asks none of a document's own facts.
    owned = assistant.ask("Which team owns the social media policy?")
    assert owned.status == "answered" and owned.citations[0].label in {"Owner", "Division"}
    assert assistant.ask("Does the planning enforcement policy stop me tweeting about a planning application?").status == "answered"


def test_a_quote_is_its_passages_unit_or_a_sentence_with_the_one_completing_it():
    short = ["To have your device configured.", "Please contact the desk on 0116 or email desk@example.org."]
    assert quote_unit_span(short, 0) == (0, 1) and quote_unit_span(short, 1) == (1, 0)
    long_first = " ".join(["word"] * 60) + "."
    completing = ["Rules apply to posts.", "This also applies to blogs.", long_first]
    assert quote_unit_span(completing, 0) == (0, 1)
    assert quote_unit_span(completing, 1) == (0, 0)


def test_sentences_split_where_a_document_left_out_the_space_but_not_inside_abbreviations():
    assert split_sentences("Posts reflect Council information.Users must be polite. Thank you.") == [
        "Posts reflect Council information.", "Users must be polite.", "Thank you."]
    assert split_sentences("Use e.g.The Times or the U.K.Gov site at gov.uk today.") == [
        "Use e.g.The Times or the U.K.Gov site at gov.uk today."]


def test_the_wifi_quote_carries_the_service_desk_contact(assistant):
    answer = assistant.ask("My laptop won't go on the wireless at the Town Hall, how do I get it configured?")
    quotes = " ".join(c.quote for c in answer.citations if c.section == "7.1")
    assert "To have your device configured to work wirelessly in the Town Hall." in quotes
    assert "ictservicedesk@broxtowe.gov.uk" in quotes


def _scored(assistant, question: str) -> list[ScoredSentence]:
    """The sentences of the five best sections, scored: candidates from both documents, however many sections
    the calibrated settings consider."""
    answerer = assistant.extractive
    vector = assistant.embed([question])[0]
    hits = answerer.searcher.search(question, vector, k=5)
    return answerer.scorer.score(question, vector, hits, replace(answerer.settings, sections_considered=len(hits)))


def fits_beside(answerer, best: ScoredSentence, candidate: ScoredSentence) -> bool:
    """A different unit that fits the word budget beside the best quote (and the signpost, below a warning)."""
    scorer = answerer.scorer
    signpost = answerer.signpost_words if answerer.warns(answerer.citation(best)) else 0
    words = len(scorer.unit_text(candidate.position).split()) + len(scorer.unit_text(best.position).split()) + signpost
    return set(scorer.unit(candidate.position)).isdisjoint(scorer.unit(best.position)) and words <= answerer.settings.max_quoted_words


def test_a_second_quote_is_not_preferred_for_coming_from_another_document(assistant):
    answerer, scorer = assistant.extractive, assistant.extractive.scorer
    question = "What does the guidance say about copyright?"
    scored = _scored(assistant, question)
    document = lambda s: scorer.section_of(s.position).split("#")[0]  # noqa: E731
    best = scored[0]
    fits = lambda s: fits_beside(answerer, best, s)  # noqa: E731
    same = next(s for s in scored[1:] if document(s) == document(best) and fits(s))
    other = next(s for s in scored[1:] if document(s) != document(best) and fits(s))
    # Both close behind the best; the one from the same document ranks higher, so it is the one quoted.
    close = [best, replace(same, score=best.score * 0.99), replace(other, score=best.score * 0.98)]
    assert [s.position for s in answerer.choose_quotes(question, close)] == [best.position, same.position]


def test_a_second_quote_must_cover_the_question_on_its_own(assistant):
    answerer, scorer = assistant.extractive, assistant.extractive.scorer
    question = "Can I use images from a copyrighted source without permission?"
    scored = _scored(assistant, question)
    best = scored[0]
    unrelated = next(s for s in scored if scorer.coverage(question, s) == 0 and fits_beside(answerer, best, s))
    close = [best, replace(unrelated, score=best.score * 0.99)]
    original = answerer.settings
    try:
        answerer.settings = replace(original, min_word_coverage=0.2)
        assert [s.position for s in answerer.choose_quotes(question, close)] == [best.position]
        answerer.settings = replace(original, min_word_coverage=0.0)
        assert len(answerer.choose_quotes(question, close)) == 2
    finally:
        answerer.settings = original


def test_answers_and_declines_say_why(assistant):
    answered = assistant.ask("Can I post a photo from someone else's website?")
    assert answered.reasons and answered.reasons[0].startswith("quoted social-media-guidance#")
    assert "similarity" in answered.reasons[0] and "covers" in answered.reasons[0]
    declined = assistant.ask("What time does the swimming pool open on Sundays?")
    assert declined.status == "not_covered"
    assert declined.reasons[0].startswith("declined: best candidate") and "needs score ≥" in declined.reasons[0]


def test_only_the_nearest_fact_rows_are_scored(assistant):
    """A corpus of many documents has an attributes table in each; scoring every row would cost each answer."""
    from guidance.answering.scoring import FACT_ROWS_CONSIDERED

    scorer = assistant.extractive.scorer
    vector = assistant.embed(["Who is the author of the guidance?"])[0]
    nearest = scorer.nearest(range(len(assistant.index.sentences)), vector)
    assert len(nearest) == FACT_ROWS_CONSIDERED
    similarities = assistant.index.sentence_vectors[nearest] @ vector
    assert list(similarities) == sorted(similarities, reverse=True)
    assert float(similarities[0]) == float((assistant.index.sentence_vectors @ vector).max())
