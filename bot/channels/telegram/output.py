"""Rasa's bot messages → Telegram ``sendMessage`` calls, retried, never silently dropped."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, List

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, RetryAfter, TelegramError

from bot.channels.telegram.keyboard import inline_keyboard
from bot.channels.telegram.privacy import conversation_ref
from bot.channels.telegram.retry import RetryPolicy, flood_wait, with_retries
from bot.channels.telegram.state import KeyboardStore
from bot.channels.text_output import TextFirstOutput

log = logging.getLogger(__name__)
MAX_TEXT = 4096
EMPTY_TEXT_WITH_BUTTONS = "…"
# Proactive sends run inside the follow-up sender's HTTP request (trigger_intent): flood waits
# up to this are sat out there; a longer one is handed back to the sender, which pauses every
# send for the whole wait and tries the trigger again (its request would time out first).
PROACTIVE_POLICY = RetryPolicy(max_flood_wait=20.0, hand_back_long_floods=True)


class DeliveryFailedError(RuntimeError):
    """A message could not be delivered after all retries (raised for proactive sends only)."""


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut ``text`` into Telegram-sized parts, at line breaks or spaces when possible."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        cut = cut if cut > limit // 2 else limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return [p for p in parts if p] or [""]


def chat_id_of(recipient_id: str) -> int | str:
    """Rasa's sender id back to the Telegram chat id."""
    text = str(recipient_id).strip()
    return int(text) if text.lstrip("-").isdigit() else text


class TelegramOutput(TextFirstOutput):
    """Sends through a shared ``telegram.Bot``.

    With ``raise_on_failure`` (proactive sends via ``trigger_intent``) an undeliverable message
    raises :class:`DeliveryFailedError` so the caller can retry later; in replies it is logged as an
    error and the conversation goes on (the tracker stays consistent).  A proactive send that
    meets a flood wait longer than :data:`PROACTIVE_POLICY` sits out raises at once, saying
    "flood control ... retry after N": the sender pauses N seconds and tries again.

    With ``keyboards``, a chat has one live keyboard: sending a new one removes the previous one
    (see :meth:`retire_keyboard` for a turn that ends without a new keyboard).
    """

    def __init__(
        self,
        bot: Bot,
        secret_key: str,
        keyboards: KeyboardStore | None = None,
        *,
        raise_on_failure: bool = False,
        policy: RetryPolicy | None = None,
    ) -> None:
        self.bot = bot
        self.secret_key = secret_key
        self.keyboards = keyboards
        self.raise_on_failure = raise_on_failure
        self.policy = policy or (PROACTIVE_POLICY if raise_on_failure else RetryPolicy())
        self.sent = 0
        self.failed = 0
        self.new_keyboard: int | None = None  # message id of the last keyboard this output sent
        self._removed: set[tuple[str, int]] = set()

    @classmethod
    def name(cls) -> str:
        """The channel name Rasa stores and ``trigger_intent?output_channel=`` uses."""
        return "telegram"

    async def _send(
        self, recipient_id: str, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> None:
        ref = conversation_ref(self.secret_key, recipient_id)
        chat_id = chat_id_of(recipient_id)
        parts = split_text(text)
        for index, part in enumerate(parts):
            keyboard = markup if index == len(parts) - 1 else None
            try:
                message = await with_retries(
                    lambda part=part, keyboard=keyboard: self.bot.send_message(  # type: ignore[misc]
                        chat_id=chat_id, text=part, reply_markup=keyboard
                    ),
                    what="sendMessage",
                    ref=ref,
                    policy=self.policy,
                )
                self.sent += 1
                if keyboard is not None:
                    await self._keyboard_sent(recipient_id, message.message_id)
            except TelegramError as error:
                if self.raise_on_failure and isinstance(error, RetryAfter):
                    self.failed += 1
                    # The sender's transport reads "flood control ... retry after N".
                    done = "nothing sent" if self.sent == 0 else f"{self.sent} sent"
                    raise DeliveryFailedError(
                        f"Telegram flood control, {done}: retry after {flood_wait(error):.0f}"
                    ) from None
                self.failed += 1
                log.error(
                    "Telegram message to %s NOT delivered after retries (%s)",
                    ref,
                    type(error).__name__,
                )
                if self.raise_on_failure:
                    raise DeliveryFailedError(f"message to {ref} not delivered") from None
                return

    # -- the one live keyboard per chat ----------------------------------------------------------
    async def remove_keyboard(self, recipient_id: str, message_id: int) -> None:
        """Remove the inline keyboard of message ``message_id`` (once; errors only logged)."""
        if (str(recipient_id), message_id) in self._removed:
            return
        self._removed.add((str(recipient_id), message_id))
        ref = conversation_ref(self.secret_key, recipient_id)
        try:
            await with_retries(
                lambda: self.bot.edit_message_reply_markup(
                    chat_id=chat_id_of(recipient_id), message_id=message_id, reply_markup=None
                ),
                what="editMessageReplyMarkup",
                ref=ref,
                policy=RetryPolicy(attempts=3),
            )
        except BadRequest:
            pass  # already edited, or too old to edit: nothing to remove
        except TelegramError as error:
            log.warning("Telegram keyboard not removed for %s (%s)", ref, type(error).__name__)

    async def _keyboard_sent(self, recipient_id: str, message_id: int) -> None:
        self.new_keyboard = message_id
        if self.keyboards is None:
            return
        previous = await asyncio.to_thread(self.keyboards.load, recipient_id)
        await asyncio.to_thread(self.keyboards.save, recipient_id, message_id)
        if previous is not None and previous != message_id:
            await self.remove_keyboard(recipient_id, previous)

    async def retire_keyboard(self, recipient_id: str) -> None:
        """After a turn that sent messages but no new keyboard (the trainee typed the last
        answer, or the wave ended), remove the keyboard still live in the chat."""
        if self.keyboards is None or self.new_keyboard is not None or not self.sent:
            return
        previous = await asyncio.to_thread(self.keyboards.load, recipient_id)
        if previous is not None:
            await asyncio.to_thread(self.keyboards.save, recipient_id, None)
            await self.remove_keyboard(recipient_id, previous)

    # -- Rasa's output channel interface -------------------------------------------------------
    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send plain text (split when over Telegram's 4096-character limit)."""
        await self._send(recipient_id, text)

    async def send_text_with_buttons(
        self,
        recipient_id: str,
        text: str,
        buttons: List[Dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        """Send text with an inline keyboard; each button's callback data is its payload."""
        markup = inline_keyboard(buttons)
        await self._send(recipient_id, text or EMPTY_TEXT_WITH_BUTTONS, markup)
