"""SMS through provider HTTP APIs: Twilio and Africa's Talking (plain ``requests``).

Both base URLs are configurable (``TWILIO_API_BASE_URL``, ``AFRICASTALKING_API_BASE_URL``), so
tests talk to fakes (tests/fakes/sms_apis.py) and Africa's Talking users can use the sandbox.
Outcomes are classified like the chat transport's: accepted, retryable (429, 5xx, no
connection), ambiguous (connection lost or timed out after sending), or a plain failure with
the provider's reason (bad number, blocked, no credit, wrong credentials...).
"""

from __future__ import annotations

import re

import requests

from bot.outreach.messaging import MessageResult, require
from bot.outreach.transport import never_connected

_TIMEOUT = 30.0


def _transport_error(error: requests.RequestException) -> MessageResult:
    if never_connected(error):
        return MessageResult(False, "provider unreachable", retryable=True)
    kind = "timeout" if isinstance(error, requests.Timeout) else "connection lost"
    return MessageResult(False, f"{kind} (may have been sent)", ambiguous=True)


def _retry_after(response: requests.Response) -> float | None:
    header = (response.headers.get("Retry-After") or "").strip()
    return float(header) if header.isdigit() else None


def _short(text: object) -> str:
    """A provider message, cut short, with digit runs (phone numbers) masked."""
    return re.sub(r"\+?\d[\d ]{5,}\d", "<number>", str(text))[:120]


class TwilioSms:
    """Twilio Programmable Messaging: ``POST /2010-04-01/Accounts/{sid}/Messages.json``."""

    kind = "sms"
    name = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        sender: str,
        base_url: str = "https://api.twilio.com",
        rate_per_second: float = 1.0,
        status_callback: str = "",
    ) -> None:
        self.account_sid, self.auth_token, self.sender = account_sid, auth_token, sender
        self.base_url = base_url.rstrip("/")
        self.rate_per_second = rate_per_second
        self.status_callback = status_callback
        self.session = requests.Session()

    @classmethod
    def from_settings(cls, values: dict[str, str], rate: float) -> TwilioSms:
        """Build from ``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``, ``TWILIO_FROM`` (a number
        or a ``MG...`` messaging service id) and optional ``TWILIO_API_BASE_URL``."""
        sid, token, sender = require(
            values, "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"
        )
        return cls(
            sid,
            token,
            sender,
            values.get("TWILIO_API_BASE_URL", "https://api.twilio.com"),
            rate,
            values.get("TWILIO_STATUS_CALLBACK_URL", ""),
        )

    def send_text(self, address: str, text: str, subject: str = "") -> MessageResult:
        """Send one SMS; never raises."""
        url = f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        form = {"To": address, "Body": text}
        form["MessagingServiceSid" if self.sender.startswith("MG") else "From"] = self.sender
        if self.status_callback:
            form["StatusCallback"] = self.status_callback
        try:
            response = self.session.post(
                url, data=form, auth=(self.account_sid, self.auth_token), timeout=_TIMEOUT
            )
        except requests.RequestException as error:
            return _transport_error(error)
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        if response.ok and body.get("sid"):
            return MessageResult(True, str(body.get("status") or "accepted"), str(body["sid"]))
        code = body.get("code") or response.status_code
        reason = f"twilio {code}: {_short(body.get('message') or response.reason)}"
        retryable = response.status_code == 429 or response.status_code >= 500
        return MessageResult(False, reason, retryable=retryable, retry_after=_retry_after(response))


# Africa's Talking per-recipient status codes that a later try may fix.
_AT_RETRYABLE = {405, 500, 501}  # insufficient balance, internal error, gateway error


class AfricasTalkingSms:
    """Africa's Talking bulk SMS: ``POST /version1/messaging`` with an ``apiKey`` header."""

    kind = "sms"
    name = "africastalking"

    def __init__(
        self,
        username: str,
        api_key: str,
        sender: str = "",
        base_url: str = "https://api.africastalking.com",
        rate_per_second: float = 1.0,
    ) -> None:
        self.username, self.api_key, self.sender = username, api_key, sender
        self.base_url = base_url.rstrip("/")
        self.rate_per_second = rate_per_second
        self.session = requests.Session()

    @classmethod
    def from_settings(cls, values: dict[str, str], rate: float) -> AfricasTalkingSms:
        """Build from ``AFRICASTALKING_USERNAME``, ``AFRICASTALKING_API_KEY``, optional
        ``AFRICASTALKING_FROM`` (sender id / short code) and ``AFRICASTALKING_API_BASE_URL``
        (``https://api.sandbox.africastalking.com`` for the sandbox)."""
        username, key = require(values, "AFRICASTALKING_USERNAME", "AFRICASTALKING_API_KEY")
        return cls(
            username,
            key,
            values.get("AFRICASTALKING_FROM", ""),
            values.get("AFRICASTALKING_API_BASE_URL", "https://api.africastalking.com"),
            rate,
        )

    def send_text(self, address: str, text: str, subject: str = "") -> MessageResult:
        """Send one SMS; never raises."""
        form = {"username": self.username, "to": address, "message": text}
        if self.sender:
            form["from"] = self.sender
        headers = {"apiKey": self.api_key, "Accept": "application/json"}
        try:
            response = self.session.post(
                f"{self.base_url}/version1/messaging", data=form, headers=headers, timeout=_TIMEOUT
            )
        except requests.RequestException as error:
            return _transport_error(error)
        if not response.ok:
            retryable = response.status_code == 429 or response.status_code >= 500
            return MessageResult(
                False,
                f"africastalking http {response.status_code}: {_short(response.text)}",
                retryable=retryable,
                retry_after=_retry_after(response),
            )
        try:
            recipients = response.json()["SMSMessageData"]["Recipients"]
            first = recipients[0]
        except (ValueError, KeyError, IndexError, TypeError):
            return MessageResult(False, "africastalking: message not accepted", retryable=False)
        code = int(first.get("statusCode") or 0)
        if code in (100, 101, 102):
            return MessageResult(True, str(first.get("status")), str(first.get("messageId", "")))
        return MessageResult(
            False,
            f"africastalking {code}: {_short(first.get('status'))}",
            retryable=code in _AT_RETRYABLE,
        )
