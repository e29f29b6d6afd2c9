"""CLI errors: an error no command foresaw reaches the officer as one line naming it, not as a traceback.

Every ``guidance`` command is wrapped with ``names_unexpected_errors``. ``guidance --debug COMMAND`` shows
the traceback instead, and the tracebacks the pipeline logs for files it skipped.
"""

from __future__ import annotations

import functools
import logging
import warnings
from collections.abc import Callable

import typer
from rich.console import Console
from rich.markup import escape
from typer.exceptions import TyperException

EXIT_UNEXPECTED = 1
err = Console(stderr=True)
_debug = False


def print_error(message: object, label: str = "") -> None:
    """An error for the officer, in red (or after a red ``label``): its text is printed as given, never read as rich
    markup, which would drop a bracketed "[llamacpp]" or a folder named "[draft]", and never cut into lines by rich
    (the terminal wraps it), which broke long paths mid-name ("broken.json l") where an officer copies them."""
    text = escape(str(message))
    err.print(f"[red]{label}[/red] {text}" if label else f"[red]{text}[/red]", highlight=False, soft_wrap=True)


def set_debug(debug: bool) -> None:
    """With ``debug``, unexpected errors propagate (typer prints the traceback) and the project's logs are shown."""
    global _debug
    _debug = debug
    if not debug:  # a warning is one line for the officer ("Warning: could not export …"), not a source listing
        warnings.showwarning = _one_line_warning
    if debug:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
        for package in ("guidance", "ingest"):
            logging.getLogger(package).setLevel(logging.DEBUG)


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    print_error(message, "Warning:")


def describe(error: BaseException) -> str:
    """An error as "TypeError: what it said", the form the officer is shown."""
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def names_unexpected_errors(command: Callable) -> Callable:
    """Decorate a command so that an unforeseen exception is printed as one line and exits 1."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (typer.Exit, typer.Abort, TyperException):
            raise  # typer's own exits and usage errors already speak to the user
        except Exception as error:
            if _debug:
                raise
            err.print(f"[red]Unexpected error: {escape(describe(error))}[/red]\nRun the command again as "
                      "`guidance --debug …` to see where it happened, and please report it.", highlight=False)
            raise typer.Exit(EXIT_UNEXPECTED) from error

    return run
