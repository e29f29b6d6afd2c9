"""The HTML eval report: every value in it is escaped, so a question, answer or reason containing markup
shows as text in an officer's browser and runs nothing."""

from __future__ import annotations

import json
import re

from guidance.evaluation.dataset import parse_eval_set
from guidance.evaluation.generate import GeneratedAnswer
from guidance.evaluation.metrics import score_answers
from guidance.evaluation.report import html_report, summarise
from guidance.models import Answer, Citation

SCRIPT = "<script>alert('report')</script>"
SOURCES = {"guide": "3.3 Copyright\nImages from a copyrighted source need permission."}


def test_markup_in_a_question_answer_or_reason_is_escaped_in_the_html_report():
    rows = [{"id": "hostile", "question": f"Can I post {SCRIPT} about a planning application?", "behaviour": "answer",
             "expected_sections": ["guide#8.0"], "tags": ["scenario"]}]
    [case] = parse_eval_set("".join(json.dumps(row) + "\n" for row in rows), ".jsonl", "set.jsonl")
    citation = Citation(doc_id="guide", doc_title="Guide", section="3.3", section_title="Copyright",
                        quote="Images from a copyrighted source need permission.")
    answer = Answer(question=case.question, status="answered", answer=f"Answer with <b>bold</b> & {SCRIPT}",
                    citations=[citation], reasons=[f"reason {SCRIPT}", "second reason"])
    scores = score_answers([GeneratedAnswer(case=case, answer=answer, latency_ms=5)], SOURCES)
    assert not scores[0].passed  # the failure rows show the question, answer and reasons

    report = html_report(scores, summarise(scores, f"set {SCRIPT}.jsonl", "test", "now", 1.0))
    assert "<script>" not in report and "<b>" not in report
    assert "Can I post &lt;script&gt;alert(&#39;report&#39;)&lt;/script&gt; about a planning application?" in report
    assert "Answer with &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in report
    assert "reason &lt;script&gt;alert(&#39;report&#39;)&lt;/script&gt;<br>second reason" in report
    assert "<title>Eval report: set &lt;script&gt;" in report
    assert re.search(r"<h2>Failures \(1\)</h2>", report) and report.count('src="data:image/png;base64,') == 2
