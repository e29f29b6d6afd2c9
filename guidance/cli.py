"""CLI: ``guidance ingest`` builds the index; ``guidance ask`` answers, as text or as JSON lines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from guidance import config
from guidance.evaluation.cli import eval_app

app = typer.Typer(help="Member Guidance Assistant: answers from the council's guidance, with citations.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
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
    from rich.progress import Progress, SpinnerColumn, TextColumn

    from ingest.index import IngestInProgress
    from ingest.load import UnreadableFile
    from ingest.pipeline import NothingToIngest, ingest_corpus

    corpus = config.corpus_dir(corpus_dir)
    index = config.index_dir(index_dir)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err, transient=True) as progress:
        task = progress.add_task(f"Reading {corpus}", total=None)
        try:
            report = ingest_corpus(
                corpus, index, on_file=lambda path: progress.update(task, description=f"Reading {path.name}")
            )
        except (NothingToIngest, IngestInProgress, UnreadableFile) as error:
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
    for skipped in report.skipped:
        err.print(f"[yellow]Skipped {skipped.file}:[/yellow] {skipped.reason}")
    if report.skipped:
        raise typer.Exit(EXIT_SOME_SKIPPED)


def _print_answer(answer) -> None:
    console = Console()
    style = {"answered": "green", "not_covered": "yellow", "declined": "red"}[answer.status]
    console.print(f"[{style}]{answer.status.replace('_', ' ')}[/{style}]", highlight=False)
    console.print(answer.answer, markup=False, highlight=False)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, or - to read one question per line from stdin.")],
    index_dir: IndexDirOption = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object per answer.")] = False,
) -> None:
    """Answer a question from the indexed guidance, quoting and citing the sections it rests on."""
    from guidance.assistant import Assistant
    from ingest.index import IndexMissing

    try:
        assistant = Assistant.open(index_dir)
    except IndexMissing as error:
        err.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    questions = (line.rstrip("\n") for line in sys.stdin) if question == "-" else iter([question])
    for text in questions:
        if question == "-" and not text.strip():
            continue
        answer = assistant.ask(text)
        if json_output:
            typer.echo(answer.model_dump_json())
            sys.stdout.flush()
        else:
            _print_answer(answer)


if __name__ == "__main__":
    app()
