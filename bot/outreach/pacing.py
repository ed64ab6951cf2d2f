"""Pacing: at most N chat messages per second overall and one trigger per second per chat.

The pacer counts *messages*, not triggers: one follow-up trigger makes Rasa send the wave's
intro and its first question, i.e. two Telegram messages.  A trigger first reserves the
messages it is expected to produce (``wait(chat, messages=n)``); once it returns, the sender
reports how many it really produced (``sent(n)``), and those messages are stamped with the
time the trigger finished, because Rasa sends them while the trigger runs.  So every message
lies between its trigger's start and its stamp, and no 1-second window of the messages
Telegram receives holds more than N.
"""

from __future__ import annotations

import bisect
import time
from collections import deque
from typing import Callable

# Margin added to the 1-second window so that clocks read a few microseconds apart (the
# pacer's and the transport's) can never see one message too many in a window.
WINDOW_MARGIN = 0.001


class Pacer:
    """Spaces sends evenly; clock and sleep are injectable so tests run instantly."""

    def __init__(
        self,
        rate_per_second: float,
        per_chat_interval: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_second <= 0:
            raise ValueError("the send rate must be positive")
        self.interval = 1.0 / rate_per_second
        self.per_chat_interval = per_chat_interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._next_slot = 0.0
        # Times of the last ``capacity`` messages: a new batch of n waits until the message
        # (capacity - n + 1) places back is a full second old, so no 1-second window ever
        # holds more than ``capacity`` messages.
        self.capacity = max(1, int(rate_per_second))
        self._recent: deque[float] = deque(maxlen=self.capacity)
        self._booked = 0  # messages of the trigger in flight (stamped again by ``sent``)
        self._booked_at = 0.0
        self._chat_next: dict[str, float] = {}
        self.waited = 0.0

    def wait(self, chat_key: str, messages: int = 1) -> None:
        """Block until ``messages`` messages to ``chat_key`` may go out, then book them."""
        self._settle_booking()
        count = min(max(messages, 1), self.capacity)
        now = self._monotonic()
        ready = max(now, self._next_slot, self._chat_next.get(chat_key, 0.0))
        allowed_before = self.capacity - count  # messages that may share the window
        if len(self._recent) > allowed_before:
            ready = max(ready, self._recent[-allowed_before - 1] + 1.0 + WINDOW_MARGIN)
        if ready > now:
            self._sleep(ready - now)
            self.waited += ready - now
        # Slots stay on the even schedule (a late wake-up is caught up, keeping the average
        # rate), while the window above stops the catch-up from becoming a burst.
        stamp = max(ready, self._monotonic())
        self._recent.extend([stamp] * count)
        self._booked, self._booked_at = count, ready
        self._next_slot = ready + self.interval * count
        self._chat_next[chat_key] = ready + self.per_chat_interval
        if len(self._chat_next) > 10000:
            self._chat_next = {k: v for k, v in self._chat_next.items() if v > ready}

    def sent(self, messages: int) -> None:
        """The trigger booked by the last ``wait`` is over and produced ``messages`` messages:
        stamp them now (they left between the booking and now) and charge any extra."""
        booked, self._booked = self._booked, 0
        for _ in range(min(booked, len(self._recent))):
            self._recent.pop()
        if messages <= 0:
            if booked:
                self._next_slot = self._booked_at  # nothing went out: the slot is free again
            return
        stamp = self._monotonic()
        self._recent.extend([stamp] * min(messages, self.capacity))
        # The even schedule follows what really went out, not what was reserved.
        self._next_slot = self._booked_at + self.interval * messages

    def _settle_booking(self) -> None:
        # ``wait`` without ``sent`` in between (callers that only pace): keep the booking.
        self._booked = 0

    def back_off(self, seconds: float) -> None:
        """Pause every send for ``seconds`` (after a rate-limit answer)."""
        self._sleep(seconds)
        self.waited += seconds
        self._next_slot = max(self._next_slot, self._monotonic())


def max_in_any_window(times: list[float], window: float = 1.0) -> int:
    """The most timestamps falling in any half-open interval [t, t + window): what the pacer
    promises to keep at or below its rate (checked by the tests and bench/bench_outbound.py)."""
    ordered = sorted(times)
    return max(
        (bisect.bisect_left(ordered, t + window) - i for i, t in enumerate(ordered)), default=0
    )


MAX_CONSECUTIVE_FAILURES = 5
"""Failed or ambiguous sends in a row after which a sending run stops (the service is in
trouble)."""


def failure_stop(consecutive: int, detail: str) -> str | None:
    """Why a sending run stops after ``consecutive`` failures in a row, or None to go on."""
    if consecutive >= MAX_CONSECUTIVE_FAILURES:
        return f"stopped after {consecutive} failures in a row ({detail})"
    return None
