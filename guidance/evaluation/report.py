"""Report: write a scored run to its folder as a per-question CSV, an aggregate JSON, and a
self-contained HTML report (charts embedded as PNG data, from a template) with a Markdown twin.

Run folder layout (``RunFiles``): answers.jsonl, questions.csv, aggregate.json, report.html, report.md.
"""

from __future__ import annotations

import base64
import csv
import io
from pathlib import Path

from pydantic import BaseModel

from guidance.evaluation.metrics import (
    METRIC_BY_NAME,
    METRICS,
    QuestionScore,
    aggregate,
    aggregate_by_tag,
    hit_rate_by_section,
)
from guidance.evaluation.spreadsheet import safe_row
from guidance.templates import render

CSV_COLUMNS = [*QuestionScore.model_fields, "passed"]


class RunFiles:
    """The files of one run folder."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.answers = self.folder / "answers.jsonl"
        self.questions_csv = self.folder / "questions.csv"
        self.aggregate_json = self.folder / "aggregate.json"
        self.report_html = self.folder / "report.html"
        self.report_md = self.folder / "report.md"


class RunSummary(BaseModel):
    """What ``aggregate.json`` holds: where the run came from, its aggregate metrics, hit rate per section."""

    eval_set: str
    answerer: str
    created: str
    seconds: float | None = None
    metrics: dict[str, float | int | None]
    hit_rate_by_section: dict[str, float]
    by_tag: dict[str, dict[str, float | int | None]] = {}


def summarise(scores: list[QuestionScore], eval_set: str, answerer: str, created: str, seconds: float | None) -> RunSummary:
    return RunSummary(
        eval_set=eval_set, answerer=answerer, created=created, seconds=seconds,
        metrics=aggregate(scores), hit_rate_by_section=hit_rate_by_section(scores), by_tag=aggregate_by_tag(scores),
    )


def write_report(files: RunFiles, scores: list[QuestionScore], summary: RunSummary) -> None:
    files.folder.mkdir(parents=True, exist_ok=True)
    files.questions_csv.write_text(questions_csv(scores), encoding="utf-8")
    files.aggregate_json.write_text(summary.model_dump_json(indent=2), encoding="utf-8")
    files.report_md.write_text(markdown_report(scores, summary), encoding="utf-8")
    files.report_html.write_text(html_report(scores, summary), encoding="utf-8")


def read_summary(files: RunFiles) -> RunSummary:
    return RunSummary.model_validate_json(files.aggregate_json.read_text(encoding="utf-8"))


def questions_csv(scores: list[QuestionScore]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for score in scores:
        row = score.model_dump()
        row["passed"] = score.passed
        writer.writerow(safe_row({key: "; ".join(value) if isinstance(value, list) else value for key, value in row.items()}))
    return out.getvalue()


def shown(name: str, value) -> str:
    """A metric value as people read it: rates as percentages, times and lengths as plain numbers."""
    if value is None:
        return "n/a"
    metric = METRIC_BY_NAME.get(name)
    return f"{value:.1%}" if metric and metric.is_rate else f"{value:.1f}"


def metric_rows(summary: RunSummary) -> list[tuple[str, str, str]]:
    return [(m.name, shown(m.name, summary.metrics.get(m.name)), m.definition) for m in METRICS]


TAG_METRICS = ("hit_rate", "must_mention_pass_rate", "citation_precision", "decline_accuracy", "false_decline_rate",
               "answered_words_median")


def tag_rows(summary: RunSummary) -> list[list[str]]:
    """One row per tag: its question count, pass rate and the figures that tell where a class fails."""
    return [
        [tag, str(metrics["questions"]), shown("pass_rate", metrics["pass_rate"]),
         *(shown(name, metrics.get(name)) for name in TAG_METRICS)]  # a run saved before a metric existed lacks it
        for tag, metrics in summary.by_tag.items()
    ]


TAG_HEADINGS = ["Tag", "Questions", "pass_rate", *TAG_METRICS]


def failures(scores: list[QuestionScore]) -> list[QuestionScore]:
    return [score for score in scores if not score.passed]


def _counts_line(summary: RunSummary) -> str:
    m = summary.metrics
    timing = f"; answering took {summary.seconds:.1f} s" if summary.seconds is not None else ""
    return (
        f"{m['questions']} questions ({m['answer_questions']} to answer, {m['decline_questions']} to decline), "
        f"{m['passed']} passed. Answerer: {summary.answerer}. Run {summary.created}{timing}."
    )


def markdown_report(scores: list[QuestionScore], summary: RunSummary) -> str:
    cell = lambda text: str(text).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = [f"# Eval report: {summary.eval_set}", "", _counts_line(summary), "", "| Metric | Value | Definition |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {definition} |" for name, value, definition in metric_rows(summary)]
    lines += ["", "## Per tag", "", "| " + " | ".join(TAG_HEADINGS) + " |", "|" + "---|" * len(TAG_HEADINGS)]
    lines += ["| " + " | ".join(cell(value) for value in row) + " |" for row in tag_rows(summary)]
    lines += ["", "## Hit rate per expected section", "", "| Section | Hit rate |", "|---|---|"]
    lines += [f"| {cell(section)} | {rate:.0%} |" for section, rate in summary.hit_rate_by_section.items()]
    lines += ["", f"## Failures ({len(failures(scores))})", "", "| Id | Tags | Question | Status | Cited | Expected | Failed checks | Why |", "|---|---|---|---|---|---|---|---|"]
    lines += [
        f"| {cell(s.id)} | {cell(', '.join(s.tags))} | {cell(s.question)} | {s.status} | {cell(', '.join(s.cited_sections))} | "
        f"{cell(', '.join(s.expected_sections))} | {cell('; '.join(s.failed_checks))} | {cell('; '.join(s.reasons))} |"
        for s in failures(scores)
    ]
    return "\n".join(lines) + "\n"


def hit_rate_chart(summary: RunSummary) -> bytes:
    from matplotlib.figure import Figure

    sections = list(summary.hit_rate_by_section)
    figure = Figure(figsize=(7, 0.3 * len(sections) + 1.2))
    axes = figure.add_subplot()
    axes.barh(sections, [summary.hit_rate_by_section[s] for s in sections], color="#1d70b8")
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.set_xlabel("hit rate of the questions that expect the section")
    axes.set_title("Hit rate per expected section")
    return _png(figure)


def latency_chart(scores: list[QuestionScore]) -> bytes:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3))
    axes = figure.add_subplot()
    axes.hist([s.latency_ms for s in scores], bins=20, color="#00703c")
    axes.set_xlabel("milliseconds to answer")
    axes.set_ylabel("questions")
    axes.set_title("Latency distribution")
    return _png(figure)


def _png(figure) -> bytes:
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96)
    return buffer.getvalue()


def html_report(scores: list[QuestionScore], summary: RunSummary) -> str:
    """The report as one self-contained HTML page (``guidance/templates/eval_report.html``, autoescaped)."""
    charts = [(alt, base64.b64encode(png).decode()) for alt, png in
              (("Hit rate per expected section", hit_rate_chart(summary)), ("Latency distribution", latency_chart(scores)))]
    return render("eval_report.html", summary=summary, counts_line=_counts_line(summary), metric_rows=metric_rows(summary),
                  tag_headings=TAG_HEADINGS, tag_rows=tag_rows(summary), charts=charts, failures=failures(scores))
