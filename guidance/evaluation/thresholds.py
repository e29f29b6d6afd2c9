"""Thresholds: parse ``metric=value`` limits and say which ones a run's aggregate misses.

``--min`` limits suit metrics where higher is better (hit_rate=0.9); ``--max`` limits suit the others
(false_decline_rate=0.1, latency_p95_ms=2000). A rate's limit is a fraction from 0 to 1; a limit that could never
be met or missed (nan, inf, 90 for a rate) is refused rather than quietly passing every run. A metric the run could
not measure misses its limit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from guidance.evaluation.metrics import METRIC_BY_NAME


class ThresholdError(ValueError):
    """A limit that cannot be understood; the message says what is wrong and what would be accepted."""


def parse_limits(specs: list[str], option: str = "limit") -> dict[str, float]:
    """``["hit_rate=0.9", …]`` → ``{"hit_rate": 0.9, …}``; ``option`` ("--min") names them in messages."""
    limits: dict[str, float] = {}
    for spec in specs:
        name, limit = _parse_limit(spec)
        if name in limits:  # else the later would silently replace the earlier
            raise ThresholdError(f"{spec!r}: {name} is given two {option} values ({limits[name]:g} and {limit:g}); "
                                 "give it once")
        limits[name] = limit
    return limits


def _parse_limit(spec: str) -> tuple[str, float]:
    name, sign, value = spec.partition("=")
    name = name.strip()
    if not sign:
        raise ThresholdError(f"{spec!r}: write a limit as metric=value, e.g. hit_rate=0.9")
    if name not in METRIC_BY_NAME:
        raise ThresholdError(f"{spec!r}: unknown metric {name!r}; known metrics: {', '.join(METRIC_BY_NAME)}")
    try:
        limit = float(value)
    except ValueError as error:
        raise ThresholdError(f"{spec!r}: {value.strip()!r} is not a number") from error
    if not math.isfinite(limit):  # every comparison with nan is false, so the limit would never be missed
        raise ThresholdError(f"{spec!r}: the limit must be a number such as 0.9, not {value.strip()!r}")
    if METRIC_BY_NAME[name].is_rate and not 0 <= limit <= 1:
        raise ThresholdError(f"{spec!r}: {name} is a rate from 0 to 1, so its limit is a fraction "
                             f"(e.g. 0.9 for 90%), not {limit:g}")
    if limit < 0:
        raise ThresholdError(f"{spec!r}: {name} is never negative, so a limit of {limit:g} means nothing; "
                             "give 0 or more")
    return name, limit


def missed_limits(
    aggregate: Mapping[str, float | int | None], minimums: Mapping[str, float], maximums: Mapping[str, float] | None = None
) -> list[str]:
    """One line per limit the aggregate misses, e.g. "hit_rate 0.71 is below the minimum 0.9"."""
    missed = []
    for kind, limits, misses in (("minimum", minimums, lambda value, limit: value < limit),
                                 ("maximum", maximums or {}, lambda value, limit: value > limit)):
        for name, limit in limits.items():
            value = aggregate.get(name)
            if value is None:
                missed.append(_unmeasured(name, kind, limit))
            elif misses(value, limit):
                missed.append(f"{name} {value:g} is {'below' if kind == 'minimum' else 'above'} the {kind} {limit:g}")
    return missed


def _unmeasured(name: str, kind: str, limit: float) -> str:
    definition = METRIC_BY_NAME[name].definition.rstrip(".")
    return (f"{name} could not be checked against the {kind} {limit:g}, because the run has no questions it "
            f"measures ({definition[0].lower()}{definition[1:]})")
