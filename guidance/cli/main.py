"""CLI: ``guidance ingest`` builds the index; ``guidance ask`` answers, as text or as JSON lines."""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from guidance.cli.errors import describe, names_unexpected_errors, print_error, set_debug
from guidance.cli.options import IndexDir
from guidance.config import EVALS_DIR
from guidance.cli.calibrate import calibrate
from guidance.cli.corrections import correct, corrections_app
from guidance.cli.evals import eval_app
from ingest.encoding import TextLine

if TYPE_CHECKING:
    from guidance.backends import BackendSettings
    from guidance.settings import Settings

app = typer.Typer(help="Member Guidance Assistant: answers from the council's guidance, with citations.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
app.add_typer(corrections_app, name="corrections")
app.command()(correct)
app.command()(calibrate)
err = Console(stderr=True)
log = logging.getLogger(__name__)


EXIT_SOME_SKIPPED = 3
EXIT_BAD_SETTING = 2


@app.callback()
def read_settings(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show the traceback of an unexpected error, and the logs.")] = False,
) -> None:
    """Read the settings once, for every command (``ctx.obj``); a bad value is named and nothing runs."""
    from guidance.settings import SettingsError, load_settings

    set_debug(debug)
    try:
        ctx.obj = load_settings()
    except SettingsError as error:
        print_error(error)
        raise typer.Exit(EXIT_BAD_SETTING) from error


@app.command()
@names_unexpected_errors
def ingest(
    ctx: typer.Context,
    corpus_dir: Annotated[Optional[Path], typer.Argument(help="Corpus folder (default: $GUIDANCE_CORPUS_DIR or corpus/).")] = None,
    index_dir: IndexDir = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the ingest report as JSON.")] = False,
) -> None:
    """Read every document in the corpus folder and build a new index, then switch to it.

    Exits 0 when every file was ingested, 3 when some files or manifest entries were skipped (each is named with
    the reason), and 1 when nothing could be ingested (the previous index keeps answering).
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    from ingest.chroma_store import BadChromaUrl, ChromaUnavailable
    from ingest.builds import IngestInProgress, UnusableIndexFolder
    from ingest.load import UnreadableFile
    from ingest.index import recorded_server
    from ingest.pipeline import NothingToIngest, ingest_corpus

    corpus, index = corpus_dir or ctx.obj.corpus_dir, index_dir or ctx.obj.index_dir
    server_before = recorded_server(index)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    embedder = ctx.obj.embedder()
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(f"Reading {corpus}", total=None)
        try:
            report = ingest_corpus(
                corpus,
                index,
                embedder.embed,
                on_file=lambda path: progress.update(task, description=f"Reading {path.name}"),
                on_progress=lambda what, done, total: progress.update(task, description=what, completed=done, total=total),
                chroma_url=ctx.obj.chroma_url,
                embedding_model=embedder.label,
            )
        except (NothingToIngest, IngestInProgress, UnusableIndexFolder, UnreadableFile, ChromaUnavailable, BadChromaUrl) as error:
            print_error(error, "Ingest failed:")
            raise typer.Exit(1) from error
    if json_output:
        typer.echo(report.model_dump_json(indent=2))
    else:
        err.print(
            f"Indexed {len(report.documents)} documents ({', '.join(report.documents)}): {report.sections} sections, "
            f"{report.chunks} chunks in {report.seconds:.1f}s → {report.index_dir}", markup=False
        )
        err.print(
            f"Sections added {len(report.added)}, changed {len(report.changed)}, removed {len(report.removed)}, "
            f"unchanged {len(report.unchanged)}; chunks embedded {report.embedded_chunks}."
        )
        if report.added or report.changed or report.removed:
            err.print("Run `guidance changes` to see which eval questions cite the sections that changed.")
    if server_before and not ctx.obj.chroma_url:  # app instances reading the server would not find this build there
        err.print(f"[yellow]Note:[/yellow] the previous build's vectors were on the Chroma server {escape(server_before)}; "
                  "this one's are in the index folder, as GUIDANCE_CHROMA_URL is not set. Set it and ingest again to "
                  "keep them on the server.")
    for skipped in report.skipped:
        err.print(f"[yellow]Skipped {escape(skipped.file)}:[/yellow] {escape(skipped.reason)}")  # "[draft] minutes.txt"
    if report.skipped:
        raise typer.Exit(EXIT_SOME_SKIPPED)


@app.command()
@names_unexpected_errors
def changes(
    ctx: typer.Context,
    index_dir: IndexDir = None,
    evals_dir: Annotated[Optional[Path], typer.Option("--evals-dir", help="Eval question sets (default: evals/).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the changes as JSON.")] = False,
) -> None:
    """List the sections the last ingest added, changed or removed, and the eval questions that cite them."""
    import json

    from guidance.cli.corrections import flagged_corrections, flagged_line
    from guidance.evaluation.dataset import questions_citing
    from ingest.changes import read_changes
    from ingest.index import IndexMissing, current_build, open_index

    build = current_build(index_dir or ctx.obj.index_dir)
    try:
        found = read_changes(build) if build else None
    except (OSError, ValueError) as error:
        err.print(f"[red]The ingest report in {build} cannot be read ({escape(describe(error))}); "
                  "run `guidance ingest` again.[/red]", highlight=False)
        raise typer.Exit(1) from error
    if found is None:
        err.print("[red]No ingest report in this index; run `guidance ingest` first.[/red]")
        raise typer.Exit(1)
    citing, unread_sets = questions_citing(found.touched, evals_dir or EVALS_DIR)
    for problem in unread_sets:
        print_error(problem, "Eval set left out:")
    try:
        index = open_index(index_dir or ctx.obj.index_dir, ctx.obj.chroma_url)
    except IndexMissing as error:
        print_error(error)
        raise typer.Exit(1) from error
    flagged = flagged_corrections(index, ctx.obj.corrections_file)
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
    console.print(answer.answer, markup=False, highlight=False, emoji=False)  # a quote's ":x:" stays as written
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
@names_unexpected_errors
def ask(
    ctx: typer.Context,
    question: Annotated[str, typer.Argument(help="The question, or - to read one question per line from stdin.")],
    index_dir: IndexDir = None,
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
    from ingest.index import collector_paused

    # One question, and the process ends, freeing what it made; the cyclic collector's full passes over the half a
    # million objects the model's libraries and the index make would cost 0.3 s of it at 50k chunks.
    with collector_paused() if question != "-" else nullcontext():
        _answer_questions(question, index_dir, json_output, ctx.obj.backend(llm, llm_url, llm_model), ctx.obj)


def _answer_questions(question: str, index_dir: Path | None, json_output: bool, backend: BackendSettings,
                      settings: Settings) -> None:
    from guidance.answering.assistant import Assistant
    from guidance.backends import BackendConfigError
    from ingest.chroma_store import BadChromaUrl, ChromaUnavailable
    from ingest.index import IndexMissing

    try:
        assistant = Assistant.open(settings, index_dir, backend)
    except IndexMissing as error:
        print_error(error)
        raise typer.Exit(1) from error
    except BackendConfigError as error:  # a setting the officer must change, as for any other bad setting
        print_error(error)
        raise typer.Exit(EXIT_BAD_SETTING) from error
    # The index's records live as long as this process: moved out of the collector's sight, they are not walked
    # again by every full collection a batch's answers set off.
    gc.freeze()
    unanswered = asked = 0
    for line in _questions(question):
        asked += 1
        try:
            if line.problem:
                raise UnreadableQuestion(line.problem)
            if json_output:
                typer.echo(assistant.ask(line.text).model_dump_json())
                sys.stdout.flush()
            else:
                _print_answer(_streamed_answer(assistant, line.text))
        except BadChromaUrl as error:
            print_error(error)
            raise typer.Exit(1) from error
        except (ChromaUnavailable, UnreadableQuestion) as error:  # the next line is tried (the server may be back)
            unanswered += 1
            _not_answered(line, str(error), question == "-", json_output)
        except Exception as error:  # noqa: BLE001 (one question's failure must not cost the rest of a batch)
            unanswered += 1
            log.info("Answering line %d failed", line.number, exc_info=True)
            _not_answered(line, f"unexpected error ({describe(error)}); please report it", question == "-", json_output)
    if not asked:  # "-" with nothing piped in: say so rather than print nothing
        print_error("No questions on standard input: give one per line, e.g. guidance ask - < questions.txt")
        raise typer.Exit(1)
    if unanswered:
        raise typer.Exit(1)


class UnreadableQuestion(ValueError):
    """A line of a batch that is not text (binary, or in no encoding that could be recognised)."""


def _questions(question: str) -> Iterator[TextLine]:
    """The question given, or with ``-`` each non-blank line of stdin as it arrives, decoded whatever tool saved it;
    which encoding was assumed for lines that were not UTF-8 is said at the end."""
    from ingest.encoding import UndecodableText, decode_bytes, lines_note, read_lines

    try:
        if question != "-":  # an argument in another encoding reaches Python as surrogates; fsencode undoes that
            if any(ord(character) < 32 and character not in "\t\n\r" for character in question):
                raise UndecodableText("it contains control characters (a terminal colour code, say); type it again")
            yield TextLine(1, decode_bytes(os.fsencode(question)).text)
            return
        read = []
        for line in read_lines(sys.stdin.buffer):
            read.append(line)
            if line.text.strip() or line.problem:
                yield line
    except UndecodableText as error:
        where = "The questions on standard input" if question == "-" else "The question"
        print_error(f"{where} cannot be read: {error}.")
        raise typer.Exit(1) from error
    if note := lines_note(read):
        err.print(f"Questions: {note}.", highlight=False)


def _not_answered(line: TextLine, reason: str, batch: bool, json_output: bool) -> None:
    where = f"line {line.number}: " if batch else ""
    if json_output:  # a record in the place of the answer, so a batch's output still lines up with its input
        typer.echo(json.dumps({"line": line.number, "question": line.text, "status": "error", "error": reason}))
        sys.stdout.flush()
    err.print(f"[red]Not answered: {where}{escape(reason)}[/red]", highlight=False)

