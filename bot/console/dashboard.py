"""Response dashboard figures: programme × cohort × wave response rates and retention.

Response rate: trainees who completed the wave / trainees of the cohort (the CLI's
``tracer status`` table). Retention: baseline completers who also completed the wave.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from bot.config import Settings
from bot.outreach.scope import Scope
from bot.outreach.status import response_table
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Programme, Trainee, WaveProgress


@dataclass(frozen=True)
class DashboardRow:
    """One programme × cohort × wave line."""

    programme: str
    cohort: str
    wave: str
    trainees: int
    answered: int
    retained: int
    baseline: int

    @property
    def response_rate(self) -> float | None:
        """Completed the wave, % of the cohort."""
        return 100.0 * self.answered / self.trainees if self.trainees else None

    @property
    def retention(self) -> float | None:
        """Baseline completers who completed this wave too, % of baseline completers."""
        return 100.0 * self.retained / self.baseline if self.baseline else None


def _retained(settings: Settings, programmes: tuple[str, ...] | None) -> Counter:
    """(programme, cohort, wave) → trainees who completed both the baseline and the wave."""
    base, other = aliased(WaveProgress), aliased(WaveProgress)
    statement = (
        select(Programme.code, Cohort.code, other.wave, func.count(other.trainee_id))
        .join(Cohort, Cohort.programme_id == Programme.id)
        .join(Trainee, Trainee.cohort_id == Cohort.id)
        .join(
            base,
            and_(
                base.trainee_id == Trainee.id,
                base.wave == "baseline",
                base.completed_at.is_not(None),
            ),
        )
        .join(other, and_(other.trainee_id == Trainee.id, other.completed_at.is_not(None)))
        .group_by(Programme.code, Cohort.code, other.wave)
    )
    if programmes is not None:
        statement = statement.where(Programme.code.in_(programmes))
    with session_scope(settings.database_url) as session:
        return Counter({(p, c, w): n for p, c, w, n in session.execute(statement)})


def dashboard_rows(
    settings: Settings, programmes: tuple[str, ...] | None, programme: str | None = None
) -> list[DashboardRow]:
    """Rows for the programmes the account may see (``None``: all), or just ``programme``."""
    if programme is not None:
        programmes = (programme,)
    if programmes is not None and not programmes:
        return []
    retained = _retained(settings, programmes)
    rows = []
    for row in response_table(settings, Scope(programme)):
        if programmes is not None and row.programme not in programmes:
            continue
        baseline = retained.get((row.programme, row.cohort, "baseline"), 0)
        rows.append(
            DashboardRow(
                row.programme,
                row.cohort,
                row.wave,
                row.trainees,
                row.answered,
                retained.get((row.programme, row.cohort, row.wave), 0),
                baseline,
            )
        )
    return rows


def wave_totals(rows: list[DashboardRow]) -> list[DashboardRow]:
    """Programme-level totals per wave (cohorts summed), in the rows' wave order."""
    totals: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        sums = totals.setdefault((row.programme, row.wave), [0, 0, 0, 0])
        for index, value in enumerate((row.trainees, row.answered, row.retained, row.baseline)):
            sums[index] += value
    return [DashboardRow(p, "all", w, *sums) for (p, w), sums in totals.items()]
