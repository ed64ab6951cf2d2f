"""Invitations: issue codes (the CLI's ``issue_invitations``), download CSV / XLSX, and a
printable sheet with one QR code per trainee for the t.me deep link and the web link."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from bot.console import files, sheets
from bot.console.programmes import ProgrammeError, cohorts_of
from bot.console.web import (
    UserError,
    check_programme,
    db_url,
    log_action,
    render,
    requires,
    settings,
)
from bot.outreach.invites import InviteError, issue_invitations
from bot.outreach.scope import Scope

STAFF = ("admin", "officer")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _kind(code: str) -> str:
    return "invites-" + hashlib.sha256(code.encode()).hexdigest()[:16]


def _batch(request: Request, code: str, token: str) -> Path:
    try:
        return files.find(request.app.ctx.config.files_dir, _kind(code), token, ".csv")
    except files.MissingFileError:
        raise UserError("this invitation sheet was deleted; issue new codes") from None


@requires(*STAFF)
async def invites_page(request: Request, code: str) -> HTTPResponse:
    """Issue form and the sheets already issued."""
    check_programme(request, code)
    try:
        _, cohorts = cohorts_of(db_url(request), code)
    except ProgrammeError as error:
        raise UserError(str(error)) from None
    base = request.app.ctx.config.files_dir
    batches = [
        (token, len(sheets.read_rows(files.find(base, _kind(code), token, ".csv"))))
        for token in files.listing(base, _kind(code), "", ".csv")
    ]
    return render(request, "invites.html", code=code, cohorts=cohorts, batches=batches, report=None)


def _issue(request: Request, code: str, cohort: str | None, reissue: bool):
    base = request.app.ctx.config.files_dir
    token = files.new_token()
    out = files.folder(base, _kind(code)) / f"{token}.csv"
    report = issue_invitations(settings(request), Scope(code, cohort), out, reissue=reissue)
    return report, token if out.exists() else None


@requires(*STAFF)
async def issue(request: Request, code: str) -> HTTPResponse:
    """Issue codes for not-yet-joined trainees of the programme (or one cohort)."""
    check_programme(request, code)
    cohort = request.form.get("cohort") or None
    try:
        report, token = await asyncio.to_thread(
            _issue, request, code, cohort, request.form.get("reissue") == "1"
        )
    except InviteError as error:
        raise UserError(str(error)) from None
    log_action(
        request,
        "invitations",
        "ok",
        target=Scope(code, cohort).describe(),
        detail=f"issued {report.issued}, kept {report.kept}, joined {report.joined}",
    )
    if token:
        return response.redirect(f"/programmes/{code}/invitations/{token}/sheet")
    return render(request, "invites.html", code=code, cohorts=[], batches=[], report=report)


@requires(*STAFF)
async def download(request: Request, code: str, token: str, fmt: str) -> HTTPResponse:
    """The issued codes as CSV or XLSX."""
    check_programme(request, code)
    path = _batch(request, code, token)
    log_action(request, "invitations_download", "ok", target=code, detail=fmt)
    name = f'attachment; filename="invitations-{code}.{fmt}"'
    if fmt == "xlsx":
        body = sheets.to_xlsx(sheets.read_rows(path))
        return response.raw(body, content_type=XLSX, headers={"Content-Disposition": name})
    if fmt != "csv":
        raise UserError("download as csv or xlsx")
    return response.raw(
        path.read_bytes(),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": name},
    )


@requires(*STAFF)
async def sheet(request: Request, code: str, token: str) -> HTTPResponse:
    """A printable page: one card per trainee with QR codes of both links."""
    check_programme(request, code)
    cards = await asyncio.to_thread(sheets.qr_cards, sheets.read_rows(_batch(request, code, token)))
    log_action(request, "qr_sheet", "ok", target=code, detail=f"{len(cards)} cards")
    return render(request, "qr_sheet.html", code=code, token=token, cards=cards)


@requires(*STAFF)
async def delete(request: Request, code: str, token: str) -> HTTPResponse:
    """Delete an issued sheet (the codes stay valid)."""
    check_programme(request, code)
    _batch(request, code, token).unlink()
    log_action(request, "invitations_delete", "ok", target=code)
    return response.redirect(f"/programmes/{code}/invitations")


def register(app: Sanic) -> None:
    """Add this module's routes."""
    app.add_route(invites_page, "/programmes/<code>/invitations", methods=["GET"])
    app.add_route(issue, "/programmes/<code>/invitations", methods=["POST"], name="issue")
    app.add_route(
        download, "/programmes/<code>/invitations/<token>/download/<fmt>", methods=["GET"]
    )
    app.add_route(sheet, "/programmes/<code>/invitations/<token>/sheet", methods=["GET"])
    app.add_route(delete, "/programmes/<code>/invitations/<token>/delete", methods=["POST"])
