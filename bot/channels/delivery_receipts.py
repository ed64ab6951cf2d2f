"""Delivery receipts from SMS providers: ``POST /webhooks/receipts/twilio`` and ``/africastalking``.

Twilio callbacks must carry a valid ``X-Twilio-Signature`` computed on the public callback URL
configured in ``TWILIO_STATUS_CALLBACK_URL`` (the one Tracer gives Twilio with each message);
Africa's Talking reports must carry ``?token=`` equal to ``AFRICASTALKING_CALLBACK_TOKEN``.
Without those settings the routes answer 404.  No message goes to the bot.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.config import get_settings
from bot.outreach.receipts import (
    africastalking_receipt,
    apply_receipt,
    twilio_receipt,
    twilio_signature,
)

log = logging.getLogger(__name__)
# seconds between look-ups of a receipt's message (about 8 s in all)
RECEIPT_RETRY_DELAYS = (0, 0.2, 0.5, 1.0, 2.0, 4.0)


def _form(request: Request) -> dict[str, str]:
    return {key: values[0] for key, values in (request.form or {}).items()}


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class DeliveryReceipts(InputChannel):
    """Receives provider delivery reports and records them on the invitation rows."""

    @classmethod
    def name(cls) -> str:
        """Mounted at ``/webhooks/receipts``."""
        return "receipts"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        """No options: everything comes from the environment."""
        return cls()

    @staticmethod
    async def _apply_soon(receipt: Any) -> bool:
        """Record a receipt; a provider may call back before the sender has stored its id.

        The sender records the provider's message id just after the provider's API answers,
        and a fast callback can overtake it: the look-up is tried again for a few seconds.
        """
        for delay in RECEIPT_RETRY_DELAYS:
            if delay:
                await asyncio.sleep(delay)
            if apply_receipt(get_settings(), receipt, _now()):
                return True
        return False

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The two receipt routes."""
        hook = Blueprint("tracer_delivery_receipts", __name__)

        @hook.route("/twilio", methods=["POST"])
        async def twilio(request: Request) -> HTTPResponse:
            values = get_settings().messaging
            url, token = values.get("TWILIO_STATUS_CALLBACK_URL"), values.get("TWILIO_AUTH_TOKEN")
            if not url or not token:
                return response.text("Not found.", status=404)
            form = _form(request)
            given = request.headers.get("X-Twilio-Signature", "")
            if not hmac.compare_digest(given, twilio_signature(token, url, form)):
                return response.text("Forbidden.", status=403)
            receipt = twilio_receipt(form)
            if receipt is not None and not await self._apply_soon(receipt):
                log.info("twilio receipt for an unknown message")
            return response.text("", status=204)

        @hook.route("/africastalking", methods=["POST"])
        async def africastalking(request: Request) -> HTTPResponse:
            expected = get_settings().messaging.get("AFRICASTALKING_CALLBACK_TOKEN")
            if not expected:
                return response.text("Not found.", status=404)
            if not hmac.compare_digest(request.args.get("token", ""), expected):
                return response.text("Forbidden.", status=403)
            receipt = africastalking_receipt(_form(request))
            if receipt is not None and not await self._apply_soon(receipt):
                log.info("africastalking receipt for an unknown message")
            return response.text("", status=204)

        return hook
