"""Work shared by two processes through ``fork``: the child sees the parent's objects as they
are (copy-on-write, nothing large is pickled) and sends back only its small results.

The report spends most of its time in single-threaded pandas (issue 14: 100k trainees in
≤ 10 s on 2 cores); the tables are independent, so half of them are computed in a forked child
while the parent computes the other half. Where ``fork`` is missing (not Linux/macOS), with one
core, or with ``TRACER_REPORT_PROCESSES=1``, everything runs in the calling process. A child
that fails or dies is not trusted: its share is computed again in the parent.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
from typing import Any, Callable, Sequence, TypeVar

log = logging.getLogger(__name__)

Result = TypeVar("Result")


def processes() -> int:
    """How many processes the report may use (``TRACER_REPORT_PROCESSES``, default 2 when the
    machine has 2 cores or more and ``fork`` exists)."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if multiprocessing.current_process().daemon:  # such a process may not have children
        return 1
    wanted = os.environ.get("TRACER_REPORT_PROCESSES", "")
    if wanted.isdigit() and int(wanted) >= 1:
        return min(int(wanted), 2)
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def balanced_halves(names: Sequence[str], cost: dict[str, float]) -> tuple[list[str], list[str]]:
    """Split ``names`` in two lists of about equal total ``cost`` (1 when not listed), the
    costliest placed first; each list keeps the order of ``names``."""
    loads = [0.0, 0.0]
    bins: list[set[str]] = [set(), set()]
    for name in sorted(names, key=lambda n: -cost.get(n, 1.0)):
        lighter = 0 if loads[0] <= loads[1] else 1
        bins[lighter].add(name)
        loads[lighter] += cost.get(name, 1.0)
    return [n for n in names if n in bins[0]], [n for n in names if n in bins[1]]


def _child(task: Callable[[list[str]], dict[str, Result]], names: list[str], writer) -> None:
    try:
        writer.send(("ok", task(names)))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which recomputes
        writer.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        writer.close()


def _run_halves(
    task: Callable[[list[str]], dict[str, Result]], mine: list[str], theirs: list[str]
) -> tuple[str, Any, dict[str, Result]]:
    """``task(mine)`` here while a forked child computes ``task(theirs)``: the child's status
    (``ok``, ``error``, or ``alone`` when no child could start: nothing computed), its payload,
    and this process's results."""
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(task, theirs, writer), daemon=True)
    try:
        child.start()
    except OSError as error:  # out of processes or memory: one process does it all
        log.warning("report tables: no second process (%s)", error)
        reader.close()
        writer.close()
        return "alone", None, {}
    writer.close()
    results = task(mine)
    try:
        status, payload = reader.recv()
    except (EOFError, OSError):
        status, payload = "error", "the child process ended without an answer"
    finally:
        reader.close()
        child.join()
    return status, payload, results


def map_in_two_processes(
    task: Callable[[list[str]], dict[str, Result]],
    names: Sequence[str],
    cost: dict[str, float] | None = None,
) -> dict[str, Result]:
    """``task(names)`` → name → result, computed by this process and a forked child (each
    half of ``names``); the results in the order of ``names``."""
    names = list(names)
    if processes() < 2 or len(names) < 2:
        return task(names)
    mine, theirs = balanced_halves(names, cost or {})
    # the objects both processes start with are left out of garbage collection while the
    # child runs: walking them writes to their memory, which each process must then copy
    # (a process that froze its own objects before, a server at start-up, keeps them frozen)
    frozen_before = gc.get_freeze_count()
    gc.freeze()
    try:
        status, payload, results = _run_halves(task, mine, theirs)
    finally:
        if not frozen_before:
            gc.unfreeze()
    if status == "alone":  # no second process: this one computes everything
        return task(names)
    if status != "ok":
        log.warning("report tables: the second process failed (%s); computing here", payload)
        payload = task(theirs)
    results.update(payload)
    return {name: results[name] for name in names}
