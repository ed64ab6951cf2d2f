"""Fieldwork windows at their edges: the first and last day in, the day before and after out."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from bot.config import load_settings
from bot.survey.windows import fieldwork_window, outside_window

START, END = date(2024, 4, 1), date(2025, 1, 15)

# (wave, cohort start, cohort end, grace days, window months, answer day, inside?)
CASES = [
    # baseline: until the start + 30 days (2024-05-01), no opening day
    ("baseline", START, END, 30, 3, date(2023, 1, 1), True),
    ("baseline", START, END, 30, 3, date(2024, 5, 1), True),
    ("baseline", START, END, 30, 3, date(2024, 5, 2), False),
    ("baseline", START, END, 0, 3, date(2024, 4, 1), True),
    ("baseline", START, END, 0, 3, date(2024, 4, 2), False),
    # a late joiner answering "before training" after the training ended
    ("baseline", START, END, 30, 3, date(2025, 6, 1), False),
    # no start date: the end date + grace; no dates at all: no window
    ("baseline", None, END, 30, 3, date(2025, 2, 14), True),
    ("baseline", None, END, 30, 3, date(2025, 2, 15), False),
    ("baseline", None, None, 30, 3, date(2030, 1, 1), True),
    # exit: from the end date for 3 months (last day 2025-04-14)
    ("exit", START, END, 30, 3, date(2025, 1, 14), False),
    ("exit", START, END, 30, 3, date(2025, 1, 15), True),
    ("exit", START, END, 30, 3, date(2025, 4, 14), True),
    ("exit", START, END, 30, 3, date(2025, 4, 15), False),
    # 6 months: 2025-07-15 → 2025-10-14; answered at month 14: out
    ("followup_6", START, END, 30, 3, date(2025, 7, 14), False),
    ("followup_6", START, END, 30, 3, date(2025, 7, 15), True),
    ("followup_6", START, END, 30, 3, date(2025, 10, 14), True),
    ("followup_6", START, END, 30, 3, date(2025, 10, 15), False),
    ("followup_6", START, END, 30, 3, date(2026, 3, 15), False),
    ("followup_6", START, END, 30, 1, date(2025, 8, 14), True),
    ("followup_6", START, END, 30, 1, date(2025, 8, 15), False),
    # 12 months across a year end; a month-end date clamps like the survey calendar
    ("followup_12", START, END, 30, 3, date(2026, 1, 15), True),
    ("followup_12", START, END, 30, 3, date(2026, 4, 15), False),
    ("followup_6", START, date(2024, 8, 31), 30, 3, date(2025, 2, 28), True),
    ("followup_6", START, date(2024, 8, 31), 30, 3, date(2025, 2, 27), False),
    # no end date: the later waves have no window (they are never due by date either)
    ("followup_6", START, None, 30, 3, date(2030, 1, 1), True),
]


@pytest.mark.parametrize(("wave", "start", "end", "grace", "months", "day", "inside"), CASES)
def test_window_edges(wave, start, end, grace, months, day, inside):
    assert fieldwork_window(wave, start, end, grace, months).contains(day) is inside


def test_vectorised_flags_agree_with_the_window_and_ignore_missing_days():
    frame = pd.DataFrame(
        CASES, columns=["wave", "start", "end", "grace", "months", "day", "inside"]
    )
    defaults = frame[(frame["grace"] == 30) & (frame["months"] == 3)]
    flags = outside_window(
        defaults["wave"], defaults["start"], defaults["end"], defaults["day"], 30, 3
    )
    assert flags.tolist() == (~defaults["inside"]).tolist()
    missing = outside_window(
        pd.Series(["baseline"]), pd.Series([START]), pd.Series([END]), pd.Series([None])
    )
    assert missing.tolist() == [False]
    assert outside_window(*(pd.Series([], dtype=object),) * 4).dtype == np.bool_


def test_settings_read_the_windows_from_the_environment():
    env = {
        "TRACER_SECRET_KEY": "s",
        "TRACER_ENCRYPTION_KEY": "e",
        "TRACER_ENV_FILE": "/nonexistent/tracer.env",
    }
    default = load_settings(env)
    assert (default.baseline_grace_days, default.fieldwork_window_months) == (30, 3)
    custom = load_settings(
        {**env, "TRACER_BASELINE_GRACE_DAYS": "14", "TRACER_FIELDWORK_WINDOW_MONTHS": "6"}
    )
    assert (custom.baseline_grace_days, custom.fieldwork_window_months) == (14, 6)


def test_export_leaves_late_responses_out_like_the_report(tmp_path):
    from sqlalchemy import update

    from analytics.anonymise import anonymise
    from analytics.anonymise.codebook import risk_markdown
    from analytics.anonymise.synthetic import SyntheticSpec, generate
    from bot.storage.db import engine_for
    from bot.storage.models import Answer, Base

    url = f"sqlite:///{tmp_path / 'export.db'}"
    Base.metadata.create_all(engine_for(url))
    ids = generate(url, SyntheticSpec(trainees=150, seed=3))
    with engine_for(url).begin() as connection:  # a late joiner: baseline after the training
        connection.execute(
            update(Answer)
            .where(Answer.trainee_id == ids[0], Answer.wave == "baseline")
            .values(answered_at=date(2026, 6, 1))
        )

    def baseline_respondents(**window) -> tuple[int, dict]:
        release = anonymise(url, "solar", secret="s", waves=["baseline"], **window)
        responded = release.table.data["responded_baseline"].astype(str)
        return int(responded.isin(["yes", "1", "1.0"]).sum()), release.risk

    kept, risk = baseline_respondents()
    assert kept == 149 and risk["outside_fieldwork_window"] == {"baseline": 1}
    assert "outside the fieldwork window, as in the report): baseline 1" in risk_markdown(
        {**risk, "generated_at": "now"}
    )
    assert baseline_respondents(grace_days=3650)[0] == 150


def test_html_report_says_how_many_answers_were_left_out(tmp_path):
    from analytics.render import write_report
    from analytics.report import build_report
    from tests.analytics.acceptance_helpers import AS_OF, build_acceptance_database

    url = f"sqlite:///{tmp_path / 'acc.db'}"
    build_acceptance_database(url)
    path = write_report(build_report(url, "acc", as_of=AS_OF), "html", tmp_path / "r.html")
    html = path.read_text(encoding="utf-8")
    # 16's late baseline (5 answers) and 15's 6-month answers at month 14 (12 answers)
    assert f"{5 + 12} answers outside the fieldwork window were left out" in html
    assert "Left out: outside the fieldwork window" in html
    # a grace of ten years takes 16's baseline back; 15's month-14 answers stay out
    lenient = build_report(url, "acc", as_of=AS_OF, grace_days=3650, window_months=3)
    assert lenient.meta["outside_fieldwork_window"].startswith("12 answers outside")
    response = lenient.tables["response"].set_index(["wave", "breakdown", "group"])
    assert response.loc[("baseline", "all", "all"), "responded"] == 33
