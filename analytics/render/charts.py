"""Charts of the report as base64 PNG (matplotlib, Agg backend); suppressed cells are skipped;
shares carry their 95 % interval as error bars."""

from __future__ import annotations

import base64
import io
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from analytics.render.labels import group_label  # noqa: E402
from analytics.render.translate import term, wave_label  # noqa: E402
from analytics.report import Report  # noqa: E402
from bot.i18n import t  # noqa: E402

COLOURS = ("#1b6ca8", "#f4a259", "#bc4b51", "#5b8e7d", "#8e7dbe")


def _percent(value: float, language: str) -> str:
    """``62%`` / ``62 %``: a whole percentage as the language writes it on a chart."""
    return f"{value:.0f}%" if language == "en" else f"{value:.0f}\u00a0%"


def _png(figure: plt.Figure) -> str:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=96)
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _numeric(value: object) -> float | None:
    return None if isinstance(value, str) or pd.isna(value) else float(value)  # type: ignore[arg-type]


def response_chart(report: Report) -> str | None:
    """Response rate per wave (all trainees)."""
    table = report.tables["response"]
    rows = table[table["breakdown"] == "all"]
    language = report.language
    data = [
        (
            textwrap.fill(wave_label(r.wave, language), 14),
            _numeric(r.response_rate),
            r.responded,
            r.due,
        )
        for r in rows.itertuples()
    ]
    data = [d for d in data if d[1] is not None]
    if not data:
        return None
    figure, axis = plt.subplots(figsize=(6, 2.8))
    bars = axis.bar([d[0] for d in data], [d[1] for d in data], color=COLOURS[0])
    for bar, (_, rate, responded, due) in zip(bars, data, strict=False):
        axis.text(
            bar.get_x() + bar.get_width() / 2,
            (rate or 0.0) + 1,
            f"{_percent(rate or 0.0, language)}\n{responded}/{due}",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    axis.set_ylim(0, 115)
    axis.set_ylabel(t("report_chart_due_share", language))
    axis.set_title(t("report_chart_response_title", language))
    axis.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def _stacked_bars(
    axis, labels: list[str], stacks: list[tuple], names: list[str], language: str
) -> None:
    """Horizontal stacked shares (one bar per label), each part labelled when wide enough."""
    left = [0.0] * len(stacks)
    for index, name in enumerate(names):
        values = [s[index + 1] for s in stacks]
        axis.barh(labels, values, left=left, color=COLOURS[index], label=name)
        for y, (start, value) in enumerate(zip(left, values, strict=False)):
            if value >= 6:
                axis.text(start + value / 2, y, _percent(value, language), ha="center",
                          va="center", color="white", fontsize=8)  # fmt: skip
        left = [a + b for a, b in zip(left, values, strict=False)]


def labour_chart(report: Report) -> str | None:
    """Employed / unemployed / outside the labour force, % of respondents, per follow-up."""
    table, language = report.tables["labour"], report.language
    rows = table[table["breakdown"] == "all"]
    waves = list(dict.fromkeys(rows["wave"]))
    stacks: list[tuple[str, float, float, float]] = []
    errors = []
    for wave in waves:
        of_wave = rows[rows["wave"] == wave].set_index("indicator")
        employed = _numeric(of_wave["value"].iloc[0])
        outside = _numeric(of_wave["value"].iloc[2])
        if employed is None or outside is None:
            continue
        n = int(of_wave["n"].iloc[0])
        stacks.append(
            (f"{wave_label(wave, language)}\n(n={n})", employed, 100 - employed - outside, outside)
        )
        low, high = _numeric(of_wave["ci_low"].iloc[0]), _numeric(of_wave["ci_high"].iloc[0])
        errors.append(
            (employed - low, high - employed)
            if low is not None and high is not None
            else (0.0, 0.0)
        )
    if not stacks:
        return None
    figure, axis = plt.subplots(figsize=(6, 2.8))
    labels = [s[0] for s in stacks]
    names = [
        term(name, language) for name in ("Employed", "Unemployed", "Outside the labour force")
    ]
    _stacked_bars(axis, labels, stacks, names, language)
    axis.errorbar(
        [s[1] for s in stacks],
        labels,
        xerr=list(zip(*errors, strict=True)),
        fmt="none",
        ecolor="black",
        capsize=4,
        label=t("report_chart_ci_employed", language),
    )
    axis.set_xlim(0, 100)
    axis.invert_yaxis()
    axis.set_xlabel(t("report_chart_of_respondents", language))
    axis.set_title(t("report_chart_labour_title", language))
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=4, fontsize=8, frameon=False)
    axis.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def employment_by_group_chart(report: Report) -> str | None:
    """Employment rate by sex and completion at the latest follow-up with data."""
    table, language = report.tables["labour"], report.language
    rows = table[table["indicator"].str.startswith("Employment rate")]
    rows = rows[rows["breakdown"].isin(["all", "sex", "completion"])]
    rows = rows[rows["value"].map(lambda v: _numeric(v) is not None)]
    if rows.empty:
        return None
    wave = rows["wave"].iloc[-1]
    rows = rows[rows["wave"] == wave]
    labels = [f"{group_label(r.breakdown, r.group, language)} (n={r.n})" for r in rows.itertuples()]
    values = [float(v) for v in rows["value"]]
    low = [v - float(c) for v, c in zip(values, rows["ci_low"], strict=True)]
    high = [float(c) - v for v, c in zip(values, rows["ci_high"], strict=True)]
    figure, axis = plt.subplots(figsize=(6, 0.45 * len(labels) + 1.2))
    axis.barh(
        labels[::-1],
        values[::-1],
        color=COLOURS[0],
        label=t("report_chart_unweighted", language),
        xerr=[low[::-1], high[::-1]],
        error_kw={"ecolor": "#555", "capsize": 3},
    )
    axis.scatter(
        [float(v) for v in rows["value_weighted"]][::-1],
        labels[::-1],
        color="black",
        marker="|",
        s=200,
        label=t("report_chart_weighted", language),
        zorder=3,
    )
    axis.set_xlim(0, 100)
    axis.set_xlabel(t("report_chart_employed_share", language))
    axis.set_title(t("report_chart_by_group_title", language, wave=wave_label(wave, language)))
    axis.legend(fontsize=8, frameon=False, loc="lower right")
    axis.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def expectations_chart(report: Report) -> str | None:
    """Expectation met (yes/partly/no) per baseline expectation, with the objective check."""
    table, language = report.tables["expectations"], report.language
    table = table[table["value"].map(lambda v: _numeric(v) is not None)]
    if table.empty:
        return None
    wave = table["wave"].iloc[-1]
    table = table[table["wave"] == wave]
    groups = list(dict.fromkeys(table["group"]))
    figure, axis = plt.subplots(figsize=(6.5, 0.55 * len(groups) + 1.5))
    labels: list[str] = []
    left = [0.0] * len(groups)
    for index, answer in enumerate(("yes", "partly", "no")):
        values = []
        for group in groups:
            match = table[
                (table["group"] == group) & (table["indicator"] == f"Expectation met: {answer}")
            ]
            values.append(float(match["value"].iloc[0]) if len(match) else 0.0)
        labels = []
        for group in groups:
            n = table.loc[table["group"] == group, "n"].iloc[0]
            labels.append(f"{group_label('expectation', group, language)} (n={n})")
        colour = COLOURS[[3, 1, 2][index]]
        met = t(f"report_chart_met_{answer}", language)
        axis.barh(labels, values, left=left, color=colour, label=met)
        left = [a + b for a, b in zip(left, values, strict=False)]
    checks = table[table["indicator"].str.startswith("Objective check")]
    xs, ys = [], []
    for row in checks.itertuples():
        xs.append(float(row.value))
        ys.append(labels[groups.index(row.group)])
    if xs:
        axis.scatter(
            xs,
            ys,
            color="black",
            marker="D",
            s=30,
            zorder=3,
            label=t("report_chart_objective", language),
        )
    axis.set_xlim(0, 100)
    axis.invert_yaxis()
    axis.set_xlabel(t("report_chart_expectation_share", language))
    axis.set_title(t("report_chart_expectations_title", language, wave=wave_label(wave, language)))
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=4, fontsize=8, frameon=False)
    axis.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def all_charts(report: Report) -> dict[str, str]:
    """Chart name → base64 PNG, for the charts that have data."""
    makers = {
        "response": response_chart,
        "labour": labour_chart,
        "employment_by_group": employment_by_group_chart,
        "expectations": expectations_chart,
    }
    charts = {name: make(report) for name, make in makers.items()}
    return {name: png for name, png in charts.items() if png}
