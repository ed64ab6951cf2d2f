"""A wave paused for a programme (console Follow-ups page) is held by every sender."""

from __future__ import annotations

from datetime import date, datetime

from bot.console.followups import paused_waves, set_paused
from bot.outreach.pacing import Pacer
from bot.outreach.sender import preview, send_due
from tests.outreach.helpers import (
    FakeClock,
    FakeTransport,
    add_programme,
    add_trainee,
    make_settings,
)

END = date(2026, 1, 15)
NOW = datetime(2026, 7, 20, 15)  # followup_6 is due (outside quiet hours in Lima)


def _pacer(settings) -> Pacer:  # type: ignore[no-untyped-def]
    clock = FakeClock()
    return Pacer(settings.send_rate_per_second, monotonic=clock.monotonic, sleep=clock.sleep)


def test_a_paused_wave_stays_planned_until_resumed(tmp_path):
    settings = make_settings(tmp_path)
    solar = add_programme(settings, "solar", {"A": (END, "America/Lima")})["A"]
    wind = add_programme(settings, "wind", {"W": (END, "America/Lima")})["W"]
    add_trainee(settings, solar, chat=("rest", "chat-solar"))
    add_trainee(settings, wind, chat=("rest", "chat-wind"))

    set_paused(settings, "solar", "followup_6", True, "olga")
    assert (
        paused_waves(settings, "solar") == {"followup_6"}
        and paused_waves(settings, "wind") == set()
    )
    _, due = preview(settings, NOW)  # a dry run counts the held message too
    assert [item.wave for item in due.items] == ["followup_6"] and due.paused == 1
    transport = FakeTransport()
    held = send_due(settings, NOW, transport, pacer=_pacer(settings))
    assert transport.calls == [("rest", "chat-wind", "followup_6")]  # the other programme goes
    assert held.sent == 1 and held.due == 1

    set_paused(settings, "solar", "followup_6", False, "olga")
    resumed = send_due(settings, NOW, transport, pacer=_pacer(settings))
    assert resumed.sent == 1 and transport.calls[-1] == ("rest", "chat-solar", "followup_6")
