"""Planning and sending on a temporary SQLite database with a fake Rasa transport."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.outreach.due import due_items
from bot.outreach.pacing import Pacer
from bot.outreach.planner import plan_outreach
from bot.outreach.scope import Scope
from bot.outreach.sender import claim, preview, send_due
from bot.outreach.transport import Delivery
from bot.storage.db import session_scope
from bot.storage.models import Outreach
from bot.storage.repository import TracerStore
from tests.outreach.helpers import (
    FakeClock,
    FakeTransport,
    add_programme,
    add_trainee,
    make_settings,
)

END = date(2026, 1, 15)
# 2026-07-15 is followup_6 day; 13:00 UTC is 08:00 in Lima, when quiet hours end.
FOLLOWUP_6_DUE = datetime(2026, 7, 15, 13)


@pytest.fixture
def world(tmp_path):
    settings = make_settings(tmp_path)
    cohorts = add_programme(settings, "solar", {"2026A": (END, "America/Lima")})
    cohort = cohorts["2026A"]
    ids = {
        "reachable": add_trainee(settings, cohort, chat=("rest", "chat-reachable")),
        "telegram": add_trainee(settings, cohort, chat=("telegram", "555001")),
        "unreachable": add_trainee(settings, cohort),
        "opted_out": add_trainee(settings, cohort, chat=("rest", "chat-out"), status="opted_out"),
        "answered": add_trainee(
            settings, cohort, chat=("rest", "chat-done"), completed=("followup_6",)
        ),
    }
    return settings, ids


def _rows(settings):
    with session_scope(settings.database_url) as session:
        return {
            (r.trainee_id, r.wave, r.attempt): (r.state, r.result)
            for r in session.execute(select(Outreach)).scalars()
        }


def _fast(settings):
    fake = FakeClock()
    return Pacer(settings.send_rate_per_second, monotonic=fake.monotonic, sleep=fake.sleep), fake


def test_nothing_is_planned_before_the_cohort_ends(world):
    settings, _ = world
    plan = plan_outreach(settings, datetime(2026, 1, 10, 12))
    assert plan.new_rows == [] and plan.counts["nothing_due_yet"] == 4


def test_planning_six_months_on_targets_only_reachable_unanswered_active_trainees(world):
    settings, ids = world
    plan = plan_outreach(settings, datetime(2026, 7, 20, 15))
    planned = {(row["trainee_id"], row["wave"], row["attempt"]) for row in plan.new_rows}
    assert planned == {(ids["reachable"], "followup_6", 0), (ids["telegram"], "followup_6", 0)}
    assert {row["due_at"] for row in plan.new_rows} == {FOLLOWUP_6_DUE}
    assert plan.counts["unreachable"] == 1
    assert plan.counts["opted_out_or_deleted"] == 1
    assert plan.counts["answered"] == 1
    # planning again adds nothing
    assert plan_outreach(settings, datetime(2026, 7, 20, 16)).new_rows == []


def test_exit_wave_is_planned_at_the_end_date_and_superseded_later(world):
    settings, ids = world
    plan_outreach(settings, datetime(2026, 1, 16, 15))
    assert _rows(settings)[(ids["reachable"], "exit", 0)] == ("planned", None)
    plan_outreach(settings, datetime(2026, 7, 20, 15))
    assert _rows(settings)[(ids["reachable"], "exit", 0)] == ("cancelled", "superseded")


def test_quiet_hours_hold_messages_until_the_local_morning(world):
    settings, _ = world
    plan_outreach(settings, datetime(2026, 7, 20, 15))
    night = datetime(2026, 7, 21, 3)  # 22:00 in Lima
    due = due_items(settings, night)
    assert due.items == [] and due.quiet == 2
    transport = FakeTransport()
    report = send_due(settings, night, transport, pacer=_fast(settings)[0])
    assert transport.calls == [] and report.quiet == 2
    morning = datetime(2026, 7, 21, 13, 30)
    assert len(due_items(settings, morning).items) == 2


def test_send_twice_sends_nothing_twice_and_uses_the_right_output_channel(world):
    settings, ids = world
    now = datetime(2026, 7, 20, 15)
    transport = FakeTransport()
    first = send_due(settings, now, transport, pacer=_fast(settings)[0])
    assert first.sent == 2
    assert sorted(transport.calls) == [
        ("rest", "chat-reachable", "followup_6"),
        ("telegram", "555001", "followup_6"),
    ]
    second = send_due(settings, now + timedelta(minutes=1), transport, pacer=_fast(settings)[0])
    assert second.sent == 0 and len(transport.calls) == 2
    assert _rows(settings)[(ids["reachable"], "followup_6", 0)] == ("sent", "ok")


def test_reminders_follow_unanswered_contacts_and_stop_at_max_attempts(world):
    settings, ids = world
    sent_at = datetime(2026, 7, 20, 15)
    transport = FakeTransport()
    pacer = _fast(settings)[0]
    send_due(settings, sent_at, transport, Scope("solar"), pacer=pacer)
    TracerStore(settings).complete_wave(ids["telegram"], "followup_6")  # one answers
    assert send_due(settings, sent_at + timedelta(days=2), transport, pacer=pacer).sent == 0
    third_day = send_due(settings, sent_at + timedelta(days=3, hours=1), transport, pacer=pacer)
    assert third_day.sent == 1 and transport.calls[-1][1] == "chat-reachable"
    seventh = send_due(settings, sent_at + timedelta(days=7, hours=1), transport, pacer=pacer)
    assert seventh.sent == 1
    later = send_due(settings, sent_at + timedelta(days=30), transport, pacer=pacer)
    assert later.sent == 0
    attempts = [key for key in _rows(settings) if key[0] == ids["reachable"]]
    assert sorted(a for _, _, a in attempts) == [0, 1, 2]
    assert [c[1] for c in transport.calls].count("555001") == 1


def test_answering_cancels_planned_reminders(world):
    settings, ids = world
    start = datetime(2026, 7, 20, 15)
    pacer = _fast(settings)[0]
    send_due(settings, start, FakeTransport(), pacer=pacer)
    plan_outreach(settings, start + timedelta(days=3, hours=1))  # plans reminder 1
    TracerStore(settings).complete_wave(ids["reachable"], "followup_6")
    assert _rows(settings)[(ids["reachable"], "followup_6", 1)] == ("cancelled", "answered")


def test_opted_out_trainees_receive_nothing_even_if_already_planned(world):
    settings, ids = world
    now = datetime(2026, 7, 20, 15)
    plan_outreach(settings, now)
    TracerStore(settings).opt_out(ids["reachable"])
    transport = FakeTransport()
    send_due(settings, now, transport, pacer=_fast(settings)[0])
    assert [c[1] for c in transport.calls] == ["555001"]
    assert _rows(settings)[(ids["reachable"], "followup_6", 0)] == ("cancelled", "opted_out")


def test_concurrent_claims_give_each_row_to_exactly_one_sender(tmp_path):
    settings = make_settings(tmp_path)
    cohort = add_programme(settings, "p", {"c": (END, None)})["c"]
    for n in range(60):
        add_trainee(settings, cohort, chat=("rest", f"chat-{n}"))
    now = datetime(2026, 7, 20, 12)
    plan_outreach(settings, now)
    ids = [item.outreach_id for item in due_items(settings, now).items]
    assert len(ids) == 60
    won: list[list[int]] = [[] for _ in range(4)]
    barrier = threading.Barrier(4)

    def worker(index: int) -> None:
        barrier.wait()
        for row_id in ids:
            if claim(settings.database_url, row_id, now):
                won[index].append(row_id)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = [row_id for part in won for row_id in part]
    assert sorted(claimed) == sorted(ids)


def test_two_overlapping_send_runs_never_double_send(tmp_path):
    settings = make_settings(tmp_path)
    cohort = add_programme(settings, "p", {"c": (END, None)})["c"]
    for n in range(40):
        add_trainee(settings, cohort, chat=("rest", f"chat-{n}"))
    now = datetime(2026, 7, 20, 12)
    plan_outreach(settings, now)
    transports = [FakeTransport(), FakeTransport()]
    threads = [
        threading.Thread(
            target=send_due,
            args=(settings, now, transport),
            kwargs={"pacer": _fast(settings)[0], "plan_first": False},
        )
        for transport in transports
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    addresses = [call[1] for t in transports for call in t.calls]
    assert len(addresses) == 40 and len(set(addresses)) == 40


def test_a_row_left_sending_by_a_crash_is_reported_not_resent(world):
    settings, ids = world
    now = datetime(2026, 7, 20, 15)
    plan_outreach(settings, now)
    row_id = next(
        i.outreach_id for i in due_items(settings, now).items if i.trainee_id == ids["reachable"]
    )
    assert claim(settings.database_url, row_id, now)  # the "crashed" sender
    transport = FakeTransport()
    report = send_due(settings, now, transport, pacer=_fast(settings)[0])
    assert [c[1] for c in transport.calls] == ["555001"]
    assert [(wave, attempt) for _, wave, attempt in report.stuck] == [("followup_6", 0)]


def test_rate_limits_back_off_and_retry(world):
    settings, _ = world
    limited = Delivery(ok=False, status=429, rate_limited=True, retry_after=5, detail="http 429")
    transport = FakeTransport([limited])
    pacer, fake = _fast(settings)
    report = send_due(settings, datetime(2026, 7, 20, 15), transport, pacer=pacer)
    assert report.sent == 2 and report.rate_limited == 1
    assert 5 in fake.slept and len(transport.calls) == 3


def test_failures_are_recorded_and_rasa_down_stops_the_run(world):
    settings, ids = world
    now = datetime(2026, 7, 20, 15)
    down = Delivery(ok=False, connection_error=True, detail="rasa unreachable")
    report = send_due(settings, now, FakeTransport([down]), pacer=_fast(settings)[0])
    assert report.stopped and report.sent == 0
    assert {state for state, _ in _rows(settings).values()} == {"planned"}
    error = Delivery(ok=False, status=500, detail="http 500 ConversationError")
    report = send_due(settings, now, FakeTransport([error]), pacer=_fast(settings)[0])
    assert report.failed == 1 and report.sent == 1
    assert "failed" in {state for state, _ in _rows(settings).values()}


def test_dry_run_preview_writes_nothing(world):
    settings, ids = world
    plan, due = preview(settings, datetime(2026, 7, 20, 15))
    assert {item.trainee_id for item in due.items} == {ids["reachable"], ids["telegram"]}
    assert all(item.outreach_id is None for item in due.items)
    assert _rows(settings) == {}
