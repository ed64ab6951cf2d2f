"""A per-turn memo of the store's reads, so one turn asks the database each thing once.

One turn (validate the reply, pick the next question, render its prompt) used to look up the
trainee three times and the answers and wave progress two or three times. Inside
:func:`turn_reads` every read method of the store is answered once and then from memory; a
write forgets what it may have changed (an answer → the answers; a wave → the progress;
anything else → everything). The turn runs under Rasa's per-conversation lock, so nothing else
changes this trainee's rows meanwhile.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterator

READS = frozenset(
    {
        "find_trainee",
        "trainee_by_id",
        "wave_progress",
        "current_answers",
        "programmes",
        "cohorts_of",
    }
)
# write method → the reads it can change (absent: all of them)
INVALIDATES = {
    "store_answer": frozenset({"current_answers"}),
    "update_money_answer": frozenset({"current_answers"}),
    "start_wave": frozenset({"wave_progress"}),
    "complete_wave": frozenset({"wave_progress"}),
}

_active: ContextVar[dict[int, CachedReads] | None] = ContextVar("tracer_turn_reads", default=None)


class CachedReads:
    """Wraps a ``TracerStore``: memoised reads, pass-through writes that invalidate."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self._memo: dict[tuple, Any] = {}

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._store, name)
        if not callable(attribute):
            return attribute
        if name in READS:
            return self._read(name, attribute)
        return self._write(name, attribute)

    def _read(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def read(*args: Any) -> Any:
            key = (name, args)
            if key not in self._memo:
                self._memo[key] = method(*args)
            return self._memo[key]

        return read

    def _write(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def write(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            finally:
                stale = INVALIDATES.get(name)
                if stale is None:
                    self._memo.clear()
                else:
                    self._memo = {k: v for k, v in self._memo.items() if k[0] not in stale}

        return write


@contextmanager
def turn_reads() -> Iterator[None]:
    """Within this block, stores returned by :func:`reads_of` share one memo per store."""
    token = _active.set({})
    try:
        yield
    finally:
        _active.reset(token)


def reads_of(store: Any) -> Any:
    """The memoising view of ``store`` inside :func:`turn_reads`, else ``store`` itself."""
    active = _active.get()
    if active is None:
        return store
    cached = active.get(id(store))
    if cached is None:
        cached = active[id(store)] = CachedReads(store)
    return cached
