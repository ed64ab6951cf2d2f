"""Rasa buttons → a Telegram inline keyboard whose callback data is the Rasa payload."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Any, Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

MAX_CALLBACK_BYTES = 64
SHORT_TITLE = 3  # ratings and other tiny labels share one row
ROW_TITLE = 12  # two or three short labels (Yes / No) share one row
MAX_PER_ROW = 8
TOKEN_PREFIX = "~"


class LongPayloads:
    """Payloads over Telegram's 64-byte callback limit, kept in memory behind a short token."""

    def __init__(self, maxsize: int = 2048) -> None:
        self.maxsize = maxsize
        self._payloads: OrderedDict[str, str] = OrderedDict()

    def callback_data(self, payload: str) -> str:
        """``payload`` itself when short enough, else a token that :meth:`resolve` maps back."""
        if len(payload.encode("utf-8")) <= MAX_CALLBACK_BYTES:
            return payload
        token = TOKEN_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]
        self._payloads[token] = payload
        self._payloads.move_to_end(token)
        if len(self._payloads) > self.maxsize:
            self._payloads.popitem(last=False)
        return token

    def resolve(self, data: str) -> str | None:
        """The payload behind callback ``data``; None for an unknown (expired) token."""
        if not data.startswith(TOKEN_PREFIX):
            return data
        return self._payloads.get(data)


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


def inline_keyboard(
    buttons: Iterable[dict[str, Any]], payloads: LongPayloads
) -> InlineKeyboardMarkup | None:
    """An inline keyboard for Rasa ``buttons`` (title + payload); a Skip button gets its own row."""
    usable = [b for b in buttons if b.get("title")]
    if not usable:
        return None
    main = [b for b in usable if not _is_skip(b)]
    extra = [b for b in usable if _is_skip(b)]

    def key(button: dict[str, Any]) -> InlineKeyboardButton:
        title = str(button["title"])
        data = payloads.callback_data(str(button.get("payload") or title))
        return InlineKeyboardButton(text=title, callback_data=data)

    keyboard = [[key(main[i]) for i in row] for row in rows_for([str(b["title"]) for b in main])]
    keyboard += [[key(b)] for b in extra]
    return InlineKeyboardMarkup(keyboard)
