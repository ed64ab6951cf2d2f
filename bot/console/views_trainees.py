"""Trainee look-up for support, and erasure on request (the bot's own erasure code)."""

from __future__ import annotations

from sanic import Request, Sanic
from sanic.response import HTTPResponse

from bot.console.trainees import look_up
from bot.console.web import (
    ForbiddenError,
    UserError,
    log_action,
    programmes_of,
    render,
    requires,
    settings,
)
from bot.storage.repository import TracerStore

STAFF = ("admin", "officer")


def _allowed(request: Request, found: dict) -> dict:
    allowed = programmes_of(request)
    if allowed is not None and found["programme"] not in allowed:
        raise ForbiddenError(f"trainee of {found['programme'] or 'no programme'}")
    return found


@requires(*STAFF)
async def lookup_page(request: Request) -> HTTPResponse:
    """Search form and, with ``?pseudo_id=``, what support may see."""
    pseudo_id = (request.args.get("pseudo_id") or "").strip()
    found = None
    if pseudo_id:
        found = look_up(settings(request), pseudo_id)
        if found is not None:
            _allowed(request, found)
        log_action(request, "trainee_lookup", "ok" if found else "not_found", target=pseudo_id[:32])
    return render(request, "trainee.html", pseudo_id=pseudo_id, found=found, erased=False)


@requires(*STAFF)
async def erase(request: Request, pseudo_id: str) -> HTTPResponse:
    """Erase the trainee everywhere (journaled), after an explicit confirmation."""
    found = look_up(settings(request), pseudo_id)
    if found is None:
        raise UserError(f"no trainee with id {pseudo_id}")
    _allowed(request, found)
    if request.form.get("confirm") != pseudo_id:
        raise UserError("type the trainee's id in the confirmation box to erase their data")
    report = TracerStore(settings(request)).delete_personal_data(found["id"])
    log_action(
        request,
        "erasure",
        "ok",
        target=pseudo_id,
        detail=f"contacts {report.contacts}, events {report.events}",
    )
    return render(request, "trainee.html", pseudo_id=pseudo_id, found=None, erased=True)


def register(app: Sanic) -> None:
    """Add this module's routes."""
    app.add_route(lookup_page, "/trainees", methods=["GET"])
    app.add_route(erase, "/trainees/<pseudo_id>/erase", methods=["POST"])
