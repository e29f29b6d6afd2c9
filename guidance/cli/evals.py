"""``guidance eval``: run an eval set (generate → score → report), re-score an answers file, compare runs.

Exit codes: 0 every limit met, 1 a limit missed (each is printed), the index missing or the language model
set up wrongly, 2 a bad eval set, answers file, run folder or limit (the message says what is wrong, nothing is run).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from guidance.cli.errors import names_unexpected_errors, print_error
from guidance.cli.options import IndexDir

eval_app = typer.Typer(help="Officer evals: answer an eval set, score it, report, and compare runs.", no_args_is_help=True)
out = Console()
err = Console(stderr=True)

EXIT_LIMIT_MISSED = 1
EXIT_BAD_INPUT = 2

# Text, not a Path: typer reads --out "" as Path("."), and the run's files would be written loose where it was run.
OutDir = Annotated[Optional[str], typer.Option(
    "--out", metavar="DIR", help="New or empty run folder to write (default: eval-runs/<set>-<time>).")]
Minimums = Annotated[
    Optional[list[str]], typer.Option("--min", help="Fail unless metric >= value, e.g. --min hit_rate=0.9 (repeatable).")
]
Maximums = Annotated[
    Optional[list[str]], typer.Option("--max", help="Fail unless metric <= value, e.g. --max false_decline_rate=0.1 (repeatable).")
]


def _failed(error: Exception | str, code: int) -> typer.Exit:
    print_error(error)
    return typer.Exit(code)


def _bad_input(error: Exception) -> typer.Exit:
    return _failed(error, EXIT_BAD_INPUT)


def _limits(minimums: list[str] | None, maximums: list[str] | None) -> tuple[dict[str, float], dict[str, float]]:
    from guidance.evaluation.thresholds import ThresholdError, parse_limits

    try:
        return parse_limits(minimums or [], "--min"), parse_limits(maximums or [], "--max")
    except ThresholdError as error:
        raise _bad_input(error) from error


def _out_folder(out_dir: str | None, default: Callable[[], Path]) -> Path:
    if out_dir is None:
        return default()
    if not out_dir.strip():
        raise _bad_input(ValueError("--out is empty; give the name of a new or empty folder to write the run into."))
    return Path(out_dir)


def _open_index(settings, index_dir: Path | None):
    from ingest.index import IndexMissing, open_index

    try:
        return open_index(index_dir or settings.index_dir, settings.chroma_url)
    except IndexMissing as error:
        raise _failed(error, EXIT_LIMIT_MISSED) from error


def _open_assistant(settings, index_dir: Path | None):
    from guidance.answering.assistant import Assistant
    from guidance.backends import BackendConfigError
    from ingest.index import IndexMissing

    index = _open_index(settings, index_dir)
    try:
        return Assistant(index, settings.backend(), settings.embedder(), settings.corrections_file)
    except IndexMissing as error:
        raise _failed(error, EXIT_LIMIT_MISSED) from error
    except BackendConfigError as error:  # e.g. GUIDANCE_LLM set without GUIDANCE_LLM_MODEL: a bad setting, as in `ask`
        raise _failed(error, EXIT_BAD_INPUT) from error


def _finish(summary, folder: Path, minimums: dict[str, float], maximums: dict[str, float]) -> None:
    """Print the aggregate table and where the files are, then exit 1 if any limit is missed."""
    from guidance.evaluation.report import RunFiles, metric_rows
    from guidance.evaluation.thresholds import missed_limits

    table = Table(title=f"{summary.eval_set}: {summary.metrics['passed']}/{summary.metrics['questions']} passed")
    for column in ("Metric", "Value", "Definition"):
        table.add_column(column)
    for row in metric_rows(summary):
        table.add_row(*row)
    out.print(table)
    files = RunFiles(folder)
    out.print(f"Report: {files.report_html}\nPer question: {files.questions_csv}\nAggregate: {files.aggregate_json}", highlight=False)
    missed = missed_limits(summary.metrics, minimums, maximums)
    for line in missed:
        print_error(line, "Limit missed:")
    if missed:
        raise typer.Exit(EXIT_LIMIT_MISSED)


@eval_app.command()
@names_unexpected_errors
def run(
    ctx: typer.Context,
    eval_set: Annotated[Path, typer.Argument(metavar="SET", help="Eval set: .jsonl, .csv or .yaml.")],
    out_dir: OutDir = None,
    index_dir: IndexDir = None,
    minimum: Minimums = None,
    maximum: Maximums = None,
) -> None:
    """Answer every question in SET, then write answers, per-question CSV, aggregate JSON and HTML/Markdown reports."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from guidance.evaluation.dataset import EvalSetError, load_eval_set
    from guidance.evaluation.run import new_run_folder, run_eval
    from ingest.chroma_store import ChromaUnavailable

    minimums, maximums = _limits(minimum, maximum)
    folder = _out_folder(out_dir, lambda: new_run_folder(ctx.obj.eval_runs_dir, eval_set.name))
    try:
        cases = load_eval_set(eval_set, on_note=lambda note: err.print(f"{note}.", highlight=False))
    except EvalSetError as error:
        raise _bad_input(error) from error
    assistant = _open_assistant(ctx.obj, index_dir)
    columns = (TextColumn("Answering"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("answering", total=len(cases))
        try:
            _, summary = run_eval(
                cases, str(eval_set), assistant, "guidance assistant", assistant.index, folder, ctx.obj,
                on_answer=lambda _record: progress.advance(task),
            )
        except EvalSetError as error:
            raise _bad_input(error) from error
        except ChromaUnavailable as error:  # the index server went away: as `ask` says it, with what was lost
            raise _failed(f"The run stopped: {error} Nothing was saved; run the set again once the server is back.",
                          EXIT_LIMIT_MISSED) from error
    _finish(summary, folder, minimums, maximums)


@eval_app.command()
@names_unexpected_errors
def evaluate(
    ctx: typer.Context,
    answers: Annotated[Path, typer.Argument(help="answers.jsonl from an earlier run, or that run's folder.")],
    out_dir: OutDir = None,
    index_dir: IndexDir = None,
    minimum: Minimums = None,
    maximum: Maximums = None,
) -> None:
    """Re-score an answers file without answering again (e.g. after changing the expectations or metrics), into a
    new run folder, so the earlier run's own scores stay beside it for comparison."""
    from guidance.evaluation.dataset import EvalSetError
    from guidance.evaluation.generate import AnswersFileError
    from guidance.evaluation.report import RunFiles
    from guidance.evaluation.run import evaluate_answers_file, new_run_folder

    minimums, maximums = _limits(minimum, maximum)
    try:
        if answers.is_dir():
            answers = RunFiles(answers).answers
    except OSError as error:  # e.g. a name too long, which is_dir does not take as "no such folder"
        unreadable = AnswersFileError(f"{answers}: cannot read the answers file: {error.strerror or error}")
        raise _bad_input(unreadable) from error
    folder = _out_folder(out_dir, lambda: new_run_folder(ctx.obj.eval_runs_dir, f"{answers.parent.name}-rescored"))
    try:
        _, summary = evaluate_answers_file(answers, _open_index(ctx.obj, index_dir), folder)
    except (AnswersFileError, EvalSetError) as error:
        raise _bad_input(error) from error
    _finish(summary, folder, minimums, maximums)


@eval_app.command()
@names_unexpected_errors
def compare(
    run_a: Annotated[Path, typer.Argument(help="The earlier run folder.")],
    run_b: Annotated[Path, typer.Argument(help="The later run folder.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    """Show the change in every aggregate metric and each question that regressed or improved from RUN_A to RUN_B."""
    from guidance.evaluation.compare import RunFolderError, compare_runs
    from guidance.evaluation.report import shown

    try:
        comparison = compare_runs(run_a, run_b)
    except RunFolderError as error:
        raise _bad_input(error) from error
    for warning in comparison.warnings:  # on stderr, so that --json output stays one JSON document
        print_error(warning, "Warning:")
    if json_output:
        typer.echo(comparison.model_dump_json(indent=2))
        return
    table = Table(title=f"{run_a} → {run_b}")
    for column in ("Metric", "A", "B", "Change", ""):
        table.add_column(column)
    for change in comparison.metrics:
        table.add_row(change.name, shown(change.name, change.before), shown(change.name, change.after), change.delta_shown,
                      change.verdict)
    out.print(table)
    for title, changes in (("Regressions", comparison.regressions), ("Improvements", comparison.improvements)):
        out.print(f"\n{title} ({len(changes)})", style="bold", highlight=False)
        for c in changes:
            out.print(f"  {c.id}: {c.question}\n    before: {c.failed_checks_before or 'passed'}\n    after:  {c.failed_checks_after or 'passed'}", highlight=False)
    for title, ids in (("Only in A", comparison.only_in_a), ("Only in B", comparison.only_in_b)):
        if ids:
            out.print(f"\n{title}: {', '.join(ids)}", highlight=False)
