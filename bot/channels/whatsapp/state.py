"""What the WhatsApp channel remembers in ``tracer_state``: the 24-hour customer-service window
per number, which outreach row a sent message belongs to, and that row's delivery status.

Keys hold keyed hashes, never a phone number or a message id.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from bot.outreach.funnel import status_key
from bot.security.crypto import keyed_hash
from bot.storage.db import session_scope
from bot.storage.models import Outreach, Setting
from bot.storage.repository import TracerStore

log = logging.getLogger(__name__)
WINDOW = timedelta(hours=24)
# A window closing within this margin is treated as closed (the send may take a while).
WINDOW_MARGIN = timedelta(minutes=5)
STATUS_ORDER = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}


class ChannelState:
    """Reads and writes the channel's small state; database errors are logged, not raised."""

    def __init__(self, store: TracerStore) -> None:
        self.store = store
        self.database_url = store.url
        self.secret_key = store.settings.secret_key

    def _window_key(self, wa_id: str) -> str:
        return "wa.in." + keyed_hash(self.secret_key, wa_id, purpose="whatsapp-window")[:40]

    @staticmethod
    def _message_key(wamid: str) -> str:
        return "wa.msg." + hashlib.sha256(wamid.encode("utf-8")).hexdigest()[:40]

    def _put(self, key: str, value: str) -> None:
        try:
            with session_scope(self.database_url) as session:
                row = session.get(Setting, key)
                if row is None:
                    session.add(Setting(key=key, value=value))
                else:
                    row.value = value
        except SQLAlchemyError as error:
            log.warning("WhatsApp state not stored (%s)", type(error).__name__)

    def _get(self, key: str) -> str | None:
        try:
            with session_scope(self.database_url) as session:
                row = session.get(Setting, key)
                return row.value if row is not None else None
        except SQLAlchemyError as error:
            log.warning("WhatsApp state not read (%s)", type(error).__name__)
            return None

    # -- the 24-hour window ---------------------------------------------------------------------
    def user_wrote(self, wa_id: str, at: datetime) -> None:
        """Remember that ``wa_id`` wrote at ``at`` (UTC): the window is open for 24 hours."""
        self._put(self._window_key(wa_id), at.isoformat())

    def window_open(self, wa_id: str, now: datetime) -> bool:
        """True when ``wa_id`` wrote within the last 24 hours (minus a safety margin)."""
        value = self._get(self._window_key(wa_id))
        if value is None:
            return False
        try:
            last = datetime.fromisoformat(value)
        except ValueError:
            return False
        return now - last < WINDOW - WINDOW_MARGIN

    # -- messages held behind a template -----------------------------------------------------------
    def _held_key(self, wa_id: str) -> str:
        return "wa.held." + keyed_hash(self.secret_key, wa_id, purpose="whatsapp-held")[:40]

    def hold(self, wa_id: str, body: dict[str, Any]) -> None:
        """Keep ``body`` until ``wa_id`` answers the follow-up template (survives restarts)."""
        held = json.loads(self._get(self._held_key(wa_id)) or "[]")
        self._put(self._held_key(wa_id), json.dumps([*held, body], ensure_ascii=False))

    def take_held(self, wa_id: str) -> list[dict[str, Any]]:
        """The messages held for ``wa_id`` (oldest first), forgotten once taken."""
        key = self._held_key(wa_id)
        try:
            with session_scope(self.database_url) as session:
                row = session.get(Setting, key)
                if row is None:
                    return []
                value = row.value
                session.delete(row)
        except SQLAlchemyError as error:
            log.warning("WhatsApp held messages not read (%s)", type(error).__name__)
            return []
        try:
            held = json.loads(value)
        except ValueError:
            return []
        return held if isinstance(held, list) else []

    # -- outreach rows --------------------------------------------------------------------------
    def outreach_in_flight(self, wa_id: str) -> tuple[int, str, str] | None:
        """(outreach id, wave, language) of the row being sent to ``wa_id`` right now, if any."""
        try:
            info = self.store.find_trainee(wa_id, "whatsapp")
            if info is None:
                return None
            with session_scope(self.database_url) as session:
                row = session.execute(
                    select(Outreach.id, Outreach.wave)
                    .where(Outreach.trainee_id == info.id, Outreach.state == "sending")
                    .order_by(Outreach.id.desc())
                ).first()
            return (row[0], row[1], info.language or "en") if row else None
        except SQLAlchemyError as error:
            log.warning("WhatsApp outreach look-up failed (%s)", type(error).__name__)
            return None

    def language_of(self, wa_id: str) -> str:
        """The trainee's language (``en`` when unknown)."""
        try:
            info = self.store.find_trainee(wa_id, "whatsapp")
        except SQLAlchemyError:
            return "en"
        return (info.language if info is not None else None) or "en"

    def link(self, wamid: str, outreach_id: int) -> None:
        """Remember that message ``wamid`` carried outreach row ``outreach_id``."""
        self._put(self._message_key(wamid), str(outreach_id))
        self.record_status(outreach_id, "sent")

    def outreach_of(self, wamid: str) -> int | None:
        """The outreach row a sent message belongs to, if it was a follow-up."""
        value = self._get(self._message_key(wamid))
        return int(value) if value and value.isdigit() else None

    def record_status(self, outreach_id: int, status: str, reason: str = "") -> None:
        """Move the row's delivery status forward (sent → delivered → read; failed wins)."""
        current = (self._get(status_key(outreach_id)) or "").split(":", 1)[0]
        if STATUS_ORDER.get(status, 0) <= STATUS_ORDER.get(current, 0) and status != "failed":
            return
        self._put(status_key(outreach_id), f"{status}: {reason}"[:200] if reason else status)
