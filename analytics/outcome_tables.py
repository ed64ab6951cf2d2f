"""Report tables on outcomes: earnings (with the optional CPI adjustment), further study,
expectations and satisfaction. Each function takes the
:class:`analytics.indicators.IndicatorBuilder` and returns its rows; definitions in
``docs/indicators.md``."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analytics.derive import SELF_EMPLOYED, converted_from_other_period
from bot.questionnaire.waves import EXIT

if TYPE_CHECKING:
    from analytics.indicators import IndicatorBuilder


def earnings_table(b: IndicatorBuilder) -> list[dict]:
    """Median monthly earnings per currency; change against an observed baseline amount
    (in the baseline's currency; no work at follow-up counts as 0)."""
    rows: list[dict] = []
    for wave in b.followup_waves:
        frame = b.followup(wave)
        currency = frame["fu_earnings_currency"].astype(object)
        for code in sorted({str(c) for c in currency.dropna().unique()}):
            rows += b.rows(
                frame,
                wave,
                f"Median monthly earnings ({code})",
                code,
                "median",
                frame["fu_earnings"],
                eligible=currency == code,
            )
            rows += b.rows(
                frame,
                wave,
                f"Amounts converted to monthly from another pay period ({code})",
                "% of amounts",
                "share",
                converted_from_other_period(frame["fu_earnings"], frame.get("fu_earnings_period")),
                eligible=currency == code,
            )
        amount = frame["fu_earnings"].notna()
        rows += b.rows(
            frame,
            wave,
            "Earnings given without a currency (not used)",
            "% of amounts",
            "share",
            currency.isna().where(amount),
            breakdowns=(),
        )
        rows += _change_rows(b, frame, wave)
    return rows


def _change_rows(b: IndicatorBuilder, frame: pd.DataFrame, wave: str) -> list[dict]:
    """Change vs an observed baseline amount, per baseline currency (nominal; also real when
    the officer gave a CPI table)."""
    rows: list[dict] = []
    base_currency = frame["bl_earnings_currency"].astype(object)
    change = frame["earnings_change"]
    for code in sorted({str(c) for c in base_currency[change.notna()].unique()}):
        mine = base_currency == code
        rows += b.rows(
            frame,
            wave,
            f"Median change vs baseline earnings ({code})",
            code,
            "median",
            change,
            eligible=mine,
        )
        rows += b.rows(
            frame,
            wave,
            f"Earns more than before training ({code})",
            "% with baseline earnings",
            "share",
            frame["earns_more"].astype(object),
            eligible=mine,
        )
        if "real_earnings_change" in frame.columns:
            rows += _real_change_rows(b, frame, wave, code, mine)
    return rows


def _real_change_rows(
    b: IndicatorBuilder, frame: pd.DataFrame, wave: str, code: str, mine: pd.Series
) -> list[dict]:
    """The change vs baseline in the baseline month's prices (officer's CPI table)."""
    real = frame["real_earnings_change"]
    rows = b.rows(
        frame,
        wave,
        f"Median real change vs baseline earnings ({code}, baseline prices)",
        code,
        "median",
        real,
        eligible=mine,
    )
    rows += b.rows(
        frame,
        wave,
        f"Earns more than before training in real terms ({code})",
        "% with baseline earnings",
        "share",
        (real > 0).where(real.notna()).astype(object),
        eligible=mine,
    )
    return rows


def further_study_table(b: IndicatorBuilder) -> list[dict]:
    """Share currently in education or training."""
    rows: list[dict] = []
    for wave in b.followup_waves:
        frame = b.followup(wave)
        study = frame["fu_further_study"]
        rows += b.rows(
            frame,
            wave,
            "In education or training",
            "%",
            "share",
            (study == "yes").where(study.notna()),
        )
    return rows


def expectations_table(b: IndicatorBuilder) -> list[dict]:
    """For each baseline expectation: met yes/partly/no, and an objective check."""
    rows: list[dict] = []
    for wave in b.followup_waves:
        frame = b.followup(wave)
        met = frame["fu_expectation_met"]
        checks = _objective_checks(frame)
        for expectation in b.choices("bl_expectation_main"):
            mine = frame["expectation"] == expectation
            group = ("expectation", expectation)
            for answer, label in (("yes", "yes"), ("partly", "partly"), ("no", "no")):
                rows += b.rows(
                    frame,
                    wave,
                    f"Expectation met: {label}",
                    "%",
                    "share",
                    (met == answer).where(met.notna()),
                    eligible=mine,
                    breakdowns=(),
                    as_group=group,
                )
            if expectation in checks:
                label, values = checks[expectation]
                rows += b.rows(
                    frame,
                    wave,
                    f"Objective check: {label}",
                    "%",
                    "share",
                    values,
                    eligible=mine,
                    breakdowns=(),
                    as_group=group,
                )
    return rows


def _objective_checks(frame: pd.DataFrame) -> dict[str, tuple[str, pd.Series]]:
    status = frame["labour_status"]
    employed = status == "employed"
    sie = frame["fu_status_in_employment"]
    self_employed = sie.isin(SELF_EMPLOYED).where(status.notna() & (~employed | sie.notna()))
    certificate = (frame["ex_certificate"] == "yes").where(frame["ex_certificate"].notna())
    certificate = certificate.where(frame["completion"] != "dropped_out", False)
    return {
        "get_job": ("employed at follow-up", employed.where(status.notna())),
        "start_business": ("self-employed at follow-up", self_employed),
        "earn_more": ("earns more than before training", frame["earns_more"]),
        "get_certificate": ("certificate obtained (exit)", certificate),
    }


def satisfaction_table(b: IndicatorBuilder) -> list[dict]:
    """Mean rating and % rating 4-5 (exit ratings; hindsight rating per follow-up)."""
    rows: list[dict] = []
    items = [(b.exit, EXIT, "ex_satisfaction"), (b.exit, EXIT, "ex_usefulness")]
    items += [(b.followup(w), w, "fu_satisfaction_hindsight") for w in b.followup_waves]
    for frame, wave, code in items:
        rating = pd.to_numeric(frame[code], errors="coerce")
        label = b.label_question(code)
        rows += b.rows(frame, wave, f"{label}: mean", "1-5", "mean", rating)
        rows += b.rows(
            frame,
            wave,
            f"{label}: rated 4-5",
            "%",
            "share",
            (rating >= 4).where(rating.notna()),
        )
    return rows
