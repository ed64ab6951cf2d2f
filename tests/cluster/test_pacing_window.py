"""The pacer never lets more than ``rate`` messages out in any 1-second window, even when the
operating system wakes the sender up late (late sends must not be followed by a burst)."""

from __future__ import annotations

import random

from bot.outreach.pacing import Pacer, max_in_any_window


def test_late_wake_ups_never_make_a_burst() -> None:
    clock = [0.0]
    jitter = random.Random(7)

    def sleep(seconds: float) -> None:  # a sleep that sometimes overshoots by up to 25 ms
        clock[0] += seconds + (0.025 * jitter.random() if jitter.random() < 0.3 else 0.0)

    pacer = Pacer(30, per_chat_interval=0, monotonic=lambda: clock[0], sleep=sleep)
    sent = []
    for n in range(3000):
        pacer.wait(f"chat-{n}")
        sent.append(clock[0])
    assert max_in_any_window(sent) <= 30
    assert len(sent) / sent[-1] > 29  # late wake-ups are caught up: the rate is kept
