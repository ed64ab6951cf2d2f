"""``WhatsAppInput`` / ``WhatsAppOutput``: the Cloud API webhook and sends, inside Rasa's Sanic."""

from __future__ import annotations

import asyncio
import hmac
import logging
from datetime import datetime
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.inbound_errors import apology_if_rasa_fails
from bot.channels.telegram.privacy import conversation_ref
from bot.channels.telegram.queues import ChatQueues
from bot.channels.telegram.state import RecentIds
from bot.channels.text_output import TextFirstOutput
from bot.channels.whatsapp.config import WhatsAppConfig, build_config
from bot.channels.whatsapp.graph import REENGAGEMENT_REQUIRED, GraphClient, GraphError
from bot.channels.whatsapp.messages import ReplyIds, choice_body, template_body, text_body
from bot.channels.whatsapp.signature import HEADER, valid_signature
from bot.channels.whatsapp.state import ChannelState
from bot.channels.whatsapp.translate import Inbound, StatusUpdate, parse_delivery
from bot.config import ConfigError, load_settings
from bot.i18n import t
from bot.logging_filters import install_log_redaction
from bot.storage.repository import TracerStore

log = logging.getLogger(__name__)
DRAIN_SECONDS = 10.0
STATUS_RECHECK_SECONDS = 2.0


def utcnow() -> datetime:
    """Naive UTC now (how the database stores times)."""
    return datetime.utcnow()


class DeliveryFailedError(RuntimeError):
    """A proactive message could not be delivered (the follow-up sender records the failure)."""


class WhatsAppOutput(TextFirstOutput):
    """Sends Rasa's messages to one WhatsApp number.

    Proactive sends (``trigger_intent``) outside the 24-hour window go out as the wave's
    approved template; the turn's ordinary messages are held until the trainee answers it.
    """

    def __init__(
        self,
        channel: WhatsAppInput,
        *,
        proactive: bool = False,
        language: str | None = None,
    ) -> None:
        self.channel = channel
        self.proactive = proactive
        self._language = language
        self._holding = False
        self._decided = not proactive
        self._outreach: tuple[int, str, str] | None = None
        self._linked = False

    @classmethod
    def name(cls) -> str:
        """The channel name Rasa stores and ``trigger_intent?output_channel=`` uses."""
        return "whatsapp"

    async def _language_of(self, recipient_id: str) -> str:
        if self._language is None:
            self._language = await asyncio.to_thread(self.channel.state.language_of, recipient_id)
        return self._language

    async def _send_template(self, recipient_id: str) -> None:
        if self._outreach is None:
            raise RuntimeError("no outreach in flight to send a template for")
        outreach_id, wave, language = self._outreach
        spec = self.channel.config.template_for(wave)
        months = "".join(ch for ch in wave if ch.isdigit())
        params = [p.format(wave=wave, months=months) for p in spec.parameters]
        wamid = await self.channel.client.send(
            recipient_id, template_body(spec.name, language, params)
        )
        await asyncio.to_thread(self.channel.state.link, wamid, outreach_id)
        self._linked = True
        self._holding = True

    async def _decide(self, recipient_id: str) -> None:
        """For a proactive turn: ordinary messages inside the window, a template outside."""
        self._decided = True
        state = self.channel.state
        self._outreach = await asyncio.to_thread(state.outreach_in_flight, recipient_id)
        if self._outreach is None:
            return
        if not await asyncio.to_thread(state.window_open, recipient_id, utcnow()):
            await self._send_template(recipient_id)

    async def _deliver(self, recipient_id: str, body: Dict[str, Any]) -> None:
        ref = conversation_ref(self.channel.config.secret_key, recipient_id)
        try:
            if not self._decided:
                await self._decide(recipient_id)
            if self._holding:
                await asyncio.to_thread(self.channel.state.hold, recipient_id, body)
                return
            try:
                wamid = await self.channel.client.send(recipient_id, body)
            except GraphError as error:
                if not (self.proactive and self._outreach and error.code == REENGAGEMENT_REQUIRED):
                    raise
                await self._send_template(recipient_id)  # the window was closed after all
                await asyncio.to_thread(self.channel.state.hold, recipient_id, body)
                return
            if self._outreach is not None and not self._linked:
                await asyncio.to_thread(self.channel.state.link, wamid, self._outreach[0])
                self._linked = True
        except GraphError as error:
            log.error("WhatsApp message to %s not delivered (%s)", ref, error.reason)
            if self._outreach is not None:
                await asyncio.to_thread(
                    self.channel.state.record_status, self._outreach[0], "failed", error.reason
                )
            if self.proactive:
                raise DeliveryFailedError(error.reason) from error

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        """Send plain text."""
        await self._deliver(recipient_id, text_body(text))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        """Reply buttons (≤ 3), a list (4–10) or numbered text (more)."""
        language = await self._language_of(recipient_id)
        await self._deliver(
            recipient_id, choice_body(text, buttons, self.channel.reply_ids, language)
        )


