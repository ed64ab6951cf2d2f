"""Sending through the Graph API ``/{phone-number-id}/messages`` with bounded retries.

Rate limits (HTTP 429, codes 4, 80007, 130429, 131056) and server errors (5xx, codes 1, 2,
131000, 131016) are retried with exponential back-off a few times; anything else is final and
raised as :class:`GraphError` with Meta's error code (e.g. 131047 re-engagement required,
131026 undeliverable, 132001 template does not exist).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

import httpx

log = logging.getLogger(__name__)
RATE_LIMIT_CODES = frozenset({4, 80007, 130429, 131056})
TRANSIENT_CODES = frozenset({1, 2, 131000, 131016})
REENGAGEMENT_REQUIRED = 131047
UNDELIVERABLE = 131026
REASONS = {
    4: "too many requests (application rate limit)",
    80007: "too many requests (account rate limit)",
    130429: "too many requests (throughput limit)",
    131056: "too many requests (pair rate limit)",
    131047: "re-engagement required (24-hour window closed)",
    131026: "undeliverable (not a WhatsApp user?)",
    131030: "recipient not allowed (test number list)",
    131051: "unsupported message type",
    132000: "template parameters do not match",
    132001: "template does not exist in this language",
    132015: "template paused",
    132016: "template disabled",
}


class GraphError(RuntimeError):
    """A send the Graph API refused, with Meta's error ``code`` and the HTTP ``status``."""

    def __init__(self, status: int | None, code: int | None, title: str = "") -> None:
        self.status = status
        self.code = code
        self.title = title
        super().__init__(self.reason)

    @property
    def retryable(self) -> bool:
        """True for rate limits, server errors and network failures (worth another try)."""
        if self.status is None or self.status == 429 or self.status >= 500:
            return True
        return self.code in RATE_LIMIT_CODES or self.code in TRANSIENT_CODES

    @property
    def reason(self) -> str:
        """Short reason for logs and the outreach row (no addresses, no message text)."""
        known = REASONS.get(self.code or 0)
        if known is None and self.status == 429:
            known = "too many requests"
        label = known or self.title or "error"
        return f"WhatsApp {self.code if self.code is not None else self.status}: {label}"[:120]


@dataclass(frozen=True)
class RetryPolicy:
    """Attempts in all and the back-off between them."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 8.0


def error_from(response: httpx.Response) -> GraphError:
    """The :class:`GraphError` an error response describes."""
    try:
        error = response.json().get("error") or {}
    except ValueError:
        error = {}
    code = error.get("code") if isinstance(error.get("code"), int) else None
    title = str(error.get("error_user_title") or error.get("type") or "")
    return GraphError(response.status_code, code, title)


class GraphClient:
    """One ``httpx.AsyncClient`` sending messages for one business phone number."""

    def __init__(
        self,
        messages_url: str,
        access_token: str,
        policy: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.messages_url = messages_url
        self.policy = policy
        self._sleep = sleep
        self._client = httpx.AsyncClient(
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=httpx.Timeout(15.0, connect=5.0),
            transport=transport,
        )

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self._client.aclose()

    async def _post_once(self, to: str, body: dict[str, Any]) -> str:
        message = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}
        try:
            response = await self._client.post(self.messages_url, json={**message, **body})
        except httpx.HTTPError as error:
            raise GraphError(None, None, type(error).__name__) from error
        if response.status_code >= 400:
            raise error_from(response)
        try:
            return str(response.json()["messages"][0]["id"])
        except (ValueError, KeyError, IndexError, TypeError) as error:
            raise GraphError(response.status_code, None, "malformed response") from error

    async def send(self, to: str, body: dict[str, Any]) -> str:
        """Send ``body`` (a ``text``/``interactive``/``template`` message) to ``to``; its wamid.

        Retries retryable errors up to ``policy.attempts``; raises :class:`GraphError` after.
        """
        for attempt in range(1, self.policy.attempts + 1):
            try:
                return await self._post_once(to, body)
            except GraphError as error:
                if not error.retryable or attempt == self.policy.attempts:
                    raise
                delay = min(self.policy.base_delay * 2 ** (attempt - 1), self.policy.max_delay)
                log.warning(
                    "WhatsApp send failed (%s), retry %d/%d in %.1f s",
                    error.reason,
                    attempt,
                    self.policy.attempts - 1,
                    delay,
                )
                await self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover
