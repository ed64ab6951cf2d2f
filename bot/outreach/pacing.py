"""Pacing: at most N messages per second overall and one per second per chat."""

from __future__ import annotations

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
        # Release times of the last ``rate`` sends: the next one waits until the oldest is a
        # full second old, so no 1-second window ever holds more than ``rate`` messages.
        self._recent: deque[float] = deque(maxlen=max(1, int(rate_per_second)))
        self._chat_next: dict[str, float] = {}
        self.waited = 0.0

    def wait(self, chat_key: str) -> None:
        """Block until a message to ``chat_key`` may go out, then book that slot."""
        now = self._monotonic()
        ready = max(now, self._next_slot, self._chat_next.get(chat_key, 0.0))
        if len(self._recent) == self._recent.maxlen:
            ready = max(ready, self._recent[0] + 1.0 + WINDOW_MARGIN)
        if ready > now:
            self._sleep(ready - now)
            self.waited += ready - now
        # Slots stay on the even schedule (a late wake-up is caught up, keeping the average
        # rate), while the window above stops the catch-up from becoming a burst.
        self._recent.append(max(ready, self._monotonic()))
        self._next_slot = ready + self.interval
        self._chat_next[chat_key] = ready + self.per_chat_interval
        if len(self._chat_next) > 10000:
            self._chat_next = {k: v for k, v in self._chat_next.items() if v > ready}

    def back_off(self, seconds: float) -> None:
        """Pause every send for ``seconds`` (after a rate-limit answer)."""
        self._sleep(seconds)
        self.waited += seconds
        self._next_slot = max(self._next_slot, self._monotonic())
