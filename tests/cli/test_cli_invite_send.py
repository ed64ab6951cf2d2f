"""``tracer invite --send``: an imported cohort gets its links by SMS and e-mail, once each."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.config import load_settings
from bot.storage.db import session_scope
from bot.storage.models import Invitation
from tests.outreach.helpers import add_programme, outreach_env, run_cli

NOON_DAKAR = "2026-07-01T12:00"  # Africa/Dakar is UTC+0
CODE = re.compile(r"code=([A-Z0-9]{10})")


def _send(env, mode="auto", *extra):
    return run_cli(env, "invite", "--programme", "solar", "--send", mode, "--yes",
                   "--now", NOON_DAKAR, *extra)  # fmt: skip


def _states(env) -> list[tuple]:
    with session_scope(env["TRACER_DATABASE_URL"]) as session:
        rows = session.execute(
            select(
                Invitation.send_channel,
                Invitation.send_state,
                Invitation.send_attempts,
                Invitation.send_result,
            ).order_by(Invitation.id)  # fmt: skip
        )
        return [tuple(row) for row in rows]


def test_auto_sends_sms_to_phones_and_email_otherwise_each_in_their_language_once(env, providers):
    twilio, smtp = providers
    result = _send(env)
    assert result.exit_code == 0, result.output + result.stderr
    assert "SMS (fr): 1 segment" not in result.output  # two links: counted before sending
    assert "SMS (fr): 2 segments (GSM-7" in result.output
    assert "SMS to send: 2 (4 segments billed)" in result.output
    assert "sent by SMS (accepted by the provider): 2" in result.output
    assert "sent by e-mail (accepted by the server): 1" in result.output
    assert sorted(sms.to for sms in twilio.sent) == ["+221771234567", "+221772345678"]
    assert all(sms.body.startswith("Tracer : court sondage") for sms in twilio.sent)  # French
    (mail,) = smtp.messages
    assert mail["To"] == "fatou@example.org" and mail["Subject"].startswith("Your training")
    codes = {CODE.search(sms.body)[1] for sms in twilio.sent} | {CODE.search(mail.get_content())[1]}
    assert len(codes) == 3  # each trainee their own code
    assert [state for _, state, _, _ in _states(env)] == ["accepted"] * 3

    again = _send(env)
    assert again.exit_code == 0 and "already sent earlier (not sent twice): 3" in again.output
    assert "Nothing sent." in again.output
    assert len(twilio.sent) == 2 and len(smtp.messages) == 1


def test_email_only_mode_and_dry_run(env, providers):
    twilio, smtp = providers
    dry = _send(env, "email", "--dry-run")
    assert (
        "E-mails to send: 2" in dry.output and "no phone/e-mail for this channel: 1" in dry.output
    )
    assert "Dry run: nothing sent." in dry.output and not smtp.messages and not _states(env)
    assert _send(env, "email").exit_code == 0
    assert sorted(m["To"] for m in smtp.messages) == ["awa@example.org", "fatou@example.org"]
    assert not twilio.sent


def test_a_temporary_failure_is_retried_within_limits_and_recorded(env, providers):
    twilio, _ = providers
    twilio.faults.server_errors = 1
    result = _send(env, "sms")
    assert "retries after a temporary failure: 1" in result.output
    assert "sent by SMS (accepted by the provider): 2" in result.output
    twilio.faults.server_errors = 0
    assert sorted(state for _, state, _, _ in _states(env)) == ["accepted", "accepted"]


def test_a_failing_provider_is_recorded_with_its_reason_and_retried_on_the_next_run(env, providers):
    twilio, _ = providers
    twilio.faults.server_errors = 6  # three tries each for both trainees
    result = _send(env, "sms")
    assert "failed after retries (re-run to retry): 2" in result.output
    assert "reason: twilio 20500: Internal Server Error (2)" in result.output
    assert _states(env) == [("sms", "failed", 3, "twilio 20500: Internal Server Error")] * 2
    assert not twilio.sent
    again = _send(env, "sms")
    assert "failed too often (use --reissue to try again): 2" in again.output
    retry = _send(env, "sms", "--reissue")
    assert "sent by SMS (accepted by the provider): 2" in retry.output
    assert len(twilio.sent) == 2 and len(_states(env)) == 2  # failed codes were replaced


def test_a_rejected_number_is_recorded_and_not_retried(env, providers):
    twilio, _ = providers
    twilio.faults.bad_numbers.add("+221771234567")
    result = _send(env, "sms")
    assert "rejected by the provider (not retried): 1" in result.output
    states = sorted(_states(env), key=lambda row: row[1])
    assert states[0][:3] == ("sms", "accepted", 1)
    assert (
        states[1][1] == "rejected" and "21211" in states[1][3] and "771234567" not in states[1][3]
    )
    assert "rejected earlier" in _send(env, "sms").output
    assert twilio.requests == 2


def test_nothing_goes_out_in_quiet_hours_or_without_configuration(env, tmp_path, providers):
    twilio, _ = providers
    late = run_cli(env, "invite", "--programme", "solar", "--send", "auto", "--yes",
                   "--now", "2026-07-01T23:00")  # fmt: skip
    assert "inside quiet hours now (run later): 3" in late.output and not twilio.requests
    (tmp_path / "bare").mkdir()
    bare = outreach_env(tmp_path / "bare")
    add_programme(load_settings(bare), "solar", {})
    off = run_cli(bare, "invite", "--programme", "solar", "--send", "sms", "--yes")
    assert off.exit_code == 1 and "sms is not configured" in off.stderr


def test_delivery_receipts_update_the_invitation_and_status_counts_the_funnel(env, providers):
    from datetime import datetime

    from bot.outreach.receipts import (
        africastalking_receipt,
        apply_receipt,
        twilio_receipt,
    )

    twilio, _ = providers
    assert _send(env, "sms").exit_code == 0
    first, second = (sms.reference for sms in twilio.sent)
    settings = load_settings(env)
    now = datetime(2026, 7, 1, 12, 5)
    assert twilio_receipt({"MessageSid": first, "MessageStatus": "sent"}) is None
    assert apply_receipt(settings, twilio_receipt({"MessageSid": first,
                                                   "MessageStatus": "delivered"}), now)  # fmt: skip
    lost = twilio_receipt({"MessageSid": second, "MessageStatus": "undelivered",
                           "ErrorCode": "30003"})  # fmt: skip
    assert apply_receipt(settings, lost, now)
    stranger = twilio_receipt({"MessageSid": "SMnope", "MessageStatus": "delivered"})
    assert not apply_receipt(settings, stranger, now)
    states = sorted((state, result) for _, state, _, result in _states(env))
    assert states == [
        ("delivered", "delivered"),
        ("undelivered", "undelivered: twilio error 30003"),
    ]
    report = africastalking_receipt({"id": "ATXid_1", "status": "Rejected",
                                     "failureReason": "InvalidPhoneNumber"})  # fmt: skip
    assert (report.delivered, report.reason) == (False, "rejected: InvalidPhoneNumber")

    status = run_cli(env, "status", "--programme", "solar")
    assert status.exit_code == 0, status.output
    lines = {line.split()[1]: line.split()[2:] for line in status.output.splitlines()
             if line.startswith("solar") and len(line.split()) == 9}  # fmt: skip
    # trainees, invited, sent, delivered, failed, joined, answered
    assert lines["2026A"] == ["2", "2", "1", "1", "1", "0", "0"]
    assert lines["2026B"] == ["1", "0", "0", "0", "0", "0", "0"]
    assert "rejected earlier" in _send(env, "sms").output  # undelivered: not re-sent blindly


def test_africas_talking_is_paced_per_provider_and_rate_limits_are_retried(env, tmp_path):
    from datetime import datetime

    from bot.outreach.invite_send import plan_sends, send_invitations
    from bot.outreach.messaging import transports_from_settings
    from bot.outreach.scope import Scope
    from tests.fakes.sms_apis import FakeAfricasTalking

    with FakeAfricasTalking() as africastalking:
        at_env = dict(env, TRACER_SMS_PROVIDER="africastalking", TRACER_SMS_RATE="0.5",
                      AFRICASTALKING_USERNAME=africastalking.username,
                      AFRICASTALKING_API_KEY=africastalking.api_key,
                      AFRICASTALKING_API_BASE_URL=africastalking.base_url)  # fmt: skip
        settings = load_settings(at_env)
        transports = transports_from_settings(settings)
        assert transports["sms"].name == "africastalking"
        now = datetime(2026, 7, 1, 12, 0)
        plan = plan_sends(settings, Scope("solar"), "sms", now, transports)
        slept: list[float] = []
        africastalking.faults.rate_limited = 1  # 429 with Retry-After: 1
        report = send_invitations(settings, plan, now, transports, sleep=slept.append)
    assert report.counts["sent_sms"] == 2 and report.counts["retried"] == 1
    assert len(africastalking.sent) == 2 and africastalking.requests == 3
    assert 1.0 in slept  # the provider's Retry-After was honoured
    # 0.5 SMS/s: the two accepted messages ≥ 2 s apart (the refused request used no slot).
    assert sum(slept) >= 1.0 + 1.9 and max(slept) >= 1.9
    assert sorted(sms.to for sms in africastalking.sent) == ["+221771234567", "+221772345678"]


def test_two_runs_planned_at_once_send_each_trainee_one_invitation(env, providers):
    from datetime import datetime

    from bot.outreach.invite_send import plan_sends, send_invitations
    from bot.outreach.messaging import transports_from_settings
    from bot.outreach.scope import Scope

    twilio, smtp = providers
    settings = load_settings(env)
    transports = transports_from_settings(settings)
    now = datetime(2026, 7, 1, 12, 0)
    first = plan_sends(settings, Scope("solar"), "auto", now, transports)
    second = plan_sends(settings, Scope("solar"), "auto", now, transports)
    send_invitations(settings, first, now, transports, sleep=lambda _: None)
    report = send_invitations(settings, second, now, transports, sleep=lambda _: None)
    assert report.counts["claimed_by_another_run"] == 3
    assert len(twilio.sent) == 2 and len(smtp.messages) == 1 and len(_states(env)) == 3


def test_csv_invitations_link_to_the_web_chat_page_of_a_fresh_install(env, tmp_path):
    import csv

    fresh = {k: v for k, v in env.items() if k != "TRACER_WEB_BASE_URL"}
    out = tmp_path / "invites.csv"
    result = run_cli(fresh, "invite", "--programme", "solar", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "Web links open the chat page at http://127.0.0.1:5005/webchat/" in result.output
    with out.open(encoding="utf-8") as handle:
        links = [row["web_link"] for row in csv.DictReader(handle)]
    assert len(links) == 3
    assert all(
        re.fullmatch(r"http://127\.0\.0\.1:5005/webchat/\?code=[A-Z0-9]{10}", x) for x in links
    )
