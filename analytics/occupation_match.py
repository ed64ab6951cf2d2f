""" "Working in the occupation trained for" (ISCO-08 horizontal match) and desired vs actual.

Small and separate from the outcome report on purpose: it reads the ISCO-08 codes of the
current occupation (``fu_occupation_isco``, follow-up waves) and of the desired occupation
(``bl_desired_occupation_isco``), and the unit groups each programme declares
(``tracer occupations programme``). A match is the same 4-digit unit group.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import select

from analytics.answer_sql import current_answers
from bot.occupations.coding import programme_codes
from bot.storage.db import engine_for, session_scope
from bot.storage.models import Answer, Programme

CURRENT = "fu_occupation_isco"
DESIRED = "bl_desired_occupation_isco"
ISCO_COLUMNS = ("trainee_id", "wave", "question_code", "code")


@dataclass(frozen=True)
class OccupationMatch:
    """Per programme: coded current occupations, matches with the trained-for unit groups."""

    programme: str
    trained_for: tuple[str, ...]
    coded: int
    in_trained_occupation: int
    with_desired: int
    in_desired_occupation: int

    @property
    def share_trained(self) -> float | None:
        """Share of coded current occupations that are a trained-for unit group."""
        return self.in_trained_occupation / self.coded if self.coded else None

    @property
    def share_desired(self) -> float | None:
        """Share, among those with both codes, working in the occupation they wanted."""
        return self.in_desired_occupation / self.with_desired if self.with_desired else None


def occupation_match(url: str) -> list[OccupationMatch]:
    """One row per programme that has coded current occupations or declared unit groups."""
    declared = programme_codes(url)
    with session_scope(url) as session:
        rows = session.execute(
            current_answers(
                Programme.code,
                Answer.trainee_id,
                Answer.wave,
                Answer.question_code,
                Answer.value_text,
            ).where(
                Answer.status == "answered",
                Answer.question_code.in_([CURRENT, DESIRED]),
            )
        ).all()
    desired = {(r.code, r.trainee_id): r.value_text for r in rows if r.question_code == DESIRED}
    current: dict[tuple[str, int], tuple[int, str]] = {}  # the latest follow-up wave wins
    for row in rows:
        if row.question_code == CURRENT:
            key = (row.code, row.trainee_id)
            months = int(row.wave.split("_")[1]) if "_" in row.wave else 0
            if key not in current or months >= current[key][0]:
                current[key] = (months, row.value_text)
    result = []
    for programme in sorted({p for p, _ in current} | set(declared)):
        trained = declared.get(programme, ())
        mine = {t: code for (p, t), (_, code) in current.items() if p == programme}
        wanted = {t: desired[(programme, t)] for t in mine if (programme, t) in desired}
        result.append(
            OccupationMatch(
                programme=programme,
                trained_for=trained,
                coded=len(mine),
                in_trained_occupation=sum(code in trained for code in mine.values()),
                with_desired=len(wanted),
                in_desired_occupation=sum(mine[t] == code for t, code in wanted.items()),
            )
        )
    return result


def isco_answers(url: str, trainees) -> pd.DataFrame:
    """trainee_id, wave, question_code, code: the ISCO-08 codes (desired at baseline, current
    at follow-up) of ``trainees`` (a subquery of ids), oldest first."""
    query = (
        select(Answer.trainee_id, Answer.wave, Answer.question_code, Answer.value_text)
        .where(
            Answer.is_current.is_(True),
            Answer.status == "answered",
            Answer.question_code.in_([CURRENT, DESIRED]),
            Answer.trainee_id.in_(trainees),
        )
        .order_by(Answer.id)
    )
    with engine_for(url).connect() as connection:
        rows = connection.execute(query).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(ISCO_COLUMNS))


def isco_codes(
    isco: pd.DataFrame, question: str, trainee_ids: pd.Series, waves: pd.Series | None = None
) -> pd.Series:
    """The newest ISCO-08 code of ``question`` for each trainee (in ``waves``, row by row; none:
    any wave), aligned on ``trainee_ids``; missing when none was coded."""
    mine = isco[isco["question_code"] == question]
    if waves is None:
        found = mine.drop_duplicates("trainee_id", keep="last").set_index("trainee_id")["code"]
        values = found.reindex(trainee_ids.to_numpy()).to_numpy(dtype=object)
    else:
        found = mine.drop_duplicates(["trainee_id", "wave"], keep="last")
        found = found.set_index(["trainee_id", "wave"])["code"]
        keys = pd.MultiIndex.from_arrays([trainee_ids.to_numpy(), waves.astype(object)])
        values = found.reindex(keys).to_numpy(dtype=object)
    return pd.Series(values, index=trainee_ids.index, dtype=object)
