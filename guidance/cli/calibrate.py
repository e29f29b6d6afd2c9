"""``guidance calibrate``: choose the extractive answerer's weights and "not covered" threshold on calibration
sets (``guidance.evaluation.calibrate``) and write them to the file answering loads.

Exit codes: 0 written, 1 an index is missing, 2 a set or the options were refused (the message says why).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from guidance.cli.errors import names_unexpected_errors, print_error

err = Console(stderr=True)


@names_unexpected_errors
def calibrate(
    ctx: typer.Context,
    question_sets: Annotated[list[Path], typer.Argument(
        metavar="SET...", help="JSONL question sets to calibrate on (the calibration sets, never the starter or held-out ones).")],
    index_dirs: Annotated[Optional[list[Path]], typer.Option(
        "--index-dir", help="Index each set is asked of, once per set in the same order, or once for all "
                            "(default: $GUIDANCE_INDEX_DIR or .index/).")] = None,
    out: Annotated[Optional[Path], typer.Option(
        "--out", help="Where to write the chosen settings, with the labelled questions beside it (default: the file answering loads for the embedding model: "
                      "guidance/answering/calibrated.json, or calibrated.json in $GUIDANCE_EMBEDDING_MODEL).")] = None,
) -> None:
    """Search the answerer's scoring weights and coverage threshold on question sets; print and save the best."""
    from guidance.answering.assistant import Assistant
    from guidance.evaluation.calibrate import check_both_kinds, load_cases, write_calibration
    from guidance.evaluation.calibrate import calibrate as run_calibration
    from guidance.answering.calibrated import calibration_path
    from guidance.evaluation.dataset import EvalSetError

    from ingest.index import IndexMissing

    target = out or calibration_path(ctx.obj.embedding_model)
    if target.is_dir():  # found before the search, which takes minutes, not after it
        err.print(f"[red]{escape(str(target))} is a folder: give the file to write the settings to, e.g. "
                  f"{escape(str(target / 'calibrated.json'))}.[/red]", highlight=False)
        raise typer.Exit(2)
    index_dirs = index_dirs or [None]
    if len(index_dirs) not in (1, len(question_sets)):
        err.print(f"[red]Give one --index-dir for all the sets or one per set ({len(question_sets)}), "
                  f"not {len(index_dirs)}.[/red]", highlight=False)
        raise typer.Exit(2)
    if len(index_dirs) == 1:
        index_dirs = index_dirs * len(question_sets)
    assistants: dict[Path | None, Assistant] = {}  # one per index, however many sets are asked of it
    cases = []
    for question_set, index_dir in zip(question_sets, index_dirs):
        try:
            if index_dir not in assistants:
                assistants[index_dir] = Assistant.open(ctx.obj, index_dir)
        except IndexMissing as error:
            print_error(error)
            raise typer.Exit(1) from error
        try:
            cases += load_cases(question_set, assistants[index_dir])
        except EvalSetError as error:
            print_error(error)
            raise typer.Exit(2) from error
    try:
        check_both_kinds(cases)
    except EvalSetError as error:
        print_error(error)
        raise typer.Exit(2) from error
    result = run_calibration(cases)
    try:
        written = write_calibration(result, cases, target)
    except OSError as error:
        print_error(f"The settings could not be written to {target}: {error.strerror or error}. Nothing was written.")
        raise typer.Exit(2) from error
    typer.echo(
        f"balanced accuracy {result.balanced_accuracy:.0%} (answer questions answered from the right section with "
        f"the right words {result.answer_right_rate:.0%}, decline questions declined {result.decline_rate:.0%}) "
        f"with {result.settings}; written to {written}"
    )
