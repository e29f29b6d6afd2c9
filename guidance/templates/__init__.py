"""Templates: the HTML the app writes (the eval report, the cited section and document views) as Jinja2
templates in this folder, rendered with autoescaping so no text from a corpus, a question or an answer
can become markup. Listed in ``pyproject.toml``'s package data, so an installed copy finds them."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("guidance", "templates"), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(name: str, **context) -> str:
    """The template ``name`` filled with ``context``, every value escaped unless the template says otherwise."""
    return _environment().get_template(name).render(**context)
