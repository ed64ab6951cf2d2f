"""Server-side SVG charts (matplotlib, no JavaScript, no CDN)."""

from __future__ import annotations

import io
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"matplotlib\..*")
warnings.filterwarnings("ignore", message=r".*deprecated - use.*")

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from bot.console.dashboard import DashboardRow  # noqa: E402


def response_chart(totals: list[DashboardRow], title: str) -> str:
    """An SVG line chart: response rate and retention per wave, one line per programme."""
    figure, axis = plt.subplots(figsize=(7, 3.2), dpi=72)
    try:
        programmes = sorted({row.programme for row in totals})
        for programme in programmes:
            mine = [row for row in totals if row.programme == programme]
            waves = [row.wave for row in mine]
            axis.plot(
                waves,
                [row.response_rate or 0 for row in mine],
                marker="o",
                label=f"{programme}: response %",
            )
            axis.plot(
                waves,
                [row.retention or 0 for row in mine],
                marker="s",
                linestyle="--",
                label=f"{programme}: retention %",
            )
        axis.set_ylim(0, 100)
        axis.set_ylabel("%")
        axis.set_title(title)
        axis.grid(alpha=0.3)
        if programmes:
            axis.legend(fontsize=8, loc="upper right")
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", bbox_inches="tight")
    finally:
        plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]
