"""Calling the Bot API with retries: flood control (429), server errors and time-outs."""

from __future__ import annotations

import asyncio
import logging
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import Awaitable, Callable, TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)
# PTB 22 warns on every RetryAfter it builds (int vs timedelta); flood_wait handles both.
warnings.filterwarnings("ignore", message=".*retry_after.*", category=PTBDeprecationWarning)
Result = TypeVar("Result")


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts in all, back-off for errors, ceiling for flood waits.

    A flood wait above the ceiling is cut to it, unless ``hand_back_long_floods``: then the
    ``RetryAfter`` is raised at once, so a caller that cannot wait that long in one request
    (a proactive send) hands the whole wait back to the follow-up sender.
    """

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_flood_wait: float = 60.0
    hand_back_long_floods: bool = False


def flood_wait(error: RetryAfter) -> float:
    """Seconds Telegram asks us to wait (PTB gives an int or a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def retryable(error: BaseException) -> bool:
    """True for errors worth retrying: flood control, time-outs, 5xx and connection errors."""
    if isinstance(error, RetryAfter):
        return True
    return isinstance(error, (TimedOut, NetworkError)) and not isinstance(error, BadRequest)


async def with_retries(
    call: Callable[[], Awaitable[Result]],
    *,
    what: str,
    ref: str,
    policy: RetryPolicy = RetryPolicy(),
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Result:
    """Await ``call()`` until it succeeds; re-raise after ``policy.attempts`` or a final error.

    ``ref`` is the pseudonymous conversation reference used in log lines.
    """
    for attempt in range(1, policy.attempts + 1):
        try:
            return await call()
        except Exception as error:
            if not retryable(error) or attempt == policy.attempts:
                raise
            long_flood = isinstance(error, RetryAfter) and flood_wait(error) > policy.max_flood_wait
            if long_flood and policy.hand_back_long_floods:
                raise
            if isinstance(error, RetryAfter):
                delay = min(flood_wait(error), policy.max_flood_wait)
            else:
                delay = min(policy.base_delay * 2 ** (attempt - 1), policy.max_delay)
            log.warning(
                "Telegram %s for %s failed (%s), retry %d/%d in %.1f s",
                what,
                ref,
                type(error).__name__,
                attempt,
                policy.attempts - 1,
                delay,
            )
            await sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover
