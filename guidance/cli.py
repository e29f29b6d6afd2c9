"""CLI: ``guidance ingest`` builds the index; ``guidance ask`` answers, as text or as JSON lines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from guidance import config
from guidance.corrections_cli import correct, corrections_app
from guidance.evaluation.cli import eval_app

app = typer.Typer(help="Member Guidance Assistant: answers from the council's guidance, with citations.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(corrections_app, name="corrections")
app.command()(correct)
err = Console(stderr=True)

IndexDirOption = Annotated[
    Optional[Path],
    typer.Option("--index-dir", help="Index folder (default: $GUIDANCE_INDEX_DIR or .index/ in the repo)."),
]

EXIT_SOME_SKIPPED = 3


@app.command()
def ingest(
    corpus_dir: Annotated[Optional[Path], typer.Argument(help="Corpus folder (default: $GUIDANCE_CORPUS_DIR or corpus/).")] = None,
    index_dir: IndexDirOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the ingest report as JSON.")] = False,
) -> None:
    """Read every document in the corpus folder and build a new index, then switch to it.

    Exits 0 when every file was ingested, 3 when some files were skipped (each is named with the reason),
    and 1 when nothing could be ingested (the previous index keeps answering).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    from ingest.chroma_store import BadChromaUrl, ChromaUnavailable
    from ingest.index import IngestInProgress
    from ingest.load import UnreadableFile
    from ingest.pipeline import NothingToIngest, ingest_corpus

    corpus = config.corpus_dir(corpus_dir)
    index = config.index_dir(index_dir)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(f"Reading {corpus}", total=None)
        try:
            report = ingest_corpus(
                corpus,
                index,
                on_file=lambda path: progress.update(task, description=f"Reading {path.name}"),
                on_progress=lambda what, done, total: progress.update(task, description=what, completed=done, total=total),
            )
        except (NothingToIngest, IngestInProgress, UnreadableFile, ChromaUnavailable, BadChromaUrl) as error:
            err.print(f"[red]Ingest failed:[/red] {error}")
            raise typer.Exit(1) from error
    if json_output:
        typer.echo(report.model_dump_json(indent=2))
    else:
        err.print(
            f"Indexed {len(report.documents)} documents ({', '.join(report.documents)}): {report.sections} sections, "
            f"{report.chunks} chunks in {report.seconds:.1f}s → {report.index_dir}"
        )
        err.print(
            f"Sections added {len(report.added)}, changed {len(report.changed)}, removed {len(report.removed)}, "
            f"unchanged {len(report.unchanged)}; chunks embedded {report.embedded_chunks}."
        )
        if report.added or report.changed or report.removed:
            err.print("Run `guidance changes` to see which eval questions cite the sections that changed.")
    for skipped in report.skipped:
        err.print(f"[yellow]Skipped {skipped.file}:[/yellow] {skipped.reason}")
    if report.skipped:
        raise typer.Exit(EXIT_SOME_SKIPPED)


@app.command()
def changes(
    index_dir: IndexDirOption = None,
    evals_dir: Annotated[Optional[Path], typer.Option("--evals-dir", help="Eval question sets (default: evals/).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the changes as JSON.")] = False,
) -> None:
    """List the sections the last ingest added, changed or removed, and the eval questions that cite them."""
    import json

    from guidance.corrections_cli import flagged_corrections, flagged_line
    from ingest.changes import questions_citing, read_changes
    from ingest.index import current_build, open_index

    build = current_build(config.index_dir(index_dir))
    found = read_changes(build) if build else None
    if found is None:
        err.print("[red]No ingest report in this index; run `guidance ingest` first.[/red]")
        raise typer.Exit(1)
    citing = questions_citing(found.touched, evals_dir or config.REPO_ROOT / "evals")
    flagged = flagged_corrections(open_index(config.index_dir(index_dir)))
    if json_output:
        typer.echo(json.dumps({**found.model_dump(), "questions": citing, "corrections": flagged}, indent=2))
        return
    typer.echo(f"Compared with build {found.previous_build or '(none: first ingest)'}; "
               f"{len(found.unchanged)} sections unchanged.")
    for kind in ("added", "changed", "removed"):
        for section in getattr(found, kind):
            questions = ", ".join(citing[section]) or "no eval question cites it"
            typer.echo(f"{kind:8} {section}  ← {questions}")
    for flag in flagged:
        typer.echo(flagged_line(flag))


