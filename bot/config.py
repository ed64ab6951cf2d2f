"""Tracer settings: one object built from environment variables and an optional env file.

Precedence: real environment > ``TRACER_ENV_FILE`` (default ``var/tracer.env``) > defaults.
Secrets (``TRACER_SECRET_KEY``, ``TRACER_ENCRYPTION_KEY``) are generated into ``var/tracer.env``
on first use on a developer machine, so a fresh clone runs; production sets them explicitly.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ENV_FILE = PROJECT_ROOT / "var" / "tracer.env"


# Settings of the SMS / e-mail transports, read by bot/outreach/messaging.py.
MESSAGING_PREFIXES = ("TRACER_SMS_", "TWILIO_", "AFRICASTALKING_", "TRACER_SMTP_", "TRACER_EMAIL_")


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names the variable."""


def _read_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.exists():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def _ensure_local_secrets(path: Path) -> None:
    """Create ``path`` with fresh random secrets when it does not exist (developer machines).

    The file is owner-only (0600) from its first byte and appears complete or not at all.
    """
    from bot.security.private_files import write_private_once

    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fernet_key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    write_private_once(
        path,
        "# Generated on first run. Keep it out of version control; back it up with the database.\n"
        f"TRACER_SECRET_KEY={secrets.token_urlsafe(32)}\n"
        f"TRACER_ENCRYPTION_KEY={fernet_key}\n"
        f"TRACER_RASA_TOKEN={secrets.token_urlsafe(24)}\n",
    )


def _ints(text: str, name: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError as error:
        raise ConfigError(f"{name} must be a comma-separated list of whole numbers") from error


@dataclass(frozen=True)
class Settings:
    """Every setting Tracer reads, with its default."""

    database_url: str
    secret_key: str
    encryption_key: str
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = ""
    action_server_url: str = "http://127.0.0.1:5055/webhook"
    telegram_token: str = ""
    telegram_bot_username: str = ""
    telegram_webhook_secret: str = ""
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    whatsapp_invite_number: str = ""
    web_base_url: str = "http://127.0.0.1:5005"  # Rasa serves /webchat/ (scripts/run.sh)
    followup_months: tuple[int, ...] = (6, 12)
    reminder_days: tuple[int, ...] = (3, 7)
    quiet_hours: tuple[int, int] = (21, 8)
    default_timezone: str = "UTC"
    raw_text_retention_days: int = 90
    consent_version: str = "2026.1"
    k_anonymity: int = 5
    max_suppression_share: float = 0.05
    send_rate_per_second: float = 30.0
    rest_enabled: bool = False
    rest_token: str = ""
    web_session_days: int = 400
    baseline_grace_days: int = 30
    fieldwork_window_months: int = 3
    # Invitation/reminder messages by SMS and e-mail (bot/outreach/messaging.py); off when empty.
    messaging: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with some settings changed (tests, CLI options)."""
        return replace(self, **changes)  # type: ignore[arg-type]  # checked at run time


def _default_database_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'var' / 'tracer.db'}"


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Build :class:`Settings` from the environment and the env file."""
    env = dict(os.environ if environ is None else environ)
    env_file = Path(env.get("TRACER_ENV_FILE", DEFAULT_ENV_FILE))
    local_dir = PROJECT_ROOT / "var"
    if "TRACER_SECRET_KEY" not in env and env_file.resolve().parent == local_dir.resolve():
        # Developer and CI checkouts: generate secrets once inside the git-ignored var/ folder.
        # An env file anywhere else is never invented: production must provide its secrets.
        _ensure_local_secrets(env_file)
    merged = {**_read_env_file(env_file), **env}

    def get(name: str, default: str = "") -> str:
        return merged.get(name, default)

    secret_key = get("TRACER_SECRET_KEY")
    encryption_key = get("TRACER_ENCRYPTION_KEY")
    if not secret_key or not encryption_key:
        raise ConfigError(
            f"TRACER_SECRET_KEY and TRACER_ENCRYPTION_KEY must be set (environment or {env_file})"
        )
    quiet = _ints(get("TRACER_QUIET_HOURS", "21,8"), "TRACER_QUIET_HOURS")
    if len(quiet) != 2:
        raise ConfigError("TRACER_QUIET_HOURS must be two hours, e.g. 21,8")
    try:
        return Settings(
            database_url=get("TRACER_DATABASE_URL")
            or get("DATABASE_URL")
            or _default_database_url(),
            secret_key=secret_key,
            encryption_key=encryption_key,
            rasa_url=get("TRACER_RASA_URL", "http://127.0.0.1:5005"),
            rasa_token=get("TRACER_RASA_TOKEN"),
            action_server_url=get("TRACER_ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook"),
            telegram_token=get("TELEGRAM_BOT_TOKEN"),
            telegram_bot_username=get("TELEGRAM_BOT_USERNAME"),
            telegram_webhook_secret=get("TELEGRAM_WEBHOOK_SECRET"),
            telegram_api_base_url=get("TELEGRAM_API_BASE_URL", "https://api.telegram.org/bot"),
            whatsapp_invite_number=get("WHATSAPP_INVITE_NUMBER"),
            web_base_url=get("TRACER_WEB_BASE_URL")
            or f"http://127.0.0.1:{get('TRACER_RASA_PORT') or '5005'}",
            followup_months=_ints(get("TRACER_FOLLOWUP_MONTHS", "6,12"), "TRACER_FOLLOWUP_MONTHS"),
            reminder_days=_ints(get("TRACER_REMINDER_DAYS", "3,7"), "TRACER_REMINDER_DAYS"),
            quiet_hours=(quiet[0], quiet[1]),
            default_timezone=get("TRACER_TIMEZONE", "UTC"),
            raw_text_retention_days=int(get("TRACER_RAW_TEXT_RETENTION_DAYS", "90")),
            consent_version=get("TRACER_CONSENT_VERSION", "2026.1"),
            k_anonymity=int(get("TRACER_K_ANONYMITY", "5")),
            max_suppression_share=float(get("TRACER_MAX_SUPPRESSION_SHARE", "0.05")),
            send_rate_per_second=float(get("TRACER_SEND_RATE", "30")),
            rest_enabled=get("TRACER_REST_ENABLED", "").strip().lower() in ("1", "true", "yes"),
            rest_token=get("TRACER_REST_TOKEN"),
            web_session_days=int(get("TRACER_WEB_SESSION_DAYS", "400")),
            baseline_grace_days=int(get("TRACER_BASELINE_GRACE_DAYS", "30")),
            fieldwork_window_months=int(get("TRACER_FIELDWORK_WINDOW_MONTHS", "3")),
            messaging={k: v for k, v in merged.items() if k.startswith(MESSAGING_PREFIXES) and v},
        )
    except ValueError as error:
        raise ConfigError(f"a numeric setting is malformed: {error}") from error


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, built once."""
    return load_settings()
