"""Rasa's socket.io channel with server-issued, signed session ids.

Rasa's own channel takes the conversation id from the browser (``session_request`` and every
``user_uttered``), so anyone can write, and read the replies of, any conversation whose id they
know or guess. Here the server issues the id as a signed token (bot/channels/web_session.py) in
``session_confirm``; a missing, forged or expired token gets a fresh anonymous session. Each
socket is bound to the conversation confirmed for it, and messages go to that conversation
whatever id the client puts in them.
"""

from __future__ import annotations

import json
import logging
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.client_metadata import client_metadata
from bot.channels.web_session import WebSessionSigner
from bot.config import get_settings

log = logging.getLogger(__name__)


class SignedSocketIOInput(SocketIOInput):
    """``socketio`` channel whose session ids only the server can mint."""

    @classmethod
    def name(cls) -> str:
        """Same name as Rasa's channel (trackers, ``output_channel=socketio``)."""
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        """The event names and path from ``credentials.yml``; sessions always persist."""
        credentials = credentials or {}
        return cls(
            credentials.get("user_message_evt", "user_uttered"),
            credentials.get("bot_message_evt", "bot_uttered"),
            credentials.get("namespace"),
            True,
            credentials.get("socketio_path", "/socket.io"),
        )

    def _signer(self) -> WebSessionSigner:
        settings = get_settings()
        return WebSessionSigner(settings.secret_key, settings.web_session_days)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The socket.io endpoint with signed sessions."""
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        signer = self._signer()
        conversations: dict[str, str] = {}  # socket id → conversation confirmed for it

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: Dict, auth: Dict | None = None) -> bool:
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: str) -> None:
            conversations.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Dict | None = None) -> None:
            token = (data or {}).get("session_id") if isinstance(data, dict) else None
            conversation = signer.conversation_of(token)
            if conversation is None:
                token, conversation = signer.issue()
            previous = conversations.get(sid)
            if previous and previous != conversation:
                sio.leave_room(sid, previous)
            conversations[sid] = conversation
            sio.enter_room(sid, conversation)
            await sio.emit("session_confirm", token, room=sid)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            conversation = conversations.get(sid)
            if conversation is None or not isinstance(data, dict):
                log.info("socket.io message without a confirmed session ignored")
                return
            metadata = data.get(self.metadata_key, {})
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            text = data.get("message", "")
            message = UserMessage(
                text if isinstance(text, str) else "",
                SocketIOOutput(sio, self.bot_message_evt),
                conversation,
                input_channel=self.name(),
                metadata=client_metadata(metadata),
            )
            await on_new_message(message)

        return webhook
