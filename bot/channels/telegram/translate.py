"""Telegram updates → what Rasa should read: text or a button payload, plus routing facts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from telegram import Update

from bot.i18n.languages import enabled_languages, primary_subtag

START_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
COMMANDS = {"help": "/help", "stop": "/stop", "language": "/change_language"}


@dataclass(frozen=True)
class Inbound:
    """One update to hand to Rasa (``text``) or to answer directly (``unsupported``)."""

    update_id: int
    chat_id: str
    text: str = ""
    language: str | None = None
    callback_query_id: str | None = None
    tapped_message_id: int | None = None
    unsupported: bool = False
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def message_id(self) -> str:
        """The id Rasa stores with the message: stable across redeliveries of the update."""
        return f"tg-{self.update_id}"


def supported_language(language_code: str | None) -> str | None:
    """``"fr"`` for ``"fr-CA"``; None unless the language is one the bot speaks."""
    short = primary_subtag(language_code)
    return short if short in enabled_languages() else None


def payload(intent: str, entities: dict[str, str] | None = None) -> str:
    """A Rasa ``/intent{...}`` payload with JSON-escaped entities."""
    if not entities:
        return f"/{intent}"
    return f"/{intent}" + json.dumps(entities, separators=(",", ":"), ensure_ascii=False)


def command_text(text: str, language: str | None) -> str:
    """Translate a Telegram bot command (``/start CODE``, ``/help``...) into Rasa input."""
    head, _, rest = text.strip().partition(" ")
    command = head[1:].split("@", 1)[0].lower()
    argument = rest.strip()
    if command == "start":
        entities: dict[str, str] = {}
        if argument and START_CODE.match(argument):
            entities["invite_code"] = argument
        if language:
            entities["language"] = language
        return payload("greet", entities)
    if command in COMMANDS:
        return COMMANDS[command]
    # Unknown command: let the NLU read the words rather than inventing an intent.
    return f"{command} {argument}".strip() if command else text.strip()


def inbound_from_update(update: Update) -> Inbound | None:
    """What one update means for the bot; None for updates the bot ignores (edits, joins...)."""
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        chat_id = message.chat.id if message is not None else query.from_user.id
        return Inbound(
            update_id=update.update_id,
            chat_id=str(chat_id),
            text=query.data or "",
            language=supported_language(query.from_user.language_code),
            callback_query_id=query.id,
            tapped_message_id=message.message_id if message is not None else None,
            metadata={"channel": "telegram", "kind": "button"},
        )
    message = update.message
    if message is None or message.chat is None:
        return None
    if message.chat.type != "private":
        return None
    language = supported_language(message.from_user.language_code if message.from_user else None)
    base: dict[str, Any] = {
        "update_id": update.update_id,
        "chat_id": str(message.chat.id),
        "language": language,
    }
    if not message.text:
        return Inbound(**base, unsupported=True, metadata={"channel": "telegram"})
    text = message.text
    if text.startswith("/"):
        text = command_text(text, language)
    return Inbound(**base, text=text, metadata={"channel": "telegram", "kind": "text"})
