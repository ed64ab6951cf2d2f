"""Cohort import: upload CSV/XLSX, see the line-numbered check, then confirm or cancel.

The check and the import are the CLI's all-or-nothing importer (``bot.outreach.importer``).
"""

from __future__ import annotations

import asyncio

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from bot.console import files
from bot.console.web import (
    UserError,
    check_programme,
    log_action,
    render,
    requires,
    settings,
)
from bot.outreach.importer import CohortImportError, ImportReport, import_cohorts

SUFFIXES = (".csv", ".xlsx")


def _suffix(name: str) -> str:
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in SUFFIXES:
        raise UserError(f"'{name}' is not a .csv or .xlsx file")
    return suffix


def _run(request: Request, code: str, token: str, suffix: str, dry_run: bool):
    path = files.find(request.app.ctx.config.files_dir, "uploads", token, suffix)
    region = (request.form.get("region_code") or "").strip().upper() or None
    return import_cohorts(settings(request), path, code, region_code=region, dry_run=dry_run)


@requires("admin", "officer")
async def import_page(request: Request, code: str) -> HTTPResponse:
    """The upload form."""
    check_programme(request, code)
    return render(request, "import.html", code=code, report=None)


@requires("admin", "officer")
async def upload(request: Request, code: str) -> HTTPResponse:
    """Keep the file and check it (nothing written); show every rejected line."""
    check_programme(request, code)
    upload = request.files.get("file")
    if upload is None or not upload.body:
        raise UserError("choose a .csv or .xlsx file to upload")
    suffix = _suffix(upload.name or "")
    token = files.keep(request.app.ctx.config.files_dir, "uploads", upload.body, suffix)
    try:
        report = await asyncio.to_thread(_run, request, code, token, suffix, True)
    except CohortImportError as error:
        log_action(request, "import_check", "rejected", target=code, detail=str(error))
        raise UserError(f"{upload.name}: {error}") from None
    outcome = "ok" if report.ok else "rejected"
    log_action(
        request,
        "import_check",
        outcome,
        target=f"{code} ({upload.name})",
        detail=f"{report.rows} rows, {len(report.rejected)} rejected",
    )
    region_code = request.form.get("region_code") or ""
    return _checked_page(request, code, report, token, suffix, upload.name, region_code)


@requires("admin", "officer")
async def confirm(request: Request, code: str, token: str) -> HTTPResponse:
    """Import the checked file (all rows or none) or cancel it."""
    check_programme(request, code)
    suffix = request.form.get("suffix") or ""
    if suffix not in SUFFIXES:
        raise UserError("the upload form was incomplete; upload the file again")
    base = request.app.ctx.config.files_dir
    try:
        path = files.find(base, "uploads", token, suffix)
    except files.MissingFileError:
        raise UserError("this upload was already imported or cancelled; upload it again") from None
    if request.form.get("action") != "import":
        path.unlink(missing_ok=True)
        log_action(request, "import", "cancelled", target=code)
        return response.redirect(f"/programmes/{code}/import")
    try:
        report = await asyncio.to_thread(_run, request, code, token, suffix, False)
    except CohortImportError as error:
        raise UserError(str(error)) from None
    if not report.written:  # the database changed since the check (e.g. a duplicate phone)
        log_action(
            request, "import", "rejected", target=code, detail=f"{len(report.rejected)} lines"
        )
        region_code = request.form.get("region_code")
        return _checked_page(request, code, report, token, suffix, "", region_code)
    path.unlink(missing_ok=True)
    log_action(
        request,
        "import",
        "ok" if report.written else "rejected",
        target=code,
        detail=f"{report.valid} trainees, new cohorts: {', '.join(report.new_cohorts)}",
    )
    return render(request, "import.html", code=code, report=report, done=True)


def register(app: Sanic) -> None:
    """Add this module's routes."""
    app.add_route(import_page, "/programmes/<code>/import", methods=["GET"])
    app.add_route(upload, "/programmes/<code>/import", methods=["POST"], name="import_upload")
    app.add_route(confirm, "/programmes/<code>/import/<token>", methods=["POST"])


def _checked_page(
    request: Request,
    code: str,
    report: ImportReport,
    token: str,
    suffix: str,
    filename: str,
    region_code: str | None,
) -> HTTPResponse:
    """The import page showing a checked file, with the form to import it or cancel."""
    return render(
        request,
        "import.html",
        code=code,
        report=report,
        token=token,
        suffix=suffix,
        filename=filename,
        region_code=region_code,
    )
