"""Key rotation: re-encrypt every contact address under the newest Fernet key.

``TRACER_ENCRYPTION_KEY="NEWKEY,OLDKEY"`` decrypts with any listed key and encrypts with the
first; :func:`rotate_contact_keys` rewrites every ``contact.address_encrypted`` token under
NEWKEY in one transaction, after which OLDKEY can be removed from the setting.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from sqlalchemy import select

from bot.config import Settings
from bot.security.crypto import Cipher
from bot.storage.db import session_scope
from bot.storage.models import Contact


class KeyRotationError(RuntimeError):
    """Rotation cannot proceed; nothing was changed."""


@dataclass(frozen=True)
class RotationReport:
    """How many contact addresses were re-encrypted, and under how many configured keys."""

    contacts: int
    keys: int


def configured_keys(settings: Settings) -> list[str]:
    """The Fernet keys of ``TRACER_ENCRYPTION_KEY``, newest first."""
    return [key.strip() for key in settings.encryption_key.split(",") if key.strip()]


def rotate_contact_keys(settings: Settings) -> RotationReport:
    """Re-encrypt every contact under the first key; all-or-nothing."""
    keys = configured_keys(settings)
    if len(keys) < 2:
        raise KeyRotationError(
            "only one encryption key is configured: set TRACER_ENCRYPTION_KEY=NEWKEY,OLDKEY"
        )
    try:
        cipher = Cipher(",".join(keys))
        newest = Cipher(keys[0])
    except ValueError as error:
        raise KeyRotationError(
            "TRACER_ENCRYPTION_KEY holds a malformed key (each must be a Fernet key)"
        ) from error
    count = 0
    with session_scope(settings.database_url) as session:
        for contact in session.execute(select(Contact)).scalars():
            try:
                token = cipher.rotate(contact.address_encrypted)
                newest.decrypt(token)
            except (ValueError, InvalidToken) as error:
                raise KeyRotationError(
                    f"contact row {contact.id} cannot be decrypted with any configured key; "
                    "nothing was changed"
                ) from error
            contact.address_encrypted = token
            count += 1
    return RotationReport(contacts=count, keys=len(keys))
