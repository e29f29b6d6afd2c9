"""Timing: how long a step took, in the milliseconds every ``Answer.timings_ms`` and eval record reports."""

from __future__ import annotations

import time


def elapsed_ms(started: float) -> float:
    """Milliseconds since ``started`` (a ``time.perf_counter()`` reading), to two decimal places."""
    return round((time.perf_counter() - started) * 1000, 2)
