"""Self-contained HTML report: no external resources, charts embedded as base64 PNG; every
word in the report's language (analytics/render/translate.py)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape

from analytics.disclosure import SUPPRESSED
from analytics.forked import map_in_two_processes
from analytics.method import method_note
from analytics.render.charts import all_charts
from analytics.render.labels import (
    breakdown_label,
    design,
    group_label,
    interval,
    number,
    response,
)
from analytics.render.meta import localised_meta
from analytics.render.translate import term, wave_label
from analytics.report import Report
from bot.i18n import t

TEMPLATES = Path(__file__).with_name("templates")
CHART_SECTIONS = {
    "response": "response",
    "labour": "labour",
    "employment_by_group": "labour",
    "expectations": "expectations",
}


def _display_rows(table: pd.DataFrame, language: str) -> list[dict]:
    rows = []
    for row in table.to_dict("records"):
        unit = str(row.get("unit", ""))
        rows.append(
            {
                "indicator": term(str(row.get("indicator", "")), language),
                "wave": wave_label(str(row.get("wave", "")), language),
                "breakdown": breakdown_label(row["breakdown"], language),
                "group": group_label(row["breakdown"], str(row["group"]), language),
                "response": response(row, language),
                "n": row.get("n", ""),
                "value": number(row.get("value"), unit, language),
                "interval": interval(row.get("ci_low"), row.get("ci_high"), unit, language),
                "weighted": number(row.get("value_weighted"), unit, language),
                "weighted_interval": interval(
                    row.get("ci_low_weighted"), row.get("ci_high_weighted"), unit, language
                ),
                "design": design(row.get("n_eff"), row.get("deff"), language),
                "unit": unit,
                "suppressed": row.get("value") == SUPPRESSED,
            }
        )
    return rows


def _response_rows(table: pd.DataFrame, language: str) -> list[dict]:
    return [
        {
            "wave": wave_label(str(row["wave"]), language),
            "breakdown": breakdown_label(row["breakdown"], language),
            "group": group_label(row["breakdown"], str(row["group"]), language),
            "due": row["due"],
            "responded": row["responded"],
            "rate": number(row["response_rate"], "%", language),
            "outside": "" if pd.isna(row.get("outside_window")) else int(row["outside_window"]),
        }
        for row in table.to_dict("records")
    ]


def _sections(report: Report) -> list[dict]:
    language, sections = report.language, []
    for name, table in report.tables.items():
        if name == "response":
            continue
        overall_mask = table["breakdown"].isin(["all", "expectation", "response"]) | table[
            "breakdown"
        ].str.startswith("status at")
        sections.append(
            {
                "name": name,
                "title": term(report.titles.get(name, name), language),
                "overall": _display_rows(table[overall_mask], language),
                "groups": _display_rows(table[~overall_mask], language),
            }
        )
    return sections


PART_COST = {"charts": 1.0, "sections": 1.0}  # about equal at 100k trainees


def _parts(report: Report, names: list[str]) -> dict[str, Any]:
    """The ``charts`` (name → base64 PNG) and/or the table ``sections`` of the report."""
    makers = {"charts": all_charts, "sections": _sections}
    return {name: makers[name](report) for name in names}


def _charts_of(charts: dict[str, str], section: str) -> list[str]:
    """The charts (base64 PNG) shown in ``section``."""
    return [png for chart, png in charts.items() if CHART_SECTIONS[chart] == section]


def render_html(report: Report) -> str:
    """The report as one HTML document, in ``report.language``."""
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "j2"])
    )
    language = report.language
    # the charts are drawn by a second process while this one lays out the tables
    parts = map_in_two_processes(partial(_parts, report), ["charts", "sections"], PART_COST)
    charts, sections = parts["charts"], parts["sections"]
    for section in sections:
        section["charts"] = _charts_of(charts, section["name"])
    response_table = report.tables["response"]
    overall = response_table["breakdown"] == "all"
    return environment.get_template("report.html.j2").render(
        language=language,
        tr=lambda key, **values: t(key, language, **values),
        meta=localised_meta(report),
        response_title=term(report.titles.get("response", "Response rates"), language),
        response_overall=_response_rows(response_table[overall], language),
        response_groups=_response_rows(response_table[~overall], language),
        response_charts=_charts_of(charts, "response"),
        sections=sections,
        method=method_note(language),
    )
