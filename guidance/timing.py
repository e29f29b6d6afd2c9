"""Timing: how long a step took, in the milliseconds every ``Answer.timings_ms`` and eval record reports, and a
stream cut off at a deadline."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterable, Iterator

_END = object()


def elapsed_ms(started: float) -> float:
    """Milliseconds since ``started`` (a ``time.perf_counter()`` reading), to two decimal places."""
    return round((time.perf_counter() - started) * 1000, 2)


def within(pieces: Iterable, seconds: float) -> Iterator:
    """``pieces`` as they come, or ``TimeoutError`` once ``seconds`` have passed in all.

    The pieces are read on a thread of their own, so the wait ends on time even while one piece is awaited, and
    a stream left behind (a model still trickling its reply) is read to its end there, not by the caller: closing
    an HTTP stream early would wait for the rest of it.
    """
    arrived: queue.Queue = queue.Queue()

    def read() -> None:
        try:
            for piece in pieces:
                arrived.put((piece, None))
        except BaseException as error:  # noqa: BLE001 (handed to the caller, who decides)
            arrived.put((_END, error))
            return
        arrived.put((_END, None))

    threading.Thread(target=read, name="stream-reader", daemon=True).start()
    deadline = time.monotonic() + seconds
    while True:
        try:
            piece, error = arrived.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise TimeoutError(f"no complete reply within {seconds:g} s") from None
        if error is not None:
            raise error
        if piece is _END:
            return
        yield piece
