"""Reports: the HTML outcome report in the page, XLSX / CSV downloads, programme/cohort filter.

The report is the CLI's (``analytics.report.build_report`` + ``analytics.render``)."""

from __future__ import annotations

import asyncio
import io
import tempfile
import zipfile
from pathlib import Path

from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from bot.console.programmes import ProgrammeError, cohorts_of
from bot.console.web import (
    UserError,
    check_programme,
    db_url,
    language,
    log_action,
    render,
    requires,
    settings,
)

STAFF = ("admin", "officer")
REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
}


def produce(request: Request, code: str, cohort: str | None, fmt: str) -> bytes:
    """The report of ``code`` (one cohort or all) in the officer's language, as bytes: html,
    xlsx, or a zip of CSVs."""
    from analytics.render import write_report
    from analytics.report import build_report

    config = settings(request)
    result = build_report(
        config.database_url,
        code,
        cohort,
        followup_months=config.followup_months,
        grace_days=config.baseline_grace_days,
        window_months=config.fieldwork_window_months,
    )
    result.language = language(request)  # the officer's interface language (issue 20)
    with tempfile.TemporaryDirectory() as folder:
        path = write_report(result, fmt, Path(folder) / f"report.{fmt}")
        if fmt != "csv":
            return path.read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in sorted(path.iterdir()):
                archive.write(item, arcname=item.name)
        return buffer.getvalue()


@requires(*STAFF)
async def report_page(request: Request, code: str) -> HTTPResponse:
    """Filters and the report in a frame."""
    check_programme(request, code)
    try:
        _, cohorts = cohorts_of(db_url(request), code)
    except ProgrammeError as error:
        raise UserError(str(error)) from None
    cohort = request.args.get("cohort") or ""
    return render(request, "report.html", code=code, cohorts=cohorts, cohort=cohort)


@requires(*STAFF)
async def report_file(request: Request, code: str, fmt: str) -> HTTPResponse:
    """The report itself: html (shown in the frame), xlsx or csv (zip) downloads."""
    check_programme(request, code)
    if fmt not in TYPES:
        raise UserError("a report is html, xlsx or csv")
    cohort = request.args.get("cohort") or None
    body = await asyncio.to_thread(produce, request, code, cohort, fmt)
    log_action(request, "report", "ok", target=f"{code}/{cohort or 'all'}", detail=fmt)
    if fmt == "html":
        return response.raw(
            body, content_type=TYPES[fmt], headers={"Content-Security-Policy": REPORT_CSP}
        )
    name = f"report-{code}.{'zip' if fmt == 'csv' else fmt}"
    return response.raw(
        body,
        content_type=TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def register(app: Sanic) -> None:
    """Add this module's routes."""
    app.add_route(report_page, "/programmes/<code>/report", methods=["GET"])
    app.add_route(report_file, "/programmes/<code>/report/file/<fmt>", methods=["GET"])
