"""Console settings: its port, its cookie-signing secret and its session/throttling limits."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from bot.config import DEFAULT_ENV_FILE, PROJECT_ROOT, ConfigError

SECRET_NAME = "TRACER_CONSOLE_SECRET"


@dataclass(frozen=True)
class ConsoleConfig:
    """What the console needs besides the project settings."""

    secret: str
    port: int = 5080
    session_minutes: int = 480
    max_failures: int = 5
    lockout_minutes: int = 15
    files_dir: Path = PROJECT_ROOT / "var" / "console"
    secure_cookie: bool = False


def _env_file_value(path: Path, name: str) -> str:
    if not path.exists():
        return ""
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        if key.strip() == name:
            return value.strip().strip('"').strip("'")
    return ""


def console_secret(environ: dict[str, str] | None = None) -> str:
    """TRACER_CONSOLE_SECRET from the environment or the env file.

    On developer and CI machines (env file inside the git-ignored ``var/``) a missing secret is
    generated once and appended to that file; anywhere else it must be provided.
    """
    env = dict(os.environ if environ is None else environ)
    if env.get(SECRET_NAME):
        return env[SECRET_NAME]
    env_file = Path(env.get("TRACER_ENV_FILE", DEFAULT_ENV_FILE))
    value = _env_file_value(env_file, SECRET_NAME)
    if value:
        return value
    if env_file.resolve().parent != (PROJECT_ROOT / "var").resolve() or not env_file.exists():
        raise ConfigError(f"{SECRET_NAME} must be set (environment or {env_file})")
    value = secrets.token_urlsafe(32)
    with env_file.open("a", encoding="utf-8") as handle:
        handle.write(f"{SECRET_NAME}={value}\n")
    return value


def load_console_config(environ: dict[str, str] | None = None) -> ConsoleConfig:
    """Build :class:`ConsoleConfig` from TRACER_CONSOLE_* variables."""
    env = dict(os.environ if environ is None else environ)
    try:
        return ConsoleConfig(
            secret=console_secret(env),
            port=int(env.get("TRACER_CONSOLE_PORT", "5080")),
            session_minutes=int(env.get("TRACER_CONSOLE_SESSION_MINUTES", "480")),
            max_failures=int(env.get("TRACER_CONSOLE_MAX_FAILURES", "5")),
            lockout_minutes=int(env.get("TRACER_CONSOLE_LOCKOUT_MINUTES", "15")),
            files_dir=Path(env.get("TRACER_CONSOLE_FILES", PROJECT_ROOT / "var" / "console")),
            secure_cookie=env.get("TRACER_CONSOLE_SECURE_COOKIE", "") in ("1", "true", "yes"),
        )
    except ValueError as error:
        raise ConfigError(f"a TRACER_CONSOLE_* number is malformed: {error}") from error
