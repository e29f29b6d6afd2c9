"""Likeness to unanswered questions: a question like the ones officers found the documents do not answer must
score higher to be answered, measured with the real embedding model against the shipped labelled questions
(``guidance/answering/labelled-questions.json``, written by ``guidance calibrate``)."""

from __future__ import annotations

import json

import numpy as np

from guidance.answering.calibrated import CALIBRATED
from guidance.answering.likeness import labelled_path, likeness_values, load_labelled
from guidance.evaluation.calibrate import _likeness, prepare_cases
from guidance.evaluation.dataset import EvalCase
from ingest.embedding import Embedder

from .conftest import embed

# None of these is among the labelled questions: they are asked in other words.
NEAR_DOMAIN = ["Are councillors paid a pension when they retire?", "what date is the next meeting of the full council"]
ANSWERED = ["Can I share a photo I found online on my councillor page?", "should I reply to abusive comments on twitter"]


def test_likeness_is_nearer_declines_less_nearer_answers_and_leaves_out_what_is_masked():
    similarities = np.array([[0.9, 0.8, 0.7, 0.2, 0.1, 0.0],
                             [0.9, np.nan, np.nan, 0.5, 0.5, 0.5]])
    declined = np.array([True, True, True, False, False, False])
    assert np.allclose(likeness_values(similarities, declined), [0.8 - 0.1, 0.9 - 0.5])
    # a question with nothing of one kind to compare with has no likeness
    assert np.allclose(likeness_values(similarities[:, :3], declined[:3]), [0.0, 0.0])


def test_the_shipped_labelled_questions_tell_near_domain_questions_from_answerable_ones(assistant):
    labelled = json.loads(labelled_path(CALIBRATED).read_text(encoding="utf-8"))
    asked = {row["question"].lower() for row in labelled}
    assert not asked & {q.lower() for q in NEAR_DOMAIN + ANSWERED}
    assert {row["behaviour"] for row in labelled} == {"answer", "decline"}
    answerer = assistant.extractive
    assert answerer.settings.likeness_weight > 0 and answerer.labelled is not None
    values = {q: answerer.likeness(assistant.embed([q])[0]).value for q in NEAR_DOMAIN + ANSWERED}
    assert min(values[q] for q in NEAR_DOMAIN) > 0 > max(values[q] for q in ANSWERED), values


def test_a_declined_near_domain_question_says_which_unanswered_question_it_was_like(assistant):
    answer = assistant.ask(NEAR_DOMAIN[0])
    assert answer.status == "not_covered"
    assert "likeness to unanswered questions +" in answer.reasons[0]
    assert "which the documents do not answer" in answer.reasons[0]


def test_an_answer_says_how_its_likeness_moved_the_score_it_needed(assistant):
    answer = assistant.ask(ANSWERED[0])
    assert answer.status == "answered"
    assert "which they answer" in answer.reasons[-1] and answer.reasons[-1].startswith("needs score ≥ ")


def test_labelled_vectors_are_embedded_once_per_model_and_question_list(tmp_path):
    calls = []

    def counting(texts):
        calls.append(len(texts))
        return embed(texts)

    path = tmp_path / "labelled-questions.json"
    path.write_text(json.dumps([{"question": "Who is the MP?", "behaviour": "decline"},
                                {"question": "Can I post about planning?", "behaviour": "answer"}]), encoding="utf-8")
    embedder = Embedder("torch", tmp_path / "cache")
    first = load_labelled(path, embedder, counting)
    again = load_labelled(path, embedder, counting)
    assert calls == [2] and np.array_equal(first.vectors, again.vectors)
    path.write_text(json.dumps([{"question": "Who is the mayor?", "behaviour": "decline"}]), encoding="utf-8")
    assert load_labelled(path, embedder, counting).questions == ["Who is the mayor?"] and calls == [2, 1]
    assert load_labelled(tmp_path / "none.json", embedder, counting) is None


def test_calibration_measures_likeness_only_against_questions_asked_of_other_indexes(assistant, seed_index_dir):
    """Questions asked of the same index (a set and its paraphrases) would find each other; calibration must
    measure them as a council's new documents would be, so one index alone gives no likeness."""
    from guidance.answering.assistant import Assistant
    from guidance.settings import load_settings

    cases = [EvalCase(id="a", question="Do councillors get a pension?", behaviour="decline"),
             EvalCase(id="b", question="Do councillors get paid a pension?", behaviour="decline"),
             EvalCase(id="c", question="Can I post about a planning application?", behaviour="answer",
                      expected_sections=["social-media-guidance#3.3"])]
    one_index = prepare_cases(cases, assistant)
    assert np.allclose(_likeness(one_index), 0.0)
    other = Assistant.open(load_settings(), seed_index_dir)  # another index as far as calibration can tell
    two_indexes = prepare_cases(cases[:1], assistant) + prepare_cases(cases[1:], other)
    assert _likeness(two_indexes)[0] > 0  # the first is nearer the other index's decline than its answer


def test_no_held_out_question_is_among_the_labelled_questions():
    """The held-out sets measure the assistant; a question of theirs among the labelled ones would be found by
    its own likeness."""
    from .conftest import REPO

    labelled = {row["question"].strip().lower() for row in json.loads(labelled_path(CALIBRATED).read_text(encoding="utf-8"))}
    held_out_sets = ("starter", "heldout", "heldout-2", "heldout-real", "code-of-conduct", "standing-orders",
                     "online-strategy")
    for name in held_out_sets:
        held_out = {json.loads(line)["question"].strip().lower()
                    for line in (REPO / "evals" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}
        assert not labelled & held_out, name
