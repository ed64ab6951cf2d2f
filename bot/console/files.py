"""Files the console keeps between two requests (uploads waiting for confirmation, issued
invitation sheets, exports): owner-only, under random names, in the git-ignored var/ folder."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from bot.security.private_files import open_private

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class MissingFileError(LookupError):
    """The token names no kept file (expired, cancelled, or never existed)."""


def folder(base: Path, kind: str) -> Path:
    """The folder for ``kind`` (created owner-only)."""
    path = base / kind
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def new_token() -> str:
    """A fresh random name."""
    return secrets.token_urlsafe(18)


def keep(base: Path, kind: str, data: bytes, suffix: str, prefix: str = "") -> str:
    """Store ``data``; returns the token naming it."""
    token = prefix + new_token()
    with open_private(folder(base, kind) / f"{token}{suffix}", "wb") as handle:
        handle.write(data)
    return token


def find(base: Path, kind: str, token: str, suffix: str) -> Path:
    """The kept file of ``token``; MissingFileError when absent or the token is malformed."""
    if not _TOKEN.match(token):
        raise MissingFileError(token)
    path = folder(base, kind) / f"{token}{suffix}"
    if not path.exists():
        raise MissingFileError(token)
    return path


def listing(base: Path, kind: str, prefix: str, suffix: str) -> list[str]:
    """Tokens of the kept files starting with ``prefix``, newest first."""
    paths = sorted(
        folder(base, kind).glob(f"{prefix}*{suffix}"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    return [p.name[: -len(suffix)] for p in paths]
