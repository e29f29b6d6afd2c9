"""Spreadsheet-safe CSV: the cells of the CSVs officers open in Excel or LibreOffice never run as formulas.

A member's question goes into the CSVs officers download (feedback drafts, corrections as eval cases, each run's
questions), and one that starts "=HYPERLINK(…)" would run when the file is opened, able to send the other cells
(other members' questions and comments) anywhere. Such a cell is written behind an apostrophe, which spreadsheets
read as "text" and do not show; reading an eval-set CSV (``guidance.evaluation.dataset``) takes it off again, so a
file written here reads back as it was.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_row(row: dict) -> dict:
    """``row`` with every text cell a spreadsheet would read as a formula guarded."""
    return {key: f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_START) else value
            for key, value in row.items()}


def unguarded(cell: str) -> str:
    """A cell as ``safe_row`` was given it."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell
