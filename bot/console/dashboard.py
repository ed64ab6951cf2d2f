"""Response dashboard figures: programme × cohort × wave response rates and retention.

Response rate: trainees who completed the wave / trainees of the cohort (as ``tracer status``).
Retention: baseline completers who also completed the wave / baseline completers.
Two grouped queries (trainees per cohort; completed waves counted by
:func:`bot.outreach.status.completed_waves`, the same count as ``tracer status``), so the page
stays fast at 100k trainees.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from bot.config import Settings
from bot.outreach.status import completed_waves, waves
from bot.questionnaire.waves import BASELINE
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Programme, Trainee


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


def _cohorts(session, programmes: tuple[str, ...] | None) -> list[tuple[int, str, str]]:
    statement = (
        select(Cohort.id, Programme.code, Cohort.code)
        .join(Programme, Programme.id == Cohort.programme_id)
        .order_by(Programme.code, Cohort.code)
    )
    if programmes is not None:
        statement = statement.where(Programme.code.in_(programmes))
    return [tuple(row) for row in session.execute(statement)]


def dashboard_rows(
    settings: Settings, programmes: tuple[str, ...] | None, programme: str | None = None
) -> list[DashboardRow]:
    """Rows for the programmes the account may see (``None``: all), or just ``programme``."""
    if programme is not None:
        programmes = (programme,)
    with session_scope(settings.database_url) as session:
        cohorts = _cohorts(session, programmes)
        ids = [cohort_id for cohort_id, _, _ in cohorts]
        if not ids:
            return []
        trainees = Counter(
            dict(
                session.execute(
                    select(Trainee.cohort_id, func.count())
                    .where(Trainee.cohort_id.in_(ids))
                    .group_by(Trainee.cohort_id)
                ).all()
            )
        )
        answered, retained = completed_waves(session, ids, waves(settings))
    rows = []
    for cohort_id, programme_code, cohort_code in cohorts:
        baseline = answered[(cohort_id, BASELINE)]
        for wave in waves(settings):
            rows.append(
                DashboardRow(
                    programme_code,
                    cohort_code,
                    wave,
                    trainees[cohort_id],
                    answered[(cohort_id, wave)],
                    retained[(cohort_id, wave)],
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
