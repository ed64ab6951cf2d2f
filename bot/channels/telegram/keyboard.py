"""Rasa buttons → a Telegram inline keyboard whose callback data is the Rasa payload itself.

Tracer's payloads name their question and wave and always fit Telegram's 64-byte limit
(``bot/survey/buttons.py``), so callback data needs no server-side memory: any process reads
any tap, after restarts too.
"""

from __future__ import annotations

import logging
from typing import Any, Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

log = logging.getLogger(__name__)
MAX_CALLBACK_BYTES = 64
SHORT_TITLE = 3  # ratings and other tiny labels share one row
ROW_TITLE = 12  # two or three short labels (Yes / No) share one row
MAX_PER_ROW = 8
LEGACY_TOKEN_PREFIX = "~"  # callback data of keyboards sent before payloads were stateless


def callback_data(payload: str) -> str | None:
    """The callback data for ``payload``: the payload itself, or None when it cannot fit."""
    return payload if len(payload.encode("utf-8")) <= MAX_CALLBACK_BYTES else None


def rows_for(titles: list[str]) -> list[list[int]]:
    """Indices of buttons per row: tiny labels in rows of 8, two or three short ones together,
    otherwise one button per row so long labels are never cut."""
    count = len(titles)
    if count and all(len(t) <= SHORT_TITLE for t in titles):
        return [list(range(i, min(i + MAX_PER_ROW, count))) for i in range(0, count, MAX_PER_ROW)]
    if 1 < count <= 3 and all(len(t) <= ROW_TITLE for t in titles):
        return [list(range(count))]
    return [[i] for i in range(count)]


def _is_skip(button: dict[str, Any]) -> bool:
    return str(button.get("payload", "")).startswith("/skip")


def inline_keyboard(buttons: Iterable[dict[str, Any]]) -> InlineKeyboardMarkup | None:
    """An inline keyboard for Rasa ``buttons`` (title + payload); a Skip button gets its own row.

    A button whose payload exceeds 64 bytes is left out (logged): the trainee can still type.
    """
    usable = []
    for button in buttons:
        if not button.get("title"):
            continue
        if callback_data(str(button.get("payload") or button["title"])) is None:
            log.error("button payload over %d bytes left out of a keyboard", MAX_CALLBACK_BYTES)
            continue
        usable.append(button)
    if not usable:
        return None
    main = [b for b in usable if not _is_skip(b)]
    extra = [b for b in usable if _is_skip(b)]

    def key(button: dict[str, Any]) -> InlineKeyboardButton:
        title = str(button["title"])
        return InlineKeyboardButton(text=title, callback_data=str(button.get("payload") or title))

    keyboard = [[key(main[i]) for i in row] for row in rows_for([str(b["title"]) for b in main])]
    keyboard += [[key(b)] for b in extra]
    return InlineKeyboardMarkup(keyboard)