def _print_answer(answer) -> None:
    console = Console()
    style = {"answered": "green", "not_covered": "yellow", "declined": "red"}[answer.status]
    console.print(f"[{style}]{answer.status.replace('_', ' ')}[/{style}]", highlight=False)
    console.print(answer.answer, markup=False, highlight=False)
    if answer.mode != "extractive":
        console.print(f"[dim]{answer.mode.replace('_', ' ')} · {answer.backend}[/dim]", highlight=False)


def _streamed_answer(assistant, question: str):
    """Shows a language model's unchecked draft on stderr as it arrives; returns the checked answer."""
    if not assistant.generative:  # nothing to stream, and this spares a cold start importing the LLM chain
        return assistant.ask(question)
    stream = assistant.stream(question)
    err.print("[dim]Draft from the language model, being checked:[/dim]")
    for chunk in stream:
        err.print(chunk, end="", style="dim", markup=False, highlight=False)
    err.print()
    return stream.answer


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, or - to read one question per line from stdin.")],
    index_dir: IndexDirOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object per answer.")] = False,
    llm: Annotated[Optional[str], typer.Option(
        "--llm", help="Answer with a language model: extractive (default, none), openai, ollama or llamacpp. [env: GUIDANCE_LLM]")] = None,
    llm_url: Annotated[Optional[str], typer.Option(
        "--llm-url", help="The model server's base URL, e.g. http://127.0.0.1:8080/v1. [env: GUIDANCE_LLM_URL]")] = None,
    llm_model: Annotated[Optional[str], typer.Option(
        "--llm-model", help="The model's name, or the .gguf file for llamacpp. [env: GUIDANCE_LLM_MODEL]")] = None,
) -> None:
    """Answer a question from the indexed guidance, quoting and citing the sections it rests on.

    With --llm, a language model writes the answer; every citation and quotation in it is checked
    against the guidance, and the extractive answer is given instead when the model fails.
    """
    from guidance.assistant import Assistant
    from guidance.backends import BackendConfigError, BackendSettings
    from ingest.chroma_store import BadChromaUrl, ChromaUnavailable
    from ingest.index import IndexMissing

    try:
        assistant = Assistant.open(index_dir, BackendSettings.from_env(llm, llm_url, llm_model))
    except (IndexMissing, BackendConfigError) as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    questions = (line.rstrip("\n") for line in sys.stdin) if question == "-" else iter([question])
    unanswered = 0
    for text in questions:
        if question == "-" and not text.strip():
            continue
        try:
            if json_output:
                typer.echo(assistant.ask(text).model_dump_json())
                sys.stdout.flush()
            else:
                _print_answer(_streamed_answer(assistant, text))
        except BadChromaUrl as error:
            err.print(f"[red]{error}[/red]")
            raise typer.Exit(1) from error
        except ChromaUnavailable as error:  # the next question tries the server again
            unanswered += 1
            err.print(f"[red]Not answered: {error}[/red]", highlight=False)
    if unanswered:
        raise typer.Exit(1)


@app.command()
def calibrate(
    question_set: Annotated[Path, typer.Argument(help="A JSONL question set (use evals/calibration.jsonl, not the starter set).")],
    index_dir: IndexDirOption = None,
) -> None:
    """Search the answerer's scoring weights and coverage threshold on a question set and print the best."""
    from guidance.assistant import Assistant
    from guidance.calibrate import calibrate as run_calibration
    from guidance.calibrate import load_cases
    from guidance.evaluation.dataset import EvalSetError

    assistant = Assistant.open(index_dir)
    try:
        cases = load_cases(question_set, assistant)
    except EvalSetError as error:
        err.print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(2) from error
    result = run_calibration(assistant, cases)
    typer.echo(
        f"balanced accuracy {result.balanced_accuracy:.0%} (answer questions hit {result.answer_hit_rate:.0%}, "
        f"decline questions declined {result.decline_rate:.0%}) with {result.settings}"
    )


if __name__ == "__main__":
    app()
