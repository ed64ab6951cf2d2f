"""Rasa bot messages → Cloud API message bodies: text, reply buttons, list, or numbered text.

WhatsApp limits (Cloud API reference): at most 3 reply buttons with titles of 20 characters and
ids of 256; a list holds at most 10 rows with titles of 24, descriptions of 72 and ids of 200;
the list's button label is 20 characters; interactive body text 1024; text body 4096.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any, Sequence

from bot.channels.whatsapp.translate import RESUME_PAYLOAD
from bot.i18n import t

MAX_BUTTONS = 3
MAX_ROWS = 10
BUTTON_TITLE = 20
ROW_TITLE = 24
ROW_DESCRIPTION = 72
BUTTON_ID = 256
ROW_ID = 200
INTERACTIVE_BODY = 1024
TEXT_BODY = 4096
TOKEN_PREFIX = "~"
ELLIPSIS = "…"


def shorten(label: str, limit: int, keep_qualifier: bool = False) -> str:
    """``label`` cut to ``limit`` characters: the part before `` / `` or `` (`` when that fits
    (unless ``keep_qualifier``), else whole words followed by an ellipsis."""
    label = " ".join(label.split())
    if len(label) <= limit:
        return label
    for separator in (" / ", " (", ", "):
        head = label.split(separator, 1)[0].strip()
        if separator in label and 0 < len(head) <= limit and not keep_qualifier:
            return head
    cut = label[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:/(-") + ELLIPSIS


def titles_for(labels: Sequence[str], limit: int) -> list[str]:
    """Distinct titles of at most ``limit`` characters for one message's choices (WhatsApp
    refuses duplicate titles): shortened labels, cut differently or numbered where they clash."""
    titles = [shorten(label, limit) for label in labels]
    for attempt in ("qualifier", "number"):
        clashes = {t for t in titles if titles.count(t) > 1}
        if not clashes:
            break
        for i, label in enumerate(labels):
            if titles[i] in clashes:
                if attempt == "qualifier":
                    titles[i] = shorten(label, limit, keep_qualifier=True)
                else:
                    titles[i] = shorten(f"{i + 1}. {label}", limit, keep_qualifier=True)
    return titles


class ReplyIds:
    """Payloads too long for a reply id, kept in memory behind a short token."""

    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def reply_id(self, payload: str, limit: int) -> str:
        """``payload`` itself when it fits ``limit`` characters, else a token."""
        if len(payload) <= limit and not payload.startswith(TOKEN_PREFIX):
            return payload
        token = TOKEN_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]
        self._payloads[token] = payload
        self._payloads.move_to_end(token)
        if len(self._payloads) > self.maxsize:
            self._payloads.popitem(last=False)
        return token

    def resolve(self, reply_id: str) -> str | None:
        """The payload behind a reply id; None for an unknown (expired) token."""
        if not reply_id.startswith(TOKEN_PREFIX):
            return reply_id
        return self._payloads.get(reply_id)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def text_body(text: str) -> dict[str, Any]:
    """A plain text message (previews off)."""
    return {"type": "text", "text": {"body": _clip(text, TEXT_BODY), "preview_url": False}}


def _choices(buttons: Sequence[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (str(b["title"]), str(b.get("payload") or b["title"])) for b in buttons if b.get("title")
    ]


def choice_body(
    text: str, buttons: Sequence[dict[str, Any]], ids: ReplyIds, language: str = "en"
) -> dict[str, Any]:
    """Text with choices: reply buttons (≤ 3), a list (4–10) or numbered text (more)."""
    choices = _choices(buttons)
    body = text or "…"
    if not choices:
        return text_body(body)
    if len(choices) <= MAX_BUTTONS and len(body) <= INTERACTIVE_BODY:
        titles = titles_for([title for title, _ in choices], BUTTON_TITLE)
        return {
            "type": "interactive",
            "interactive": {
                "type": "button",
                "body": {"text": body},
                "action": {
                    "buttons": [
                        {
                            "type": "reply",
                            "reply": {
                                "id": ids.reply_id(payload, BUTTON_ID),
                                "title": short,
                            },
                        }
                        for short, (_, payload) in zip(titles, choices, strict=True)
                    ]
                },
            },
        }
    if len(choices) <= MAX_ROWS and len(body) <= INTERACTIVE_BODY:
        rows = []
        titles = titles_for([title for title, _ in choices], ROW_TITLE)
        for short, (title, payload) in zip(titles, choices, strict=True):
            row = {"id": ids.reply_id(payload, ROW_ID), "title": short}
            if row["title"] != title:
                row["description"] = _clip(title, ROW_DESCRIPTION)
            rows.append(row)
        return {
            "type": "interactive",
            "interactive": {
                "type": "list",
                "body": {"text": body},
                "action": {
                    "button": t("channel_list_button", language),
                    "sections": [{"rows": rows}],
                },
            },
        }
    lines = [body, ""] + [f"{n}. {title}" for n, (title, _) in enumerate(choices, start=1)]
    return text_body("\n".join(lines))


def template_body(name: str, language: str, parameters: Sequence[str]) -> dict[str, Any]:
    """An approved template message in ``language`` with body ``parameters``; its first
    quick-reply button carries :data:`RESUME_PAYLOAD` (every Tracer template has one)."""
    components: list[dict[str, Any]] = []
    if parameters:
        components.append(
            {"type": "body", "parameters": [{"type": "text", "text": p} for p in parameters]}
        )
    components.append(
        {
            "type": "button",
            "sub_type": "quick_reply",
            "index": "0",
            "parameters": [{"type": "payload", "payload": RESUME_PAYLOAD}],
        }
    )
    return {
        "type": "template",
        "template": {"name": name, "language": {"code": language}, "components": components},
    }
