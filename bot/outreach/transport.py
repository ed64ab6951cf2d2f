"""The only way the bot reaches a trainee: Rasa's ``trigger_intent`` HTTP API.

``POST {rasa_url}/conversations/{sender_id}/trigger_intent?token=...&output_channel=...`` with
``{"name": "EXTERNAL_followup", "entities": {"wave": ...}}``.  Rasa runs the survey loop, which
opens the wave and sends its first question through the conversation's channel (Telegram), or
returns the messages in the response (REST / socket.io use ``latest``).

Every outcome is classified by what it says about delivery: ``ok`` (Rasa answered: the
prompt went out), *certainly not delivered* (the connection was never made, 401/403, or Rasa
reports a flood wait it did not sit out), *ambiguous* (the request may have been processed:
connection lost after sending, read timeout, a cut response) or a plain failure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from bot.config import Settings

FOLLOWUP_INTENT = "EXTERNAL_followup"
# Rasa writes this text (and metadata is_external) for a trigger_intent call; see
# rasa.shared.core.events.UserUttered.create_external.
EXTERNAL_TEXT_PREFIX = "EXTERNAL: "


def is_scheduled(message: Mapping[str, Any]) -> bool:
    """True only for a ``trigger_intent`` call (the scheduler), never for typed text.

    A user can type ``/EXTERNAL_followup{...}`` on any channel and Rasa parses it as that intent;
    only Rasa's own external event has the ``EXTERNAL: `` text and the ``is_external`` flag
    (which Tracer's input channels never take from a client). ``message`` is Rasa's parsed
    message (``tracker.latest_message``, or a stored user event's ``parse_data`` with its text
    and metadata): the one definition the action server and ``followups resolve`` share.
    """
    intent = (message.get("intent") or {}).get("name") or ""
    metadata = message.get("metadata") or {}
    return (
        intent.startswith("EXTERNAL_")
        and bool(metadata.get("is_external"))
        and str(message.get("text") or "").startswith(EXTERNAL_TEXT_PREFIX)
    )


_RATE_LIMITED = re.compile(r"\b429\b|too many requests|flood control|retry ?after", re.I)
_RETRY_IN = re.compile(r"retry (?:in|after)\D{0,3}(\d+)", re.I)
# A channel's own reason for a refused send (e.g. "WhatsApp 131026: undeliverable ..."), kept on
# the outreach row; it names an error code, never a recipient.
_CHANNEL_REASON = re.compile(r"WhatsApp \d+: [^\"\\]{1,100}")


@dataclass(frozen=True)
class Delivery:
    """How one send went. ``detail`` is short and never holds message text or addresses."""

    ok: bool
    status: int | None = None
    rate_limited: bool = False
    retry_after: float | None = None
    connection_error: bool = False
    ambiguous: bool = False
    detail: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    bot_messages: int | None = None

    @property
    def message_count(self) -> int | None:
        """How many chat messages the trigger produced (None when Rasa did not say)."""
        if self.bot_messages is not None:
            return max(self.bot_messages, len(self.messages))
        return len(self.messages) if self.messages else None


class Transport(Protocol):
    """Something that can deliver a follow-up for ``wave`` to a chat."""

    def send(self, channel: str, address: str, wave: str) -> Delivery:
        """Deliver the follow-up intent to one conversation."""


def output_channel_for(channel: str) -> str:
    """Rasa output channel for a contact channel: telegram and whatsapp stay, web chats use
    ``latest``."""
    return channel if channel in ("telegram", "whatsapp") else "latest"


def _retry_after(response: requests.Response, body: str) -> float | None:
    header = response.headers.get("Retry-After")
    if header and header.strip().isdigit():
        return float(header.strip())
    match = _RETRY_IN.search(body)
    return float(match.group(1)) if match else None


def bot_messages_after_trigger(body: Mapping[str, Any]) -> int | None:
    """Bot messages the trigger produced: ``bot`` events after the tracker's last ``user``
    event (the trigger itself) in the ``trigger_intent`` response; None without events."""
    tracker = body.get("tracker")
    events = tracker.get("events") if isinstance(tracker, Mapping) else None
    if not isinstance(events, list):
        return None
    count = 0
    for event in reversed(events):
        kind = event.get("event") if isinstance(event, Mapping) else None
        if kind == "user":
            return count
        if kind == "bot":
            count += 1
    return count


def never_connected(error: requests.RequestException) -> bool:
    """True when the request certainly never reached the server (no connection was made)."""
    if isinstance(error, requests.ConnectTimeout):
        return True
    reason = error.args[0] if error.args else None
    reason = getattr(reason, "reason", reason)  # urllib3 MaxRetryError wraps the cause
    return isinstance(reason, (NewConnectionError, ConnectTimeoutError, ConnectionRefusedError))


def _error_name(body: str) -> str:
    match = re.search(r'"reason"\s*:\s*"([A-Za-z]+)"', body)
    return match.group(1) if match else "error"


class RasaTriggerTransport:
    """Sends ``EXTERNAL_followup`` through Rasa's HTTP API (one ``requests`` session)."""

    def __init__(self, settings: Settings, timeout: float = 120.0) -> None:
        # Longer than the flood waits Telegram output sits out in one request (PROACTIVE_POLICY).
        # Longer waits come back as a 500 "flood control ... retry after N", not as a timeout.
        self.base_url = settings.rasa_url.rstrip("/")
        self.token = settings.rasa_token
        self.timeout = timeout
        self.session = requests.Session()

    def send(self, channel: str, address: str, wave: str) -> Delivery:
        """Trigger the follow-up intent for conversation ``address``; never raises."""
        url = f"{self.base_url}/conversations/{quote(address, safe='')}/trigger_intent"
        params = {"output_channel": output_channel_for(channel)}
        if self.token:
            params["token"] = self.token
        body: dict[str, Any] = {"name": FOLLOWUP_INTENT, "entities": {"wave": wave}}
        try:
            response = self.session.post(url, params=params, json=body, timeout=self.timeout)
        except requests.RequestException as error:
            if never_connected(error):
                return Delivery(ok=False, connection_error=True, detail="rasa unreachable")
            kind = "timeout" if isinstance(error, requests.Timeout) else "connection lost"
            return Delivery(ok=False, ambiguous=True, detail=f"{kind} (may have been delivered)")
        if response.ok:
            try:
                payload = response.json()
            except ValueError:  # requests' JSONDecodeError is a ValueError
                payload = {}
            payload = payload if isinstance(payload, dict) else {}
            return Delivery(
                ok=True,
                status=response.status_code,
                detail="ok",
                messages=payload.get("messages") or [],
                bot_messages=bot_messages_after_trigger(payload),
            )
        text = response.text[:2000]
        limited = response.status_code == 429 or bool(_RATE_LIMITED.search(text))
        detail = f"http {response.status_code} {_error_name(text)}"
        if reason := _CHANNEL_REASON.search(text):
            detail += f" ({reason.group(0).strip()})"
        return Delivery(
            ok=False,
            status=response.status_code,
            rate_limited=limited,
            retry_after=_retry_after(response, text) if limited else None,
            detail=detail,
        )
