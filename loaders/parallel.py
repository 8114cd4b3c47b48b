"""Spreading per-article work over the cores, in input order."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def parallel_map(
    function: Callable[..., R],
    *iterables: Iterable,
    workers: int | None = None,
    initializer: Callable[[], object] | None = None,
    minimum: int = 4,
    chunksize: int | None = None,
) -> Iterator[R]:
    """``map(function, *iterables)`` over worker processes, results in input order, yielded as they come.

    Workers start with the ``forkserver`` method, so they do not inherit an open
    store or server socket from this process. Fewer than ``minimum`` items, or
    one worker, run here: starting processes would cost more than it saves. ``chunksize`` items go to a
    worker at a time (by default a share of the items that keeps every worker busy).
    """
    columns = [list(items) for items in iterables]
    count = min((len(column) for column in columns), default=0)
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or count < minimum:
        yield from map(function, *columns)
        return
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer) as pool:
        chunksize = chunksize or max(1, min(64, count // (workers * 8)))
        yield from pool.map(function, *columns, chunksize=chunksize)
