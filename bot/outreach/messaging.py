"""One small interface for invitation and reminder messages, and the transports behind it.

A :class:`MessageTransport` delivers one text to one address (a phone number or an e-mail
address) and says how it went in a :class:`MessageResult`.  SMS gateways (Twilio, Africa's
Talking: bot/outreach/sms_providers.py) and e-mail (bot/outreach/email_smtp.py) implement it;
another gateway, or a WhatsApp template sender, is one more class with the same two members.

Configuration comes from the environment (``Settings.messaging``); without it a transport is
off and :func:`transports_from_settings` leaves it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.config import ConfigError, Settings


@dataclass(frozen=True)
class MessageResult:
    """How one send went.  ``reason`` is short and never holds message text or addresses.

    ``accepted``: the provider took the message (delivery may still fail later);
    ``retryable``: it certainly did not go out and a later try may work (rate limit, outage);
    ``ambiguous``: it may have gone out (connection lost after sending): never re-sent.
    """

    accepted: bool
    reason: str = ""
    reference: str = ""  # the provider's message id (for delivery reports)
    retryable: bool = False
    ambiguous: bool = False
    retry_after: float | None = None


class MessageTransport(Protocol):
    """Delivers a text message to an address of one kind ("sms" or "email")."""

    kind: str
    name: str
    rate_per_second: float

    def send_text(self, address: str, text: str, subject: str = "") -> MessageResult:
        """Send ``text`` (``subject`` is used by e-mail only); never raises."""


def _float(values: dict[str, str], key: str, default: float) -> float:
    try:
        value = float(values.get(key, default))
    except ValueError as error:
        raise ConfigError(f"{key} must be a number") from error
    if value <= 0:
        raise ConfigError(f"{key} must be positive")
    return value


def transports_from_settings(settings: Settings) -> dict[str, MessageTransport]:
    """The configured transports by kind ("sms", "email"); empty when nothing is set up."""
    from bot.outreach.email_smtp import SmtpEmail
    from bot.outreach.sms_providers import AfricasTalkingSms, TwilioSms

    values = settings.messaging
    found: dict[str, MessageTransport] = {}
    provider = values.get("TRACER_SMS_PROVIDER", "").strip().lower()
    if not provider:
        if values.get("TWILIO_ACCOUNT_SID"):
            provider = "twilio"
        elif values.get("AFRICASTALKING_API_KEY"):
            provider = "africastalking"
    sms_rate = _float(values, "TRACER_SMS_RATE", 1.0)
    if provider == "twilio":
        found["sms"] = TwilioSms.from_settings(values, sms_rate)
    elif provider in ("africastalking", "africas_talking", "at"):
        found["sms"] = AfricasTalkingSms.from_settings(values, sms_rate)
    elif provider:
        raise ConfigError("TRACER_SMS_PROVIDER must be twilio or africastalking")
    if values.get("TRACER_SMTP_HOST"):
        found["email"] = SmtpEmail.from_settings(values, _float(values, "TRACER_EMAIL_RATE", 2.0))
    return found


def require(values: dict[str, str], *keys: str) -> list[str]:
    """The values of ``keys``; ``ConfigError`` naming the missing ones."""
    missing = [key for key in keys if not values.get(key)]
    if missing:
        raise ConfigError(f"missing setting(s): {', '.join(missing)}")
    return [values[key] for key in keys]
