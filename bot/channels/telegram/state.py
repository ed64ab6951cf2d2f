"""Telegram channel state: recently seen update ids (memory), the polling offset and each chat's
live keyboard (database)."""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Hashable

from sqlalchemy.exc import SQLAlchemyError

from bot.security.crypto import keyed_hash
from bot.storage.db import session_scope
from bot.storage.models import Setting

log = logging.getLogger(__name__)
OFFSET_KEY = "telegram.polling_offset"
KEYBOARD_PREFIX = "telegram.keyboard."


class RecentIds:
    """A bounded set of ids already seen (update ids, tapped keyboards); oldest dropped first."""

    def __init__(self, maxsize: int = 4096) -> None:
        self.maxsize = maxsize
        self._ids: OrderedDict[Hashable, None] = OrderedDict()

    def first_time(self, update_id: Hashable) -> bool:
        """True the first time ``update_id`` is offered, False for a redelivery."""
        if update_id in self._ids:
            self._ids.move_to_end(update_id)
            return False
        self._ids[update_id] = None
        if len(self._ids) > self.maxsize:
            self._ids.popitem(last=False)
        return True


class OffsetStore:
    """The next ``getUpdates`` offset, kept in ``tracer_state`` so restarts skip handled updates."""

    def __init__(self, database_url: str, key: str = OFFSET_KEY) -> None:
        self.database_url = database_url
        self.key = key

    def load(self) -> int | None:
        """The stored offset, or None (nothing stored, or the database is unavailable)."""
        try:
            with session_scope(self.database_url) as session:
                row = session.get(Setting, self.key)
                return int(row.value) if row is not None else None
        except (SQLAlchemyError, ValueError) as error:
            log.warning("cannot read the Telegram polling offset (%s)", type(error).__name__)
            return None

    def save(self, offset: int) -> None:
        """Store ``offset`` (never moves backwards); database errors are logged, not raised."""
        try:
            with session_scope(self.database_url) as session:
                row = session.get(Setting, self.key)
                if row is None:
                    session.add(Setting(key=self.key, value=str(offset)))
                elif int(row.value) < offset:
                    row.value = str(offset)
        except (SQLAlchemyError, ValueError) as error:
            log.warning("cannot store the Telegram polling offset (%s)", type(error).__name__)


class KeyboardStore:
    """The message id of the one live inline keyboard in each chat, kept in ``tracer_state``.

    Whichever process sends a chat its next question (or its closing message) reads it to remove
    the previous keyboard, so nothing depends on the memory of the process that sent it. Rows are
    keyed by a keyed hash of the chat id, never the chat id itself.
    """

    def __init__(self, database_url: str, secret_key: str) -> None:
        self.database_url = database_url
        self.secret_key = secret_key

    def _key(self, chat_id: str | int) -> str:
        return KEYBOARD_PREFIX + keyed_hash(self.secret_key, str(chat_id), purpose="keyboard")[:40]

    def load(self, chat_id: str | int) -> int | None:
        """The live keyboard's message id, or None (none, or the database is unavailable)."""
        try:
            with session_scope(self.database_url) as session:
                row = session.get(Setting, self._key(chat_id))
                return int(row.value) if row is not None else None
        except (SQLAlchemyError, ValueError) as error:
            log.warning("cannot read a Telegram keyboard id (%s)", type(error).__name__)
            return None

    def save(self, chat_id: str | int, message_id: int | None) -> None:
        """Remember ``message_id`` as the live keyboard (None: the chat has none)."""
        try:
            with session_scope(self.database_url) as session:
                row = session.get(Setting, self._key(chat_id))
                if message_id is None:
                    if row is not None:
                        session.delete(row)
                elif row is None:
                    session.add(Setting(key=self._key(chat_id), value=str(message_id)))
                else:
                    row.value = str(message_id)
        except SQLAlchemyError as error:
            log.warning("cannot store a Telegram keyboard id (%s)", type(error).__name__)
