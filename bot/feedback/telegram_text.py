"""A :class:`bot.outreach.messaging.MessageTransport` that posts one text to a Telegram chat.

Results messages are not survey turns, so they go straight to the Bot API's ``sendMessage``
(``TELEGRAM_API_BASE_URL`` + token, as the channel uses) rather than through Rasa.
"""

from __future__ import annotations

from typing import Any

import requests

from bot.config import Settings
from bot.outreach.messaging import MessageResult
from bot.outreach.transport import never_connected


class TelegramText:
    """``send_text(chat_id, text)`` through the Telegram Bot API; never raises."""

    kind = "telegram"
    name = "telegram"

    def __init__(self, settings: Settings, timeout: float = 30.0) -> None:
        self.url = f"{settings.telegram_api_base_url}{settings.telegram_token}/sendMessage"
        self.rate_per_second = settings.send_rate_per_second
        self.timeout = timeout
        self.session = requests.Session()

    def send_text(self, address: str, text: str, subject: str = "") -> MessageResult:
        """Send ``text`` to chat ``address``; the result says whether it went out."""
        body: dict[str, Any] = {"chat_id": address, "text": text, "disable_web_page_preview": True}
        try:
            response = self.session.post(self.url, json=body, timeout=self.timeout)
        except requests.RequestException as error:
            if never_connected(error):
                return MessageResult(False, "telegram unreachable", retryable=True)
            return MessageResult(False, "connection lost (may have been sent)", ambiguous=True)
        try:
            payload = response.json()
        except ValueError:
            payload = {}
        if response.ok and payload.get("ok"):
            reference = str((payload.get("result") or {}).get("message_id", ""))
            return MessageResult(True, "ok", reference=reference)
        retry_after = (payload.get("parameters") or {}).get("retry_after")
        reason = f"telegram {response.status_code}"
        if response.status_code == 429 or response.status_code >= 500:
            return MessageResult(False, reason, retryable=True, retry_after=retry_after)
        return MessageResult(False, reason)  # 400 chat not found, 403 blocked: for good
