"""The Telegram channel's configuration: secrets from settings/env, options from credentials."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Mapping

from bot.config import Settings

MODES = ("polling", "webhook")
DEFAULT_POLL_TIMEOUT = 25


@dataclass(frozen=True)
class TelegramConfig:
    """Everything the channel needs; ``enabled`` is False when no bot token is configured."""

    token: str
    mode: str = "polling"
    poll_timeout: int = DEFAULT_POLL_TIMEOUT
    webhook_secret: str = ""
    webhook_url: str = ""
    api_base_url: str = "https://api.telegram.org/bot"
    database_url: str = ""
    secret_key: str = ""

    @property
    def enabled(self) -> bool:
        """True when a bot token is configured."""
        return bool(self.token)


def build_config(
    options: Mapping[str, Any] | None, settings: Settings, environ: Mapping[str, str] | None = None
) -> TelegramConfig:
    """Merge credentials-file options with settings; ``TELEGRAM_*`` env vars win over the file.

    Raises ``ValueError`` with a readable message when an option is malformed.
    """
    env = os.environ if environ is None else environ
    options = dict(options or {})
    mode = str(env.get("TELEGRAM_MODE") or options.get("mode") or "polling").strip().lower()
    if mode not in MODES:
        raise ValueError(f"Telegram mode must be one of {', '.join(MODES)}, not {mode!r}")
    raw_timeout = env.get("TELEGRAM_POLL_TIMEOUT") or options.get("poll_timeout")
    try:
        poll_timeout = int(raw_timeout) if raw_timeout not in (None, "") else DEFAULT_POLL_TIMEOUT
    except (TypeError, ValueError) as error:
        raise ValueError("Telegram poll_timeout must be a whole number of seconds") from error
    if not 0 <= poll_timeout <= 50:
        raise ValueError("Telegram poll_timeout must be between 0 and 50 seconds")
    return TelegramConfig(
        token=(env.get("TELEGRAM_BOT_TOKEN") or settings.telegram_token).strip(),
        mode=mode,
        poll_timeout=poll_timeout,
        webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or settings.telegram_webhook_secret,
        webhook_url=env.get("TELEGRAM_WEBHOOK_URL") or settings.extra.get("webhook_url", ""),
        api_base_url=env.get("TELEGRAM_API_BASE_URL") or settings.telegram_api_base_url,
        database_url=settings.database_url,
        secret_key=settings.secret_key,
    )
