"""``guidance correct`` and ``guidance corrections``: officers fix which section answers a question, list the
fixes with their standing against the current documents, re-confirm, remove, and export them as eval cases.

Exit codes: 0 done, 1 the index is missing, 2 the correction or the file was refused (the message says why).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from guidance.cli.errors import names_unexpected_errors, print_error
from guidance.cli.options import IndexDir

corrections_app = typer.Typer(help="Officers' corrections: list, re-confirm, remove, export as eval cases.",
                              invoke_without_command=True)
EXIT_REFUSED = 2

CorrectionsFile = Annotated[Optional[Path], typer.Option(
    "--corrections-file", help="Corrections file (default: $GUIDANCE_CORRECTIONS_FILE, else corrections.yaml in the indexed corpus folder).")]


def _book(settings, index_dir: Path | None, corrections_file: Path | None):
    """The corrections of the index (flag, else the settings'), in the file given (flag, else the settings', else the corpus's)."""
    from guidance.corrections.store import CorrectionBook, corrections_path
    from ingest.index import IndexMissing, open_index

    try:
        index = open_index(index_dir or settings.index_dir, settings.chroma_url)
    except IndexMissing as error:
        print_error(error)
        raise typer.Exit(1) from error
    return CorrectionBook(index, corrections_path(index, corrections_file or settings.corrections_file))


def _refused(error: Exception | str) -> typer.Exit:
    print_error(error, "Refused:")
    return typer.Exit(EXIT_REFUSED)


@names_unexpected_errors
def correct(
    context: typer.Context,
    question: Annotated[str, typer.Argument(help="The question, as a member asked it.")],
    cite: Annotated[str, typer.Option("--cite", help="The section that answers it, e.g. social-media-guidance#3.3.")],
    officer: Annotated[str, typer.Option("--officer", help="Your name, recorded with the correction.")],
    quote: Annotated[Optional[str], typer.Option("--quote", help="The sentence to quote, verbatim from that section.")] = None,
    note: Annotated[str, typer.Option("--note", help="Why, for the officers who review corrections.")] = "",
    index_dir: IndexDir = None,
    corrections_file: CorrectionsFile = None,
) -> None:
    """Record that QUESTION (and questions asking the same thing) is answered by the section given with --cite."""
    from guidance.corrections.store import CorrectionError

    book = _book(context.obj, index_dir, corrections_file)
    try:
        made = book.add(question, cite, quote, note, officer)
    except CorrectionError as error:
        raise _refused(error) from error
    typer.echo(f"Saved correction {made.id}: “{made.question}” → {made.section} (in {book.path}).")


@corrections_app.callback()
@names_unexpected_errors
def list_corrections(
    context: typer.Context,
    index_dir: IndexDir = None,
    corrections_file: CorrectionsFile = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the corrections as JSON lines.")] = False,
) -> None:
    """List the corrections, each with its standing: current, changed (applied, re-check it) or gone (not applied)."""
    import json

    from guidance.corrections.store import CorrectionError

    context.obj = (context.obj, index_dir, corrections_file)  # the settings the main command read, and the flags
    if context.invoked_subcommand:
        return
    book = _book(*context.obj)
    try:
        statuses = book.statuses()
    except CorrectionError as error:
        raise _refused(error) from error
    if not statuses:
        typer.echo(f"No corrections in {book.path}.")
    for status in statuses:
        c = status.correction
        if json_output:
            typer.echo(json.dumps({**c.model_dump(), "state": status.state, "reason": status.reason}, ensure_ascii=False))
            continue
        why = f" ({status.reason}{'; not applied' if not status.applies else ''})" if status.reason else ""
        typer.echo(f"{c.id}  {status.state:7} “{c.question}” → {c.section}{why}  [{c.officer}, {c.created[:10]}]")


def _change(context: typer.Context, correction_id: str, confirm: bool) -> None:
    from guidance.corrections.store import CorrectionError

    book = _book(*context.obj)
    try:
        changed = book.confirm(correction_id) if confirm else book.remove(correction_id)
    except CorrectionError as error:
        raise _refused(error) from error
    typer.echo(f"{'Re-confirmed' if confirm else 'Removed'} correction {changed.id}: “{changed.question}” → {changed.section}.")


@corrections_app.command()
@names_unexpected_errors
def remove(context: typer.Context, correction_id: Annotated[str, typer.Argument(help="The correction's id.")]) -> None:
    """Remove a correction; answers go back to what retrieval finds."""
    _change(context, correction_id, confirm=False)


@corrections_app.command()
@names_unexpected_errors
def confirm(context: typer.Context, correction_id: Annotated[str, typer.Argument(help="The correction's id.")]) -> None:
    """Re-confirm a flagged correction against the documents as they are now."""
    _change(context, correction_id, confirm=True)


@corrections_app.command()
@names_unexpected_errors
def export(
    context: typer.Context,
    out: Annotated[Path, typer.Argument(help="Eval set to write: a .jsonl or .csv file.")],
    replace: Annotated[bool, typer.Option("--replace", help="Overwrite OUT if it exists.")] = False,
) -> None:
    """Write every correction as an eval case (expected_sections from the correction), to run with `guidance eval run`."""
    from guidance.corrections.store import CorrectionError
    from guidance.evaluation.correction_cases import cases_text
    from guidance.files import replace_text

    if out.exists() and not replace:  # an officers' eval set (the quality gate, say) is not lost to a typo
        raise _refused(f"{out} already exists; give another file, or --replace to overwrite it.")
    book = _book(*context.obj)
    try:
        statuses = book.statuses()
        corrections = [s.correction for s in statuses if s.applies]  # a gone section would make the set unrunnable
        replace_text(out, cases_text(corrections, out.suffix.lower()))
    except (CorrectionError, ValueError) as error:
        raise _refused(error) from error
    except OSError as error:  # no such folder, a folder of that name, a full disk
        raise _refused(f"{out} cannot be written ({error.strerror or error}); nothing was written.") from error
    left_out = len(statuses) - len(corrections)
    typer.echo(f"Wrote {len(corrections)} eval cases to {out}"
               + (f"; left out {left_out} not applied (see `guidance corrections`)." if left_out else "."))


def flagged_corrections(index, corrections_file: Path | None = None) -> list[dict]:
    """For ``guidance changes``: the corrections the documents as indexed now leave changed or gone."""
    from guidance.corrections.store import CorrectionBook, CorrectionError, corrections_path

    try:
        statuses = CorrectionBook(index, corrections_path(index, corrections_file)).statuses()
    except CorrectionError as error:
        return [{"id": None, "state": "unreadable", "reason": str(error), "applied": False}]
    return [{"id": s.correction.id, "question": s.correction.question, "state": s.state, "reason": s.reason, "applied": s.applies}
            for s in statuses if s.state != "current"]


def flagged_line(flag: dict) -> str:
    if flag["state"] == "unreadable":
        return f"corrections not applied: {flag['reason']}"
    consequence = "" if flag["applied"] else "; not applied until an officer re-confirms or removes it"
    return f"correction {flag['id']} {flag['state']}: {flag['reason']}{consequence}"
