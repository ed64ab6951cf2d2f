"""``TelegramInput``: the Rasa input channel that polls (or receives webhooks from) Telegram."""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.lock_store import LockError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import Bot, Update
from telegram.error import Conflict, Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from bot.channels.inbound_errors import apology_if_rasa_fails
from bot.channels.telegram.config import TelegramConfig, build_config
from bot.channels.telegram.keyboard import LEGACY_TOKEN_PREFIX
from bot.channels.telegram.output import TelegramOutput
from bot.channels.telegram.privacy import conversation_ref
from bot.channels.telegram.queues import ChatQueues
from bot.channels.telegram.retry import RetryPolicy, flood_wait, with_retries
from bot.channels.telegram.state import KeyboardStore, OffsetStore, RecentIds
from bot.channels.telegram.translate import Inbound, inbound_from_update
from bot.config import ConfigError, load_settings
from bot.i18n import t
from bot.logging_filters import install_log_redaction

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]
DRAIN_SECONDS = 10.0
MAX_POLL_BACKOFF = 30.0
LOCK_ATTEMPTS = 4
LOCK_RETRY_SECONDS = 0.5


class TelegramInput(InputChannel):
    """Telegram through python-telegram-bot inside Rasa's Sanic loop (polling or webhook)."""

    @classmethod
    def name(cls) -> str:
        """Channel name: ``/webhooks/telegram/...`` and ``output_channel=telegram``."""
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        """Build from the (non-secret) options under the class name in ``credentials.yml``."""
        return cls(credentials or {})

    def __init__(
        self,
        options: Dict[str, Any] | None = None,
        config: TelegramConfig | None = None,
    ) -> None:
        install_log_redaction(logging.getLogger())
        self.config = config or self._load_config(options or {})
        self._bot: Bot | None = None
        self._recent = RecentIds()
        self._tapped = RecentIds()
        self._queues: ChatQueues[Inbound] = ChatQueues(self._handle)
        self._offsets = OffsetStore(self.config.database_url) if self.config.enabled else None
        self._keyboards = (
            KeyboardStore(self.config.database_url, self.config.secret_key)
            if self.config.enabled
            else None
        )
        self._floor = 0
        self._task: asyncio.Task | None = None
        self._on_new_message: Callable[[UserMessage], Awaitable[Any]] | None = None
        if not self.config.enabled:
            log.info("Telegram channel disabled (no TELEGRAM_BOT_TOKEN)")
        elif self.config.mode == "webhook" and not self.config.webhook_secret:
            log.error("Telegram webhook mode needs TELEGRAM_WEBHOOK_SECRET; channel disabled")
            self.config = TelegramConfig(token="", mode="webhook")

    @staticmethod
    def _load_config(options: Dict[str, Any]) -> TelegramConfig:
        try:
            return build_config(options, load_settings())
        except (ConfigError, ValueError) as error:
            log.error("Telegram channel disabled: %s", error)
            return TelegramConfig(token="")

    # -- Rasa hooks ---------------------------------------------------------------------------
    def get_output_channel(self) -> OutputChannel | None:
        """An output channel for proactive messages (``trigger_intent?output_channel=telegram``).

        Delivery failures raise, so the caller (the follow-up scheduler) can try again later.
        """
        if self._bot is None:
            return None
        return TelegramOutput(
            self._bot, self.config.secret_key, self._keyboards, raise_on_failure=True
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Routes ``GET /webhooks/telegram/`` and ``POST /webhooks/telegram/webhook``; starts
        the poller or registers the webhook once the server (and its model) is up."""
        bp = Blueprint("telegram_webhook", __name__)
        self._on_new_message = on_new_message

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            state = self.config.mode if self.config.enabled else "disabled"
            return response.json({"status": "ok", "mode": state})

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return self._receive_webhook(request)

        @bp.listener("after_server_start")
        async def start(_app: Any, _loop: Any) -> None:
            await self.start()

        @bp.listener("before_server_stop")
        async def stop(_app: Any, _loop: Any) -> None:
            await self.stop()

        return bp

    # -- lifecycle ----------------------------------------------------------------------------
    def _make_bot(self) -> Bot:
        request = HTTPXRequest(
            connection_pool_size=32, read_timeout=15, write_timeout=15, pool_timeout=10
        )
        poll_request = HTTPXRequest(
            connection_pool_size=2, read_timeout=self.config.poll_timeout + 15, pool_timeout=10
        )
        return Bot(
            self.config.token,
            base_url=self.config.api_base_url,
            request=request,
            get_updates_request=poll_request,
        )

    async def start(self) -> None:
        """Create the bot and start the background task (no-op when disabled)."""
        if not self.config.enabled or self._bot is not None:
            return
        self._bot = self._make_bot()
        self._task = asyncio.get_running_loop().create_task(self._run())

    @property
    def bot(self) -> Bot:
        """The Telegram bot; only used once :meth:`start` has created it."""
        if self._bot is None:
            raise RuntimeError("Telegram channel not started")
        return self._bot

    async def stop(self) -> None:
        """Stop polling, let queued messages finish (bounded), close HTTP connections."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if not await self._queues.join(DRAIN_SECONDS):
            log.warning("Telegram: some queued messages were not handled before shutdown")
        if self._bot is not None:
            try:
                await self._bot.shutdown()
            except TelegramError:
                pass

    async def _run(self) -> None:
        try:
            if not await self._connect():
                return
            if self.config.mode == "webhook":
                await self._register_webhook()
            else:
                await self._poll()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # noqa: BLE001 - never kill the Rasa server
            log.error("Telegram channel stopped unexpectedly: %s", type(error).__name__)

    async def _connect(self) -> bool:
        """``getMe`` until it works; False when the token is rejected."""
        delay = 1.0
        while True:
            try:
                await self.bot.initialize()
                log.info("Telegram channel started (%s mode)", self.config.mode)
                return True
            except (InvalidToken, Forbidden) as error:
                log.error("Telegram rejected the bot token (%s)", type(error).__name__)
                return False
            except TelegramError as error:
                log.warning("Telegram API unreachable (%s); retrying", type(error).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_POLL_BACKOFF)

    async def _register_webhook(self) -> None:
        if not self.config.webhook_url:
            log.warning("TELEGRAM_WEBHOOK_URL not set: register the webhook with Telegram yourself")
            return
        await with_retries(
            lambda: self.bot.set_webhook(
                url=self.config.webhook_url,
                secret_token=self.config.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            ),
            what="setWebhook",
            ref="-",
        )
        log.info("Telegram webhook registered")

    async def _poll(self) -> None:
        await with_retries(
            lambda: self.bot.delete_webhook(drop_pending_updates=False),
            what="deleteWebhook",
            ref="-",
        )
        offsets = self._offsets
        if offsets is None:  # only a disabled channel has no offset store, and it never polls
            return
        offset = await asyncio.to_thread(offsets.load)
        self._floor = offset or 0
        backoff = 1.0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=self.config.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES,
                )
                backoff = 1.0
            except RetryAfter as error:
                await asyncio.sleep(flood_wait(error))
                continue
            except (InvalidToken, Forbidden) as error:
                log.error("Telegram rejected the bot token (%s)", type(error).__name__)
                return
            except TelegramError as error:
                if isinstance(error, Conflict):
                    log.warning("Telegram polling conflict: another poller or a webhook is active")
                else:
                    log.warning("Telegram getUpdates failed (%s)", type(error).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_POLL_BACKOFF)
                continue
            for update in updates:
                offset = max(offset or 0, update.update_id + 1)
                self.accept(update)
            if updates and offset is not None:
                await asyncio.to_thread(offsets.save, offset)
            elif self.config.poll_timeout == 0:
                await asyncio.sleep(1.0)

    # -- updates --------------------------------------------------------------------------------
    def _receive_webhook(self, request: Request) -> HTTPResponse:
        if not self.config.enabled or self.config.mode != "webhook" or self._bot is None:
            return response.json({"error": "Telegram webhook mode is not enabled"}, status=404)
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.config.webhook_secret.encode()):
            log.warning("Telegram webhook call refused: wrong or missing secret token")
            return response.json({"error": "forbidden"}, status=403)
        try:
            update = Update.de_json(request.json, self._bot)
        except Exception:  # noqa: BLE001 - malformed body
            return response.json({"error": "not a Telegram update"}, status=400)
        if update is None or not isinstance(update.update_id, int):
            return response.json({"error": "not a Telegram update"}, status=400)
        try:
            self.accept(update)
        except (AttributeError, TypeError, ValueError):  # fields of the wrong type or missing
            log.warning("Telegram webhook call ignored: malformed update")
            return response.json({"error": "not a Telegram update"}, status=400)
        return response.json({"ok": True})

    def accept(self, update: Update) -> bool:
        """Queue an update for its chat; False for duplicates and updates the bot ignores."""
        if update.update_id < self._floor or not self._recent.first_time(update.update_id):
            log.info("Telegram update redelivered; ignored")
            return False
        inbound = inbound_from_update(update)
        if inbound is None:
            return False
        self._queues.submit(inbound.chat_id, inbound)
        return True

    async def _handle(self, inbound: Inbound) -> None:
        output = TelegramOutput(self.bot, self.config.secret_key, self._keyboards)
        language = inbound.language or "en"
        text: str | None = inbound.text
        if inbound.callback_query_id is not None:
            first_tap = await self._acknowledge(inbound, output)
            if not first_tap:
                return
            # a keyboard from before stateless payloads
            if text is not None and text.startswith(LEGACY_TOKEN_PREFIX):
                await output.send_text_message(
                    inbound.chat_id, t("channel_button_expired", language)
                )
                return
        if inbound.unsupported:
            await output.send_text_message(inbound.chat_id, t("channel_unsupported", language))
            return
        secret = self.config.secret_key
        async with apology_if_rasa_fails(output, inbound.chat_id, secret, language, log):
            message = UserMessage(
                text,
                output,
                inbound.chat_id,
                input_channel=self.name(),
                message_id=inbound.message_id,
                metadata=inbound.metadata,
            )
            await self._to_rasa(message)
            await output.retire_keyboard(inbound.chat_id)

    async def _to_rasa(self, message: UserMessage) -> None:
        """Hand ``message`` to Rasa; when its lock store lost our ticket (``LockError``, a race
        of Rasa's lock store when the previous message of this chat has just been handled by
        another process), try again: nothing of the message was processed yet."""
        if self._on_new_message is None:
            raise RuntimeError("Telegram channel has no Rasa handler (blueprint not built)")
        for attempt in range(1, LOCK_ATTEMPTS + 1):
            try:
                await self._on_new_message(message)
                return
            except LockError:
                if attempt == LOCK_ATTEMPTS:
                    raise
                ref = conversation_ref(self.config.secret_key, message.sender_id)
                log.warning("Rasa lock not acquired for %s; retry %d", ref, attempt)
                await asyncio.sleep(LOCK_RETRY_SECONDS * attempt)

    async def _acknowledge(self, inbound: Inbound, output: TelegramOutput) -> bool:
        """Answer the tap and remove the keyboard it came from; False for a second tap."""
        ref = conversation_ref(self.config.secret_key, inbound.chat_id)
        policy = RetryPolicy(attempts=3)
        try:
            await with_retries(
                lambda: self.bot.answer_callback_query(inbound.callback_query_id or ""),
                what="answerCallbackQuery",
                ref=ref,
                policy=policy,
            )
        except TelegramError as error:
            log.warning("Telegram callback answer failed for %s (%s)", ref, type(error).__name__)
        if inbound.tapped_message_id is None:
            return True
        if not self._tapped.first_time((inbound.chat_id, inbound.tapped_message_id)):
            log.info("second tap on the same Telegram keyboard ignored for %s", ref)
            return False
        await output.remove_keyboard(inbound.chat_id, inbound.tapped_message_id)
        return True
