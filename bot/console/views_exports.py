"""Exports: a researcher requests anonymised microdata, sees the disclosure-risk summary, then
downloads the zip. Every request and download is audited."""

from __future__ import annotations

import asyncio

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from analytics.anonymise import FORMATS, ExportRefusedError, RulesError
from bot.console import files
from bot.console.exports import produce
from bot.console.programmes import programme_codes
from bot.console.web import (
    UserError,
    check_programme,
    db_url,
    log_action,
    programmes_of,
    render,
    requires,
    settings,
)

ROLES = ("admin", "researcher")


def _kind(request: Request) -> str:
    return f"exports-{request.ctx.account.id}"


@requires(*ROLES)
async def exports_page(request: Request) -> HTTPResponse:
    """The request form."""
    allowed = programmes_of(request)
    choices = list(allowed) if allowed is not None else programme_codes(db_url(request))
    return render(request, "exports.html", programmes=choices, formats=FORMATS, result=None)


@requires(*ROLES)
async def request_export(request: Request) -> HTTPResponse:
    """Produce the release; show its risk summary and the download link."""
    form = request.form
    programme = check_programme(request, form.get("programme") or "")
    layout = form.get("layout") if form.get("layout") in ("wide", "long") else "wide"
    fmt = form.get("format") if form.get("format") in FORMATS else "csv"
    try:
        result = await asyncio.to_thread(
            produce, settings(request), programme, form.get("waves") or None, layout, fmt
        )
    except (ExportRefusedError, RulesError, ValueError) as error:
        log_action(request, "export", "refused", target=programme, detail=str(error)[:200])
        raise UserError(str(error)) from None
    token = files.keep(request.app.ctx.config.files_dir, _kind(request), result.zip_bytes, ".zip")
    log_action(
        request,
        "export",
        "ok",
        target=programme,
        detail=f"{result.risk['records']} records, k={result.risk['k_achieved']}",
    )
    return render(
        request,
        "exports.html",
        programmes=[],
        formats=FORMATS,
        result=result,
        token=token,
        programme=programme,
    )


@requires(*ROLES)
async def download(request: Request, token: str) -> HTTPResponse:
    """The zip of one's own earlier request."""
    try:
        path = files.find(request.app.ctx.config.files_dir, _kind(request), token, ".zip")
    except files.MissingFileError:
        raise UserError("this export is no longer available; request it again") from None
    log_action(request, "export_download", "ok", target=token[:8])
    return response.raw(
        path.read_bytes(),
        content_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="export.zip"'},
    )


def register(app: Sanic) -> None:
    """Add this module's routes."""
    app.add_route(exports_page, "/exports", methods=["GET"])
    app.add_route(request_export, "/exports", methods=["POST"], name="request_export")
    app.add_route(download, "/exports/<token>/download", methods=["GET"])
