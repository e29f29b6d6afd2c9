"""The default backend: no language model; the extractive answerer quotes the guidance itself."""

from __future__ import annotations

from guidance.backends import BackendSettings, register


@register("extractive")
def no_model(settings: BackendSettings) -> None:
    return None
