"""Follow-ups: what is due per wave, what was sent / answered / failed / opted out, and
``send now`` after a confirmation that says how many messages and how long pacing takes."""

from __future__ import annotations

import asyncio

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from bot.console.followups import due_summary, paused_waves, set_paused, status_rows
from bot.console.web import (
    UserError,
    actor,
    check_programme,
    log_action,
    render,
    requires,
    settings,
)
from bot.outreach.clock import parse_now
from bot.outreach.scope import Scope
from bot.outreach.sender import SendReport, send_due
from bot.outreach.status import waves
from bot.outreach.transport import RasaTriggerTransport

STAFF = ("admin", "officer")


def _scope(request: Request, code: str) -> Scope:
    source = request.form if request.method == "POST" else request.args
    return Scope(code, source.get("cohort") or None)


async def _page(
    request: Request, code: str, scope: Scope, confirm: bool = False, sent: SendReport | None = None
) -> HTTPResponse:
    """The follow-ups page: what is due (and, unless confirming, the status and pauses)."""
    config = settings(request)
    due = await asyncio.to_thread(due_summary, config, scope, parse_now(None))
    rows = None if confirm else await asyncio.to_thread(status_rows, config, scope)
    return render(
        request,
        "followups.html",
        code=code,
        rows=rows,
        due=due,
        cohort=scope.cohort or "",
        confirm=confirm,
        sent=sent,
        waves=[] if confirm else waves(config),
        paused=paused_waves(config, code),
    )


@requires(*STAFF)
async def followups_page(request: Request, code: str) -> HTTPResponse:
    """Status per cohort and wave, what is due now, pauses."""
    check_programme(request, code)
    return await _page(request, code, _scope(request, code))


@requires(*STAFF)
async def send(request: Request, code: str) -> HTTPResponse:
    """First POST: the confirmation page; with ``confirmed=1``: send, then show what happened."""
    check_programme(request, code)
    scope = _scope(request, code)
    if request.form.get("confirmed") != "1":
        return await _page(request, code, scope, confirm=True)
    config = settings(request)
    report = await asyncio.to_thread(
        send_due, config, parse_now(None), RasaTriggerTransport(config), scope
    )
    outcome = "ok" if not report.failed and not report.stopped else "partial"
    log_action(
        request,
        "followup_send",
        outcome,
        target=scope.describe(),
        detail=f"sent {report.sent}, failed {report.failed}, unknown {report.unknown}",
    )
    return await _page(request, code, scope, sent=report)


@requires(*STAFF)
async def pause(request: Request, code: str) -> HTTPResponse:
    """Pause or resume one wave of the programme (due messages stay planned while paused)."""
    check_programme(request, code)
    wave = request.form.get("wave") or ""
    if wave not in waves(settings(request)):
        raise UserError(f"'{wave}' is not a wave of this survey")
    paused = request.form.get("action") == "pause"
    set_paused(settings(request), code, wave, paused, actor(request))
    log_action(request, "wave_pause" if paused else "wave_resume", "ok", target=f"{code}/{wave}")
    return response.redirect(f"/programmes/{code}/followups")


def register(app: Sanic) -> None:
    """Add this module's routes."""
    app.add_route(followups_page, "/programmes/<code>/followups", methods=["GET"])
    app.add_route(send, "/programmes/<code>/followups/send", methods=["POST"])
    app.add_route(pause, "/programmes/<code>/followups/pause", methods=["POST"])
