"""The response dashboard: table and SVG chart, computed from the database on each visit."""

from __future__ import annotations

import asyncio

from sanic import Request, Sanic
from sanic.response import HTTPResponse

from bot.console.charts import response_chart
from bot.console.dashboard import dashboard_rows, wave_totals
from bot.console.i18n import translate
from bot.console.web import check_programme, language, programmes_of, render, requires, settings


def build(request: Request, programme: str | None) -> dict:
    """Rows, per-wave totals and the chart for the page."""
    rows = dashboard_rows(settings(request), programmes_of(request), programme)
    totals = wave_totals(rows)
    chart = response_chart(totals, translate("dashboard_chart", language(request)))
    return {"rows": rows, "totals": totals, "chart": chart}


@requires("admin", "officer")
async def dashboard_page(request: Request) -> HTTPResponse:
    """Response rates and retention per programme × cohort × wave."""
    programme = request.args.get("programme") or None
    if programme:
        check_programme(request, programme)
    values = await asyncio.to_thread(build, request, programme)
    allowed = programmes_of(request)
    return render(request, "dashboard.html", programme=programme or "", choices=allowed, **values)


def register(app: Sanic) -> None:
    """Add this module's routes."""
    app.add_route(dashboard_page, "/dashboard", methods=["GET"])
