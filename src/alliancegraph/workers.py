"""A build's per-file work spread over two forked worker processes, when it is large enough to gain.

Workers are forked, so they inherit the state the parent hands them (the
records folder, the index built from every file) without copying it; each
task names a file and returns plain data.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Iterator
from typing import Any

#: Below this many bytes of YAML to parse or compile, worker processes cost more than they save.
PARALLEL_BYTES = 4 * 1024 * 1024

_STATE: dict = {}


def inherited(name: str) -> Any:
    """A value :func:`worker_results` handed to its tasks as ``state``."""
    return _STATE[name]


@contextlib.contextmanager
def worker_results(function, tasks: list, size: int, **state) -> Iterator[Iterator]:
    """Results of ``function`` over ``tasks``, in order: from two forked workers when the work is large.

    ``state`` is what the tasks read with :func:`inherited`. At most a few
    results wait to be consumed, so memory stays bounded when the consumer is
    slower than the workers.
    """
    _STATE.clear()
    _STATE.update(state)
    processes = min(2, os.cpu_count() or 1)
    if size >= PARALLEL_BYTES and processes >= 2 and len(tasks) >= 2:
        import multiprocessing  # only a large build needs it: a query's start-up and a one-file update do without

        if "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                yield _bounded(pool, function, tasks, window=2 * processes)
            return
    yield map(function, tasks)


def _bounded(pool, function, tasks: list, window: int) -> Iterator:
    remaining = iter(tasks)
    pending: deque = deque(pool.apply_async(function, (task,)) for _, task in zip(range(window), remaining))
    while pending:
        result = pending.popleft().get()
        for task in remaining:
            pending.append(pool.apply_async(function, (task,)))
            break
        yield result
