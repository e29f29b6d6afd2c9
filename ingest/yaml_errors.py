"""YAML errors told as an officer can act on them: the line and column in the file they edited and what is
wrong there, not PyYAML's own report (which names the text "<unicode string>" and draws a caret under a line
whose leading spaces a page strips)."""

from __future__ import annotations

import yaml


def yaml_problem(error: yaml.YAMLError) -> str:
    """E.g. "line 3, column 12: mapping values are not allowed here"."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    return f"{where}{problem}" + (f" ({context})" if context else "")
