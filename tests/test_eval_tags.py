"""Eval tags: cases carry optional tags, and a run reports each failure class (and any other tag) as its
own row in the aggregate, the CSV and the reports, with each failure's reasons beside it."""

from __future__ import annotations

import csv
import io
import json

import pytest

from guidance.answering.answer_type import has_answer_type
from guidance.evaluation.dataset import EvalSetError, parse_eval_set
from guidance.evaluation.generate import GeneratedAnswer
from guidance.evaluation.metrics import FAILURE_CLASSES, score_answers
from guidance.evaluation.report import RunFiles, read_summary, summarise, write_report
from guidance.models import Answer, Citation

SOURCES = {"guide": "8.0 Attributes\nAuthor\tSarah Yates\n3.3 Copyright – images from a copyrighted source."}
ROWS = [
    {"id": "fact", "question": "Who wrote it?", "behaviour": "answer", "expected_sections": ["guide#8.0"],
     "must_mention": ["Sarah Yates"], "tags": ["document_fact"]},
    {"id": "photo", "question": "Can I use a photo?", "behaviour": "answer", "expected_sections": ["guide#3.3"],
     "tags": ["paraphrase", "scenario"]},
    {"id": "meeting", "question": "When is the next meeting?", "behaviour": "decline", "tags": ["near_domain"]},
]


def answered(case, section: str, quote: str, reasons: list[str]) -> Answer:
    citation = Citation(doc_id="guide", doc_title="Guide", section=section, section_title="T", quote=quote)
    return Answer(question=case.question, status="answered", answer=quote, citations=[citation], reasons=reasons)


def test_tags_are_optional_validated_and_read_from_every_format():
    cases = parse_eval_set("".join(json.dumps(row) + "\n" for row in ROWS), ".jsonl", "set.jsonl")
    assert [c.tags for c in cases] == [["document_fact"], ["paraphrase", "scenario"], ["near_domain"]]
    untagged = parse_eval_set('{"id": "a", "question": "q?", "behaviour": "decline"}\n', ".jsonl", "set.jsonl")
    assert untagged[0].tags == []
    csv_set = "id,question,behaviour,tags\na,q?,decline,\"near_domain\nscenario\"\n"
    assert parse_eval_set(csv_set, ".csv", "set.csv")[0].tags == ["near_domain", "scenario"]
    with pytest.raises(EvalSetError, match=r"set.jsonl, line 1, field 'tags.*'Near Domain' is not a tag"):
        parse_eval_set('{"id": "a", "question": "q?", "behaviour": "decline", "tags": ["Near Domain"]}\n', ".jsonl", "set.jsonl")


def test_a_run_reports_every_failure_class_and_other_tags_as_rows(tmp_path):
    cases = parse_eval_set("".join(json.dumps(row) + "\n" for row in ROWS), ".jsonl", "set.jsonl")
    records = [
        GeneratedAnswer(case=cases[0], answer=answered(cases[0], "8.0", "Sarah Yates", ["quoted guide#8.0: score 2.1"]), latency_ms=5),
        GeneratedAnswer(case=cases[1], answer=answered(cases[1], "8.0", "Sarah Yates", ["quoted guide#8.0: score 0.9"]), latency_ms=5),
        GeneratedAnswer(case=cases[2], answer=answered(cases[2], "3.3", "images from a copyrighted source", ["quoted guide#3.3"]),
                        latency_ms=5),
    ]
    scores = score_answers(records, SOURCES)
    files = RunFiles(tmp_path)
    write_report(files, scores, summarise(scores, "set.jsonl", "test", "now", 1.0))
    by_tag = read_summary(files).by_tag
    assert list(by_tag)[: len(FAILURE_CLASSES)] == list(FAILURE_CLASSES)
    assert by_tag["document_fact"]["hit_rate"] == 1.0 and by_tag["paraphrase"]["hit_rate"] == 0.0
    assert by_tag["near_domain"]["decline_accuracy"] == 0.0 and by_tag["scenario"]["questions"] == 1
    assert by_tag["quote_unit"]["questions"] == 0
    rows = list(csv.DictReader(io.StringIO(files.questions_csv.read_text())))
    assert rows[1]["tags"] == "paraphrase; scenario" and rows[1]["reasons"] == "quoted guide#8.0: score 0.9"
    markdown = files.report_md.read_text()
    assert "## Per tag" in markdown and "| document_fact | 1 | 100.0% |" in markdown
    assert "| photo | paraphrase, scenario |" in markdown and "quoted guide#8.0: score 0.9" in markdown
    assert "<h2>Per tag</h2>" in files.report_html.read_text()


@pytest.mark.parametrize("question, quote, answers", [
    ("When is the next full council meeting?", "Be mindful of how it may look if you are on your phone in a meeting.", False),
    ("When is the guidance due to be reviewed?", "February 2018", True),
    ("How long is it kept?", "Not to be destroyed until replaced by a new Guidance.", True),
    ("How many councillors are there?", "Members are responsible for their own pages.", False),
    ("How much will it cost?", "There are no financial implications.", True),
    ("What should I do when someone posts abuse?", "Remove them as soon as possible.", True),  # "when" as a conjunction
    ("what should i do when a troll posts", "Keep an eye out for obscene posts.", True),
    # a question opening with a "when" clause asks no time; one opening "when is / did / will…" does
    ("When I post on my own account at the weekend I'm just a normal person, surely?", "Keep your accounts separate.", True),
    ("So when does the guidance get reviewed?", "Keep your accounts separate.", False),
    ("when's the next review due", "Keep your accounts separate.", False),
    # the year in a law's name is not a date; a number naming a section, an Act or an address is not an amount
    ("When did the council adopt its code?", "Pursuant to section 27 of the Localism Act 2011, the Council has adopted this Code.", False),
    ("When did the council adopt its code?", "Adopted by the Council on 11th July 2012", True),
    ("What's the value over which I have to register a gift?",
     "Pursuant to section 27 of the Localism Act 2011, the Council has adopted this Code.", False),
    ("How much notice do we have to give?", "Write to Unit 10 New Bradwell Workspace, Milton Keynes, MK13 0BD.", False),
    ("What's the value over which I have to register a gift?", "any gift or hospitality over £50", True),
    ("How many councillors are there?", "Y:\\1.5 Corporate Communications\\Comms\\Social Media", False),  # a file's path
    ("How many councillors are there?", "Version 1.0, approved 6 September 2017", False),
    ("How many days do I have?", "within 28 days of 6 September", True),
    ("How many members must be present?", "a quorum of three members", True),
    ("How many members must be present?", "Any reference to candidates may be avoided.", False),
    # the thing asked for may be qualified ("the speed limit") or be a time or figure by name ("the deadline", "the quorum")
    ("What's the speed limit on the road through the village?", "Be mindful of how it may look.", False),
    ("What's the quorum for a parish council meeting?", "a quorum of three members", True),
    ("what's the current quorum for planning committee", "Members must declare interests at meetings.", False),
    ("whats the deadline for sending in objections", "Comments must be received within 21 days.", True),
    ("whats the deadline for sending in objections", "Send your objections to the clerk.", False),
    ("What are the opening hours of the library?", "The library is a council service.", False),
    ("What's the best way to deal with trolls?", "Block and report abusive accounts.", True),  # "way" is neither
    # money is answered by a sum, not by any figure
    ("What's the value over which I have to register a gift?", "register it within 28 days of receipt", False),
    ("How much can the parish council put the precept up by?", "within 5 working days", False),
    ("How much is the basic allowance this year?", "an allowance of £1,250 a year", True),
    ("What does hosting the website cost?", "The website is hosted by the clerk at no cost to the council.", True),
    ("Will adopting this cost the council anything?", "There are no financial implications.", True),  # not "how much"
    ("how much notice do we have to give?", "at least three clear days", True),  # notice is no money
    # contact details
    ("what's the Monitoring Officer's phone number", "the Monitoring Officer agrees it is a sensitive interest", False),
    ("Whats the email address for the ICT helpdesk", "Contact ictservicedesk@broxtowe.gov.uk or 0116 917 3194", True),
    ("what's the phone number for the service desk?", "Please call 0116 917 3194.", True),
    ("is sharing someone's mobile number online a problem?", "Do not publish personal information.", True),
    ("what are the risks of putting my phone number on facebook?", "Do not publish personal information.", True),
    ("What is the rule on sharing residents' email addresses?", "Do not publish personal information.", True),
    ("What is the best way to reply to an abusive email?", "Do not respond in anger.", True),
    ("what is the clerk's email?", "The clerk deals with complaints.", False),
])
def test_a_question_asking_for_a_time_contact_or_figure_needs_one_in_the_quote(question, quote, answers):
    assert has_answer_type(question, quote) is answers
