"""Rasa's REST channel, off unless configured, and then only on loopback or with a token.

REST takes the sender id from the request body, so it proves nothing about who is typing: it is
a channel for development and tests. It answers only when ``TRACER_REST_ENABLED`` is set, and
then only to a client on loopback or one that sends ``Authorization: Bearer
<TRACER_REST_TOKEN>``. The input channel is always ``rest`` (a client cannot claim another),
and metadata that only Rasa may set is dropped.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request

from bot.channels.client_metadata import client_metadata
from bot.config import Settings, get_settings

log = logging.getLogger(__name__)


def is_loopback(address: str | None) -> bool:
    """True for 127.0.0.0/8 and ::1."""
    try:
        return ipaddress.ip_address((address or "").strip("[]")).is_loopback
    except ValueError:
        return False


def rest_refusal(settings: Settings, peer: str | None, authorization: str | None) -> str | None:
    """Why a REST request is refused (None when it may go through)."""
    if not settings.rest_enabled:
        return "disabled"
    token = settings.rest_token
    if token and hmac.compare_digest((authorization or "").encode(), f"Bearer {token}".encode()):
        return None
    if is_loopback(peer):
        return None
    return "not loopback and no valid token"


class GuardedRestInput(RestInput):
    """The ``rest`` channel behind :func:`rest_refusal`."""

    @classmethod
    def name(cls) -> str:
        """Same name as Rasa's REST channel: ``/webhooks/rest/webhook``."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        """No options: everything comes from Tracer's settings."""
        return cls()

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> Dict[str, Any]:
        """The client's metadata without keys only Rasa may set."""
        return client_metadata((request.json or {}).get("metadata"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        """Rasa's REST routes behind the guard."""
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def guard(request: Request) -> Any:
            refusal = rest_refusal(get_settings(), request.ip, request.headers.get("authorization"))
            if refusal is None:
                return None
            log.info("REST request refused: %s", refusal)
            status = 404 if refusal == "disabled" else 403
            return response.json({"error": f"REST channel: {refusal}"}, status=status)

        return blueprint
