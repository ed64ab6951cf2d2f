"""Delivery results from SMS providers update the invitation they belong to.

Twilio posts a status callback (``MessageSid``, ``MessageStatus``, ``ErrorCode``) signed with
``X-Twilio-Signature``; Africa's Talking posts a delivery report (``id``, ``status``,
``failureReason``) that is not signed, so its callback URL carries a secret token.  Both are
parsed here into one :class:`Receipt`; :func:`apply_receipt` records it.  Intermediate states
(queued, sent, buffered...) change nothing.  An ``undelivered`` code is never re-sent
automatically (the number is probably wrong): ``tracer invite --send ... --reissue`` does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update

from bot.config import Settings
from bot.storage.db import session_scope
from bot.storage.models import Invitation

_TWILIO_FINAL = {"delivered": True, "read": True, "undelivered": False, "failed": False}
_AT_FINAL = {"success": True, "failed": False, "rejected": False}


@dataclass(frozen=True)
class Receipt:
    """A final delivery result for one provider message id."""

    reference: str
    delivered: bool
    reason: str


def twilio_signature(auth_token: str, url: str, form: dict[str, str]) -> str:
    """Twilio's ``X-Twilio-Signature`` for a POST to ``url`` with ``form`` (HMAC-SHA1)."""
    payload = url + "".join(f"{key}{form[key]}" for key in sorted(form))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twilio_receipt(form: dict[str, str]) -> Receipt | None:
    """The final result in a Twilio status callback, or None for an intermediate status."""
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").lower()
    if status not in _TWILIO_FINAL or not form.get("MessageSid"):
        return None
    code = form.get("ErrorCode") or ""
    reason = status if not code else f"{status}: twilio error {code}"
    return Receipt(form["MessageSid"], _TWILIO_FINAL[status], reason)


def africastalking_receipt(form: dict[str, str]) -> Receipt | None:
    """The final result in an Africa's Talking delivery report, or None."""
    status = (form.get("status") or "").lower()
    if status not in _AT_FINAL or not form.get("id"):
        return None
    failure = form.get("failureReason") or ""
    reason = "delivered" if _AT_FINAL[status] else f"{status}: {failure or 'no reason given'}"
    return Receipt(form["id"], _AT_FINAL[status], reason[:200])


def apply_receipt(settings: Settings, receipt: Receipt, now: datetime) -> bool:
    """Record ``receipt`` on its invitation; False when no sent invitation has that id."""
    values = (
        {"send_state": "delivered", "delivered_at": now, "send_result": receipt.reason}
        if receipt.delivered
        else {"send_state": "undelivered", "send_result": receipt.reason}
    )
    with session_scope(settings.database_url) as session:
        result = session.execute(
            update(Invitation)
            .where(
                Invitation.provider_ref == receipt.reference,
                Invitation.send_state.in_(("accepted", "delivered", "undelivered")),
            )
            .values(**values)
        )
        return result.rowcount > 0
