"""Self-contained HTML report: no external resources, charts embedded as base64 PNG."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from analytics.disclosure import SUPPRESSED
from analytics.method import METHOD_NOTE
from analytics.render.charts import all_charts
from analytics.render.labels import (
    BREAKDOWN_LABELS,
    design,
    group_label,
    interval,
    number,
    response,
)
from analytics.report import Report

TEMPLATES = Path(__file__).with_name("templates")
CHART_SECTIONS = {
    "response": "response",
    "labour": "labour",
    "employment_by_group": "labour",
    "expectations": "expectations",
}


def _display_rows(table: pd.DataFrame) -> list[dict]:
    rows = []
    for row in table.to_dict("records"):
        unit = str(row.get("unit", ""))
        rows.append(
            {
                "indicator": row.get("indicator", ""),
                "wave": row.get("wave", ""),
                "breakdown": BREAKDOWN_LABELS.get(row["breakdown"], row["breakdown"]),
                "group": group_label(row["breakdown"], str(row["group"])),
                "response": response(row),
                "n": row.get("n", ""),
                "value": number(row.get("value"), unit),
                "interval": interval(row.get("ci_low"), row.get("ci_high"), unit),
                "weighted": number(row.get("value_weighted"), unit),
                "weighted_interval": interval(
                    row.get("ci_low_weighted"), row.get("ci_high_weighted"), unit
                ),
                "design": design(row.get("n_eff"), row.get("deff")),
                "unit": unit,
                "suppressed": row.get("value") == SUPPRESSED,
            }
        )
    return rows


def _response_rows(table: pd.DataFrame) -> list[dict]:
    return [
        {
            "wave": row["wave"],
            "breakdown": BREAKDOWN_LABELS.get(row["breakdown"], row["breakdown"]),
            "group": group_label(row["breakdown"], str(row["group"])),
            "due": row["due"],
            "responded": row["responded"],
            "rate": number(row["response_rate"], "%"),
        }
        for row in table.to_dict("records")
    ]


def render_html(report: Report) -> str:
    """The report as one HTML document."""
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"])
    )
    charts = all_charts(report)
    sections = []
    for name, table in report.tables.items():
        if name == "response":
            continue
        overall_mask = table["breakdown"].isin(["all", "expectation", "response"]) | table[
            "breakdown"
        ].str.startswith("status at")
        sections.append(
            {
                "name": name,
                "title": report.titles.get(name, name),
                "overall": _display_rows(table[overall_mask]),
                "groups": _display_rows(table[~overall_mask]),
                "charts": [png for chart, png in charts.items() if CHART_SECTIONS[chart] == name],
            }
        )
    response_table = report.tables["response"]
    return environment.get_template("report.html.j2").render(
        meta=report.meta,
        response_overall=_response_rows(response_table[response_table["breakdown"] == "all"]),
        response_groups=_response_rows(response_table[response_table["breakdown"] != "all"]),
        response_charts=[
            png for chart, png in charts.items() if CHART_SECTIONS[chart] == "response"
        ],
        sections=sections,
        method=METHOD_NOTE,
    )
