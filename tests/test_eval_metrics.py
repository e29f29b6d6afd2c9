"""Metrics, thresholds and compare on hand-made answers, with expectations worked out by hand."""

from __future__ import annotations

import pytest

from guidance.evaluation.compare import MetricChange, compare_runs
from guidance.evaluation.dataset import EvalCase
from guidance.evaluation.generate import GeneratedAnswer
from guidance.evaluation.metrics import aggregate, hit_rate_by_section, score_answer, score_answers
from guidance.evaluation.report import RunFiles, summarise, write_report
from guidance.evaluation.thresholds import ThresholdError, missed_limits, parse_limits
from guidance.models import Answer, Citation

SOURCES = {
    "guide": "3.3 Bias\nMembers must not   give the impression\nthat their mind is made up. 7.2 Ask the Monitoring Officer.",
    "report": "1. Purpose\nThis report seeks approval of the guidance.",
}


def cite(doc_id: str, section: str, quote: str) -> Citation:
    return Citation(doc_id=doc_id, doc_title=doc_id.title(), section=section, section_title="Title", quote=quote)


def record(case: dict, status: str, text: str, citations=(), latency_ms: float = 100.0) -> GeneratedAnswer:
    case = EvalCase(**{"question": "q?", "must_mention": [], "must_not_mention": [], **case})
    answer = Answer(question=case.question, status=status, answer=text, citations=list(citations))
    return GeneratedAnswer(case=case, answer=answer, latency_ms=latency_ms)


# 1: answer case; cites guide#3.3 (expected, verbatim across a line break) and guide#7.2 (not expected).
GOOD = record(
    {"id": "good", "behaviour": "answer", "expected_sections": ["guide#3.3", "3.4"], "must_mention": ["mind is made up"]},
    "answered",
    "Members must not give the impression that their mind is made up. Ask the Monitoring Officer.",
    [cite("guide", "3.3", "Members must not give the impression that their mind is made up."),
     cite("guide", "7.2", "Ask the Monitoring Officer.")],
    latency_ms=100,
)
# 2: answer case; cites the wrong section with a quote that is not in the source, and says a forbidden thing.
WRONG = record(
    {"id": "wrong", "behaviour": "answer", "expected_sections": ["report#1"], "must_mention": ["approv"], "must_not_mention": ["£\\d"]},
    "answered",
    "It costs £5. Members may say anything.",
    [cite("guide", "3.3", "Members may say anything.")],
    latency_ms=200,
)
# 3: answer case the assistant wrongly declined.
FALSE_DECLINE = record(
    {"id": "false-decline", "behaviour": "answer", "expected_sections": ["7.2"]}, "not_covered", "Not covered.", latency_ms=300
)
# 4: decline case, declined, and did not echo what was asked.
DECLINED = record(
    {"id": "declined", "behaviour": "decline", "must_not_mention": ["idiot"]}, "declined", "I can't help with that.", latency_ms=400
)
# 5: decline case, answered instead.
ANSWERED_DECLINE = record({"id": "answered-decline", "behaviour": "decline"}, "answered", "Here you go: idiot.", latency_ms=500)
RECORDS = [GOOD, WRONG, FALSE_DECLINE, DECLINED, ANSWERED_DECLINE]


def test_a_good_answer_passes_and_an_unqualified_section_matches_any_document():
    score = score_answer(GOOD, SOURCES)
    assert score.section_hit is True
    assert score.citation_precision == 0.5  # guide#3.3 expected, guide#7.2 not
    assert score.citation_recall == 0.5  # guide#3.3 cited, "3.4" not
    assert (score.quotes, score.quotes_verbatim) == (2, 2)
    assert score.must_mention_pass is True and score.must_not_mention_pass is None
    assert score.answer_words == 16
    assert score.passed, score.failed_checks

    unqualified = record({"id": "u", "behaviour": "answer", "expected_sections": ["7.2"]}, "answered", "x",
                         [cite("guide", "7.2", "Ask the Monitoring Officer.")])
    assert score_answer(unqualified, SOURCES).section_hit is True


def test_each_failed_check_is_named():
    wrong = score_answer(WRONG, SOURCES)
    assert wrong.section_hit is False
    assert (wrong.citation_precision, wrong.citation_recall) == (0.0, 0.0)
    assert (wrong.quotes, wrong.quotes_verbatim) == (1, 0)
    assert wrong.must_mention_pass is False and wrong.must_not_mention_pass is False
    assert wrong.failed_checks == [
        "no expected section cited (cited guide#3.3)",
        "quote not verbatim in guide#3.3: “Members may say anything.”",
        "must mention /approv/",
        "must not mention /£\\d/",
    ]
    assert score_answer(FALSE_DECLINE, SOURCES).failed_checks == [
        "false decline (status not_covered)", "no expected section cited (cited nothing)"
    ]
    assert score_answer(FALSE_DECLINE, SOURCES).citation_precision is None  # nothing cited: precision undefined
    assert score_answer(DECLINED, SOURCES).passed
    assert score_answer(ANSWERED_DECLINE, SOURCES).failed_checks == ["answered instead of declining"]


