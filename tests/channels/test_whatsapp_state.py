"""The WhatsApp channel's state: the 24-hour window and delivery statuses moving forward only."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.channels.whatsapp.state import ChannelState
from bot.config import load_settings
from bot.storage.db import session_scope
from bot.storage.migrate import upgrade_database
from bot.storage.models import Setting
from bot.storage.repository import TracerStore


def _state(tmp_path) -> ChannelState:
    url = f"sqlite:///{tmp_path / 'wa.db'}"
    upgrade_database(url)
    return ChannelState(TracerStore(load_settings().with_overrides(database_url=url)))


def test_window_opens_for_24_hours_and_keys_hold_no_number(tmp_path):
    state = _state(tmp_path)
    wrote = datetime(2026, 5, 1, 12, 0)
    assert not state.window_open("22670000001", wrote)
    state.user_wrote("22670000001", wrote)
    assert state.window_open("22670000001", wrote + timedelta(hours=23))
    assert not state.window_open("22670000001", wrote + timedelta(hours=24))
    assert not state.window_open("22670000002", wrote)
    with session_scope(state.database_url) as session:
        keys = [row.key for row in session.query(Setting).all()]
    assert keys and not any("22670000001" in key for key in keys)


def test_statuses_only_move_forward_and_failure_keeps_its_reason(tmp_path):
    state = _state(tmp_path)
    state.link("wamid.ABC", 7)
    assert state.outreach_of("wamid.ABC") == 7 and state.outreach_of("wamid.X") is None
    for status in ("read", "delivered", "sent"):
        state.record_status(7, status)
    with session_scope(state.database_url) as session:
        assert session.get(Setting, "wa.status.7").value == "read"
    state.record_status(7, "failed", "WhatsApp 131026: undeliverable")
    with session_scope(state.database_url) as session:
        assert session.get(Setting, "wa.status.7").value == "failed: WhatsApp 131026: undeliverable"


def test_held_messages_are_given_back_once_in_order(tmp_path):
    state = _state(tmp_path)
    first = {"type": "text", "text": {"body": "Il y a 6 mois…"}}
    second = {"type": "interactive", "interactive": {"type": "button"}}
    state.hold("22670000001", first)
    state.hold("22670000001", second)
    assert state.take_held("22670000002") == []
    assert state.take_held("22670000001") == [first, second]
    assert state.take_held("22670000001") == []
