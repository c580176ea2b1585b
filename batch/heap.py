"""Memory a stage of a large run has freed, handed back to the system before the next one.

The C library keeps what a stage frees (calamine's cells, pandas' columns) to hand out again
through malloc. Python takes its small objects (each declaration, each text) from arenas of
its own, so at a million shifts that memory sat unused beside the next stage's growth, about
a gigabyte of the peak. glibc's `malloc_trim` returns it. On a system without it (macOS,
Windows, musl) nothing is done: only the peak differs, never a result.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

LARGE = 20_000
"""From this many rows a run frees enough to be worth handing back (a trim of a small heap
costs little, but the import of ctypes would still weigh on a 300-shift run's start)."""


def give_back(rows: int) -> None:
    """After a stage of `rows` rows freed what it held: hand that memory back."""
    if rows < LARGE:
        return
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim  # the process's own C library
    except (OSError, AttributeError):
        return None


@contextmanager
def few_collections() -> Iterator[None]:
    """A run keeps a few objects per shift alive until its reports are written. Python's cycle
    collector, tuned for small programs, walks all of them again at each full collection: 12 %
    of a 100k run from the command line, and 37 % of one called from Python (103 against 65
    CPU seconds) before the functions of `batch.pipeline` did this themselves. For the run,
    what is alive before it is set aside and a collection comes every 100,000 allocations, the
    older generations far more rarely (peak memory at 100k did not change). The command line's
    jobs are these functions, so it needs nothing of its own; a nested use restores what it
    found."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