def test_aggregate_by_hand():
    metrics = aggregate(score_answers(RECORDS, SOURCES))
    assert metrics == {
        "questions": 5,
        "answer_questions": 3,
        "decline_questions": 2,
        "passed": 2,
        "pass_rate": 0.4,  # GOOD and DECLINED
        "hit_rate": 0.3333,  # GOOD only, of 3 answer cases
        "citation_precision": 0.25,  # mean of GOOD 0.5 and WRONG 0.0; FALSE_DECLINE cited nothing
        "citation_recall": 0.1667,  # mean of 0.5, 0.0, 0.0
        "quote_fidelity": 0.6667,  # 2 of 3 quotes verbatim
        "must_mention_pass_rate": 0.5,  # GOOD passes, WRONG fails
        "must_not_mention_pass_rate": 0.5,  # DECLINED passes, WRONG fails
        "decline_accuracy": 0.5,  # DECLINED yes, ANSWERED_DECLINE no
        "false_decline_rate": 0.3333,  # FALSE_DECLINE, of 3 answer cases
        "correction_share": 0.0,  # no answer rests on an officer's correction
        "latency_p50_ms": 300.0,
        "latency_p95_ms": 480.0,  # linear: 400 + 0.8 * (500 - 400)
        "answer_words_mean": 6.8,  # (16 + 7 + 2 + 5 + 4) / 5
        "answered_words_median": 7.0,  # of GOOD 16, WRONG 7 and ANSWERED_DECLINE 4; the two declines left out
    }


def test_hit_rate_per_section_groups_answer_questions_by_each_expected_section():
    assert hit_rate_by_section(score_answers(RECORDS, SOURCES)) == {"3.4": 1.0, "7.2": 0.0, "guide#3.3": 1.0, "report#1": 0.0}


def test_limits_parse_and_report_each_miss():
    assert parse_limits(["hit_rate=0.9", " decline_accuracy = 0.5"]) == {"hit_rate": 0.9, "decline_accuracy": 0.5}
    metrics = {"hit_rate": 0.75, "decline_accuracy": 0.5, "false_decline_rate": 0.2, "quote_fidelity": None}
    assert missed_limits(metrics, {"hit_rate": 0.9, "decline_accuracy": 0.5, "quote_fidelity": 1}, {"false_decline_rate": 0.1}) == [
        "hit_rate 0.75 is below the minimum 0.9",
        "quote_fidelity could not be checked against the minimum 1, because the run has no questions it measures (share"
        " of all quotes, in every answer, that appear verbatim (white space aside) in the document they cite)",
        "false_decline_rate 0.2 is above the maximum 0.1",
    ]
    for spec, message in [("hit_rate", "write a limit as metric=value"), ("hitrate=1", "unknown metric 'hitrate'"),
                          ("hit_rate=high", "'high' is not a number")]:
        with pytest.raises(ThresholdError, match=message):
            parse_limits([spec])


def test_compare_lists_regressions_improvements_and_metric_changes(tmp_path):
    def run(folder, records):
        scores = score_answers(records, SOURCES)
        write_report(RunFiles(tmp_path / folder), scores, summarise(scores, "set", "hand-made", "now", 1.0))
        return tmp_path / folder

    fixed_false_decline = record(
        {"id": "false-decline", "behaviour": "answer", "expected_sections": ["7.2"]}, "answered", "Ask the Monitoring Officer.",
        [cite("guide", "7.2", "Ask the Monitoring Officer.")], latency_ms=300,
    )
    before = run("a", [GOOD, FALSE_DECLINE, DECLINED])
    after = run("b", [WRONG.model_copy(update={"case": GOOD.case}), fixed_false_decline, ANSWERED_DECLINE])

    comparison = compare_runs(before, after)
    assert [c.id for c in comparison.regressions] == ["good"]
    assert comparison.regressions[0].failed_checks_before == ""
    assert "must mention /mind is made up/" in comparison.regressions[0].failed_checks_after
    assert [c.id for c in comparison.improvements] == ["false-decline"]
    assert comparison.only_in_a == ["declined"] and comparison.only_in_b == ["answered-decline"]
    changes = {m.name: m for m in comparison.metrics}
    assert (changes["false_decline_rate"].before, changes["false_decline_rate"].after) == (0.5, 0.0)
    assert changes["false_decline_rate"].verdict == "better"
    assert changes["quote_fidelity"].delta == -0.5  # 2/2 verbatim before, 1/2 after
    assert changes["quote_fidelity"].verdict == "worse"
    assert changes["quote_fidelity"].delta_shown == "-0.5"
    assert MetricChange(name="hit_rate", before=None, after=0.5, higher_is_better=True).delta_shown == ""