class WhatsAppInput(InputChannel):
    """The Cloud API webhook (``/webhooks/whatsapp/webhook``) and sends for one phone number."""

    @classmethod
    def name(cls) -> str:
        """Channel name: ``/webhooks/whatsapp/...`` and ``output_channel=whatsapp``."""
        return "whatsapp"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        """Build from the environment (the credentials entry takes no options)."""
        return cls()

    def __init__(self, config: WhatsAppConfig | None = None) -> None:
        install_log_redaction(logging.getLogger())
        settings = load_settings()
        if config is None:
            try:
                config = build_config(settings.database_url, settings.secret_key)
            except (ConfigError, ValueError) as error:
                log.error("WhatsApp channel disabled: %s", error)
                config = WhatsAppConfig()
        self.config = config
        self.state = ChannelState(TracerStore(settings))
        self.reply_ids = ReplyIds()
        self._recent = RecentIds()
        self._queues: ChatQueues[Inbound] = ChatQueues(self._handle)
        self._client: GraphClient | None = None
        self._on_new_message: Callable[[UserMessage], Awaitable[Any]] | None = None
        if not self.config.enabled:
            log.info("WhatsApp channel disabled (WHATSAPP_* settings missing)")

    @property
    def client(self) -> GraphClient:
        """The Graph API client (created on first use)."""
        if self._client is None:
            self._client = GraphClient(self.config.messages_url, self.config.access_token)
        return self._client

    def get_output_channel(self) -> OutputChannel | None:
        """Output for proactive messages (``trigger_intent?output_channel=whatsapp``)."""
        return WhatsAppOutput(self, proactive=True) if self.config.enabled else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """``GET``/``POST /webhooks/whatsapp/webhook`` (verification handshake, deliveries)."""
        bp = Blueprint("whatsapp_webhook", __name__)
        self._on_new_message = on_new_message

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.config.enabled else "disabled"})

        @bp.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            return self._verify(request)

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            return await self._receive(request)

        @bp.listener("before_server_stop")
        async def stop(_app: Any, _loop: Any) -> None:
            if not await self._queues.join(DRAIN_SECONDS):
                log.warning("WhatsApp: some queued messages were not handled before shutdown")
            if self._client is not None:
                await self._client.close()

        return bp

    # -- webhook ----------------------------------------------------------------------------------
    def _verify(self, request: Request) -> HTTPResponse:
        """Meta's subscription handshake: echo ``hub.challenge`` for the right verify token."""
        args = request.args
        token = args.get("hub.verify_token", "")
        if (
            self.config.enabled
            and args.get("hub.mode") == "subscribe"
            and valid_token(token, self.config.verify_token)
        ):
            return response.text(args.get("hub.challenge", ""))
        return response.empty(status=403)

    async def _receive(self, request: Request) -> HTTPResponse:
        if not self.config.enabled or not valid_signature(
            self.config.app_secret, request.body or b"", request.headers.get(HEADER)
        ):
            log.warning("WhatsApp webhook call refused: missing or wrong signature")
            return response.empty(status=403)
        try:
            inbound, statuses = parse_delivery(request.json)
        except (ValueError, TypeError, AttributeError):
            log.warning("WhatsApp webhook call ignored: not a WhatsApp delivery")
            return response.empty(status=400)
        for item in inbound:
            if not self._recent.first_time(item.wamid):
                log.info("WhatsApp message redelivered; ignored")
                continue
            self._queues.submit(item.wa_id, item)
        if statuses:
            asyncio.get_running_loop().create_task(self._statuses(statuses))
        return response.empty(status=200)

    async def _statuses(self, statuses: list[StatusUpdate]) -> None:
        for status in statuses:
            outreach_id = await asyncio.to_thread(self.state.outreach_of, status.wamid)
            if outreach_id is None:  # a status may overtake the end of the send that linked it
                await asyncio.sleep(STATUS_RECHECK_SECONDS)
                outreach_id = await asyncio.to_thread(self.state.outreach_of, status.wamid)
            reason = ""
            if status.status == "failed":
                reason = GraphError(None, status.error_code, status.error_title).reason
                log.warning("WhatsApp message failed after acceptance (%s)", reason)
            if outreach_id is not None:
                await asyncio.to_thread(
                    self.state.record_status, outreach_id, status.status, reason
                )

    # -- one inbound message --------------------------------------------------------------------
    async def _handle(self, inbound: Inbound) -> None:
        await asyncio.to_thread(self.state.user_wrote, inbound.wa_id, utcnow())
        language = await asyncio.to_thread(self.state.language_of, inbound.wa_id)
        output = WhatsAppOutput(self, language=language)
        held = await asyncio.to_thread(self.state.take_held, inbound.wa_id)
        if held:  # the answer to a follow-up template: now the window is open
            for body in held:
                await output._deliver(inbound.wa_id, body)
            return
        if inbound.kind == "unsupported":
            await output.send_text_message(inbound.wa_id, t("channel_unsupported", language))
            return
        text: str | None = inbound.text
        if inbound.kind == "reply":
            text = self.reply_ids.resolve(inbound.text)
            if text is None:
                await output.send_text_message(inbound.wa_id, t("channel_button_expired", language))
                return
        if inbound.kind == "resume":
            return  # a template button pressed twice: nothing held any more
        if self._on_new_message is None:
            raise RuntimeError("WhatsApp channel has no Rasa handler (blueprint not built)")
        secret = self.config.secret_key
        async with apology_if_rasa_fails(output, inbound.wa_id, secret, language, log):
            await self._on_new_message(
                UserMessage(
                    text,
                    output,
                    inbound.wa_id,
                    input_channel=self.name(),
                    message_id=inbound.wamid,
                    metadata=inbound.metadata,
                )
            )


def valid_token(given: str, expected: str) -> bool:
    """Constant-time comparison of the handshake's verify token."""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())
