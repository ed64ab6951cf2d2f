"""How many times in a row the question now asked has already been asked again (issue 16).

The survey loop sets the ``step`` slot on every turn, so a reply that could not be read leaves
the same step set once more. The failures before the current message are the repeats at the
end of that history: ``q:a, q:b, q:b, q:b`` → 2 (asked once, then asked again twice). After
two failed tries the bot offers numbered options and skip (``bot/survey/hints.py``). Nothing is
stored for it: it is derived from the conversation's own events.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping


def failures_before(steps_newest_first: Iterable[str | None]) -> int:
    """Repeats of the newest step at the head of ``steps_newest_first`` (0 when asked once)."""
    iterator = iter(steps_newest_first)
    current = next(iterator, None)
    if current is None:
        return 0
    repeats = 0
    for step in iterator:
        if step != current:
            break
        repeats += 1
    return repeats


def step_history(events: Iterable[Mapping[str, Any]]) -> Iterable[str | None]:
    """The values the ``step`` slot was set to in tracker ``events`` (a list), newest first."""
    for event in reversed(list(events)):
        if event.get("event") == "slot" and event.get("name") == "step":
            yield event.get("value")
