"""The only way the bot reaches a trainee: Rasa's ``trigger_intent`` HTTP API.

``POST {rasa_url}/conversations/{sender_id}/trigger_intent?token=...&output_channel=...`` with
``{"name": "EXTERNAL_followup", "entities": {"wave": ...}}``.  Rasa runs the survey loop, which
opens the wave and sends its first question through the conversation's channel (Telegram), or
returns the messages in the response (REST / socket.io use ``latest``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import quote

import requests

from bot.config import Settings

FOLLOWUP_INTENT = "EXTERNAL_followup"
_RATE_LIMITED = re.compile(r"\b429\b|too many requests|flood control|retry ?after", re.I)
_RETRY_IN = re.compile(r"retry (?:in|after)\D{0,3}(\d+)", re.I)


@dataclass(frozen=True)
class Delivery:
    """How one send went. ``detail`` is short and never holds message text or addresses."""

    ok: bool
    status: int | None = None
    rate_limited: bool = False
    retry_after: float | None = None
    connection_error: bool = False
    detail: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)


class Transport(Protocol):
    """Something that can deliver a follow-up for ``wave`` to a chat."""

    def send(self, channel: str, address: str, wave: str) -> Delivery:
        """Deliver the follow-up intent to one conversation."""


def output_channel_for(channel: str) -> str:
    """Rasa output channel for a contact channel: telegram stays, web chats use ``latest``."""
    return "telegram" if channel == "telegram" else "latest"


def _retry_after(response: requests.Response, body: str) -> float | None:
    header = response.headers.get("Retry-After")
    if header and header.strip().isdigit():
        return float(header.strip())
    match = _RETRY_IN.search(body)
    return float(match.group(1)) if match else None


def _error_name(body: str) -> str:
    match = re.search(r'"reason"\s*:\s*"([A-Za-z]+)"', body)
    return match.group(1) if match else "error"


class RasaTriggerTransport:
    """Sends ``EXTERNAL_followup`` through Rasa's HTTP API (one ``requests`` session)."""

    def __init__(self, settings: Settings, timeout: float = 60.0) -> None:
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
        body = {"name": FOLLOWUP_INTENT, "entities": {"wave": wave}}
        try:
            response = self.session.post(url, params=params, json=body, timeout=self.timeout)
        except requests.ConnectionError:
            return Delivery(ok=False, connection_error=True, detail="rasa unreachable")
        except requests.Timeout:
            return Delivery(ok=False, detail="timeout (may have been delivered)")
        if response.ok:
            try:
                messages = response.json().get("messages") or []
            except ValueError:
                messages = []
            return Delivery(ok=True, status=response.status_code, detail="ok", messages=messages)
        text = response.text[:2000]
        limited = response.status_code == 429 or bool(_RATE_LIMITED.search(text))
        return Delivery(
            ok=False,
            status=response.status_code,
            rate_limited=limited,
            retry_after=_retry_after(response, text) if limited else None,
            detail=f"http {response.status_code} {_error_name(text)}",
        )
