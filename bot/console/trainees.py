"""Trainee look-up by pseudonymous id for support: status, opt-out, waves done, channels.

Never an address, a name or an answer's text: only states, dates and channel names.
"""

from __future__ import annotations

from sqlalchemy import select

from bot.config import Settings
from bot.storage.db import session_scope
from bot.storage.models import Cohort, Contact, Programme, Trainee, WaveProgress


def look_up(settings: Settings, pseudo_id: str) -> dict | None:
    """What support may see about one trainee, or None when the id is unknown."""
    with session_scope(settings.database_url) as session:
        row = session.execute(
            select(Trainee, Cohort.code, Programme.code)
            .outerjoin(Cohort, Cohort.id == Trainee.cohort_id)
            .outerjoin(Programme, Programme.id == Cohort.programme_id)
            .where(Trainee.pseudo_id == pseudo_id.strip())
        ).first()
        if row is None:
            return None
        trainee, cohort, programme = row
        waves = session.execute(
            select(WaveProgress.wave, WaveProgress.started_at, WaveProgress.completed_at)
            .where(WaveProgress.trainee_id == trainee.id)
            .order_by(WaveProgress.started_at)
        ).all()
        channels = sorted(
            set(
                session.execute(
                    select(Contact.channel).where(Contact.trainee_id == trainee.id)
                ).scalars()
            )
        )
        return {
            "id": trainee.id,
            "pseudo_id": trainee.pseudo_id,
            "programme": programme or "",
            "cohort": cohort or "",
            "status": trainee.status,
            "opted_out_at": trainee.opted_out_at,
            "language": trainee.language or "",
            "waves": [{"wave": w, "started": s, "completed": c} for w, s, c in waves],
            "channels": channels,
        }
