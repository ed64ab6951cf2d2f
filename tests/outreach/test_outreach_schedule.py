"""When waves, reminders and quiet hours fall: pure functions, no database."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.outreach import clock, schedule
from bot.outreach.pacing import Pacer
from tests.outreach.helpers import FakeClock


def test_waves_are_exit_then_followups_after_the_end_date():
    assert schedule.wave_dates(date(2026, 1, 31), (12, 6)) == [
        ("exit", date(2026, 1, 31)),
        ("followup_6", date(2026, 7, 31)),
        ("followup_12", date(2027, 1, 31)),
    ]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 1, 30), None),
        (date(2026, 1, 31), "exit"),
        (date(2026, 7, 30), "exit"),
        (date(2026, 7, 31), "followup_6"),
        (date(2028, 1, 1), "followup_12"),
    ],
)
def test_only_the_latest_due_wave_is_current(today, expected):
    found = schedule.current_wave(date(2026, 1, 31), today, (6, 12))
    assert (found[0] if found else None) == expected


def test_reminders_count_from_the_first_contact():
    first = datetime(2026, 7, 31, 9)
    assert schedule.reminder_due(first, 1, (3, 7)) == datetime(2026, 8, 3, 9)
    assert schedule.reminder_due(first, 2, (3, 7)) == datetime(2026, 8, 7, 9)
    assert schedule.max_attempts((3, 7)) == 3
    with pytest.raises(ValueError):
        schedule.reminder_due(first, 3, (3, 7))


@pytest.mark.parametrize(
    ("hour", "quiet", "expected"),
    [(22, (21, 8), True), (3, (21, 8), True), (8, (21, 8), False), (20, (21, 8), False),
     (13, (12, 14), True), (14, (12, 14), False), (5, (0, 0), False)],
)  # fmt: skip
def test_quiet_hours_wrap_around_midnight(hour, quiet, expected):
    assert clock.in_quiet_hours(hour, quiet) is expected


def test_a_message_due_at_night_waits_for_the_local_morning():
    lima = clock.zone("America/Lima")  # UTC-5, no daylight saving
    late = datetime(2026, 7, 16, 3, 0)  # 22:00 in Lima on the 15th
    assert clock.out_of_quiet_hours(late, lima, (21, 8)) == datetime(2026, 7, 16, 13, 0)
    early = datetime(2026, 7, 16, 10, 0)  # 05:00 in Lima
    assert clock.out_of_quiet_hours(early, lima, (21, 8)) == datetime(2026, 7, 16, 13, 0)
    day = datetime(2026, 7, 16, 15, 0)
    assert clock.out_of_quiet_hours(day, lima, (21, 8)) == day
    assert clock.local_day_start(date(2026, 7, 15), lima, (21, 8)) == datetime(2026, 7, 15, 13)


def test_now_parses_iso_with_or_without_offset_and_rejects_garbage():
    assert clock.parse_now("2027-06-01T10:00") == datetime(2027, 6, 1, 10)
    assert clock.parse_now("2027-06-01T10:00+02:00") == datetime(2027, 6, 1, 8)
    assert clock.parse_now("2027-06-01") == datetime(2027, 6, 1)
    with pytest.raises(clock.ClockError):
        clock.parse_now("next tuesday")
    with pytest.raises(clock.ClockError):
        clock.zone("Mars/Olympus")


def test_pacer_keeps_the_overall_rate_and_one_message_per_second_per_chat():
    fake = FakeClock()
    pacer = Pacer(10, monotonic=fake.monotonic, sleep=fake.sleep)
    for n in range(20):
        pacer.wait(f"chat-{n}")
    # 20 messages at 10/s; the 11th waits for the 1st to be a full second (+1 ms margin) old
    assert fake.now == pytest.approx(1.9, abs=0.002)
    fake2 = FakeClock()
    pacer = Pacer(100, monotonic=fake2.monotonic, sleep=fake2.sleep)
    for _ in range(3):
        pacer.wait("same-chat")
    assert fake2.now == pytest.approx(2.0)  # one per second for one chat
