"""Thresholds: parse ``metric=value`` limits and say which ones a run's aggregate misses.

``--min`` limits suit metrics where higher is better (hit_rate=0.9); ``--max`` limits suit the others
(false_decline_rate=0.1, latency_p95_ms=2000). A metric the run could not measure misses its limit.
"""

from __future__ import annotations

from collections.abc import Mapping

from guidance.evaluation.metrics import METRIC_BY_NAME


class ThresholdError(ValueError):
    """A limit that cannot be understood; the message says what is wrong and what would be accepted."""


def parse_limits(specs: list[str]) -> dict[str, float]:
    """``["hit_rate=0.9", …]`` → ``{"hit_rate": 0.9, …}``."""
    limits = {}
    for spec in specs:
        name, sign, value = spec.partition("=")
        name = name.strip()
        if not sign:
            raise ThresholdError(f"{spec!r}: write a limit as metric=value, e.g. hit_rate=0.9")
        if name not in METRIC_BY_NAME:
            raise ThresholdError(f"{spec!r}: unknown metric {name!r}; known metrics: {', '.join(METRIC_BY_NAME)}")
        try:
            limits[name] = float(value)
        except ValueError as error:
            raise ThresholdError(f"{spec!r}: {value.strip()!r} is not a number") from error
    return limits


def missed_limits(
    aggregate: Mapping[str, float | int | None], minimums: Mapping[str, float], maximums: Mapping[str, float] | None = None
) -> list[str]:
    """One line per limit the aggregate misses, e.g. "hit_rate 0.71 is below the minimum 0.9"."""
    missed = []
    for name, limit in minimums.items():
        value = aggregate.get(name)
        if value is None or value < limit:
            missed.append(f"{name} {_shown(value)} is below the minimum {limit:g}")
    for name, limit in (maximums or {}).items():
        value = aggregate.get(name)
        if value is None or value > limit:
            missed.append(f"{name} {_shown(value)} is above the maximum {limit:g}")
    return missed


def _shown(value) -> str:
    return "(not measured)" if value is None else f"{value:g}"
