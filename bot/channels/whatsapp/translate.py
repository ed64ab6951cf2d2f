"""WhatsApp webhook deliveries → inbound messages for Rasa and delivery statuses.

The Cloud API posts ``{"object": "whatsapp_business_account", "entry": [{"changes": [{"field":
"messages", "value": {"messages": [...], "statuses": [...]}}]}]}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

# What a wa.me invitation pre-fills: "START <code>" (bot.security.crypto.new_invite_code: 10
# characters of A-Z and 2-9 without I and O; one code in 18 has no digit at all).
START = re.compile(r"^\s*/?start\s*:?\s*([A-HJ-NP-Z2-9]{10})\s*$", re.IGNORECASE)
STATUSES = ("sent", "delivered", "read", "failed")
# The quick-reply button of every follow-up template carries this payload.
RESUME_PAYLOAD = "tracer-resume"


@dataclass(frozen=True)
class Inbound:
    """One user message: ``text`` for Rasa (a reply id when ``kind`` is ``reply``)."""

    wamid: str
    wa_id: str
    text: str = ""
    kind: str = "text"  # text | reply | resume | unsupported
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class StatusUpdate:
    """A delivery receipt for a message we sent."""

    wamid: str
    status: str
    error_code: int | None = None
    error_title: str = ""


def start_text(text: str) -> str:
    """``START CODE`` (what a wa.me invitation pre-fills) → the greet payload with the code."""
    match = START.match(text)
    if match is None:
        return text
    return '/greet{"invite_code":"' + match.group(1).upper() + '"}'


def _values(body: Any) -> Iterator[dict[str, Any]]:
    if not isinstance(body, dict) or body.get("object") != "whatsapp_business_account":
        raise ValueError("not a WhatsApp Business Account delivery")
    for entry in body.get("entry") or []:
        for change in entry.get("changes") or []:
            if change.get("field") == "messages" and isinstance(change.get("value"), dict):
                yield change["value"]


def _inbound(message: dict[str, Any]) -> Inbound | None:
    wamid, wa_id, kind = message.get("id"), message.get("from"), message.get("type")
    if not isinstance(wamid, str) or not isinstance(wa_id, str):
        return None
    meta = {"channel": "whatsapp"}
    if kind == "text":
        body = str((message.get("text") or {}).get("body") or "").strip()
        if body:
            return Inbound(wamid, wa_id, start_text(body), "text", {**meta, "kind": "text"})
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get(interactive.get("type") or "") or {}
        if interactive.get("type") in ("button_reply", "list_reply") and reply.get("id"):
            return Inbound(wamid, wa_id, str(reply["id"]), "reply", {**meta, "kind": "button"})
    if kind == "button":  # a template's quick-reply button
        payload = str((message.get("button") or {}).get("payload") or "")
        if payload == RESUME_PAYLOAD:
            return Inbound(wamid, wa_id, payload, "resume", {**meta, "kind": "button"})
        text = str((message.get("button") or {}).get("text") or "")
        if text:
            return Inbound(wamid, wa_id, text, "text", {**meta, "kind": "text"})
    return Inbound(wamid, wa_id, "", "unsupported", meta)


def parse_delivery(body: Any) -> tuple[list[Inbound], list[StatusUpdate]]:
    """Messages and statuses of one webhook delivery; ``ValueError`` when it is not one."""
    inbound: list[Inbound] = []
    statuses: list[StatusUpdate] = []
    for value in _values(body):
        for message in value.get("messages") or []:
            if isinstance(message, dict) and (item := _inbound(message)) is not None:
                inbound.append(item)
        for status in value.get("statuses") or []:
            if not isinstance(status, dict) or status.get("status") not in STATUSES:
                continue
            errors = status.get("errors") or [{}]
            code = errors[0].get("code") if isinstance(errors[0], dict) else None
            statuses.append(
                StatusUpdate(
                    wamid=str(status.get("id") or ""),
                    status=status["status"],
                    error_code=code if isinstance(code, int) else None,
                    error_title=str(errors[0].get("title") or "")[:80]
                    if isinstance(errors[0], dict)
                    else "",
                )
            )
    return inbound, statuses
