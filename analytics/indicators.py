"""The outcome indicators of a tracer study, as long tables (one row per indicator × group).

Every row carries the wave's response figures for its group (trainees due, respondents,
response rate), the item denominator ``n``, the numerator ``count``, the unweighted ``value``
with its 95 % interval, the non-response-weighted ``value_weighted`` with its interval, the
Kish effective n and the design effect of the weights. Small cells are suppressed, with
complementary suppression (:mod:`analytics.disclosure`). Definitions: ``docs/indicators.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.dataset import Dataset
from analytics.derive import (
    SELF_EMPLOYED,
    YOUTH_BANDS,
    converted_from_other_period,
    followup_frame,
)
from analytics.disclosure import protect_tables
from analytics.more_tables import MORE_TABLES
from analytics.stats import ALL, add_share_intervals, response_rows, summarise
from analytics.survival import WITHIN_MONTHS, km_rows
from analytics.weights import DEFAULT_CELLS, response_weights

BREAKDOWNS: tuple[str, ...] = ("cohort", "sex", "age_band", "region", "completion")
RESPONSE_BREAKDOWNS: tuple[str, ...] = BREAKDOWNS + ("expectation",)
COLUMNS = [
    "indicator",
    "unit",
    "wave",
    "breakdown",
    "group",
    "due",
    "responded",
    "response_rate",
    "n",
    "count",
    "value",
    "ci_low",
    "ci_high",
    "value_weighted",
    "ci_low_weighted",
    "ci_high_weighted",
    "n_eff",
    "deff",
    "kind",
]
REGISTRY = "cohort file"  # the "wave" of figures from the cohort import, not from a survey
TABLE_TITLES = {
    "response": "Response rates",
    "completion": "Completion and dropout",
    "labour": "Labour-market status",
    "employment_type": "Wage employment and self-employment",
    "first_job": "Time to first job",
    "job_match": "Relevance of the job and use of skills",
    "formality": "Formality of work",
    "earnings": "Earnings",
    "further_study": "Further education or training",
    "expectations": "Expectations vs outcomes",
    "satisfaction": "Satisfaction and usefulness",
    **{name: title for name, (title, _) in MORE_TABLES.items()},
}


@dataclass
class Tables:
    """Indicator tables by name, in report order."""

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


class IndicatorBuilder:
    """Computes every table of the report from one :class:`Dataset`."""

    def __init__(
        self,
        dataset: Dataset,
        breakdowns: tuple[str, ...] = BREAKDOWNS,
        weight_cells: tuple[str, ...] = DEFAULT_CELLS,
    ) -> None:
        self.ds = dataset
        self.breakdowns = breakdowns
        people = dataset.people
        responses = dataset.responses
        self.responded: dict[str, np.ndarray] = {}
        self.weights: dict[str, pd.Series] = {}
        self.response: dict[str, pd.DataFrame] = {}
        for wave in dataset.waves:
            due = dataset.due[wave].to_numpy(dtype=bool)
            answered = people.index.isin(responses.loc[responses["wave"] == wave, "trainee_id"])
            self.responded[wave] = answered
            self.weights[wave] = response_weights(people, due, answered, weight_cells)
            self.response[wave] = pd.DataFrame(
                response_rows(people, due, answered, breakdowns + ("expectation",))
            ).set_index(["breakdown", "group"])
        self.exit = people[self.responded.get("exit", np.zeros(len(people), bool))]
        self.followups = followup_frame(people, responses)
        self.followup_waves = [w for w in dataset.waves if w.startswith("followup")]
        # per-group response figures as plain dicts: looked up for every indicator row
        self._response_figures = {
            wave: {
                key: (int(due), int(responded), rate)
                for key, due, responded, rate in zip(
                    table.index,
                    table["due"],
                    table["responded"],
                    table["response_rate"],
                    strict=True,
                )
            }
            for wave, table in self.response.items()
        }
        self._followup_frames: dict[str, pd.DataFrame] = {}
        self._frame_weights: dict[tuple[int, str], tuple[pd.DataFrame, pd.Series]] = {}

    # -- helpers ---------------------------------------------------------------------------
    def _weights_for(self, frame: pd.DataFrame, wave: str) -> pd.Series:
        """The wave's weights aligned on ``frame`` (computed once per frame and wave)."""
        cached = self._frame_weights.get((id(frame), wave))
        if cached is not None and cached[0] is frame:
            return cached[1]
        ids = frame["trainee_id"] if "trainee_id" in frame.columns else frame.index.to_series()
        weights = self.weights[wave].reindex(ids.to_numpy()).fillna(0.0)
        aligned = pd.Series(weights.to_numpy(), index=frame.index)
        self._frame_weights[(id(frame), wave)] = (frame, aligned)
        return aligned

    def rows(
        self,
        frame: pd.DataFrame,
        wave: str,
        indicator: str,
        unit: str,
        kind: str,
        values: pd.Series,
        eligible: pd.Series | None = None,
        breakdowns: tuple[str, ...] | None = None,
        as_group: tuple[str, str] | None = None,
        weights: pd.Series | None = None,
    ) -> list[dict]:
        """Indicator rows for ``frame`` (rows of one wave), with the wave's response figures."""
        breakdowns = self.breakdowns if breakdowns is None else breakdowns
        if weights is None:
            weights = self._weights_for(frame, wave)
        result = summarise(frame, kind, values, weights, breakdowns, eligible)
        if as_group is not None:
            result = [r for r in result if r["breakdown"] == ALL]
            for r in result:
                r["breakdown"], r["group"] = as_group
        return self._label_rows(result, indicator, unit, wave)

    def _label_rows(self, result: list[dict], indicator: str, unit: str, wave: str) -> list[dict]:
        """Add the indicator, unit, wave and the group's response figures to ``result``."""
        response = self._response_figures.get(wave, {})
        missing = (np.nan, np.nan, np.nan)
        for row in result:
            due, responded, rate = response.get((row["breakdown"], row["group"]), missing)
            row.update(
                indicator=indicator,
                unit=unit,
                wave=wave,
                due=due,
                responded=responded,
                response_rate=rate,
            )
        return result

    def _followup(self, wave: str) -> pd.DataFrame:
        """The follow-up rows of ``wave`` (one frame per wave, so group masks are reused)."""
        if wave not in self._followup_frames:
            self._followup_frames[wave] = self.followups[self.followups["wave"] == wave]
        return self._followup_frames[wave]

    # -- tables ----------------------------------------------------------------------------
    def completion_table(self) -> list[dict]:
        """Completion and dropout rates from the cohort file (all trainees whose training has
        ended, not only exit respondents); dropout reasons (exit respondents who dropped out)."""
        people = self.ds.people
        columns = [*self.breakdowns, "registered_completion"]
        ended = people.loc[self.ds.due["exit"].to_numpy(dtype=bool), columns]
        status = ended["registered_completion"].where(
            ended["registered_completion"].isin(["completed", "dropped_out"])
        )
        known = status.notna()
        ones = pd.Series(1.0, index=ended.index)
        breakdowns = tuple(b for b in self.breakdowns if b != "completion")
        rows: list[dict] = []
        for label, values, by in (
            ("Completion rate (cohort file)", (status == "completed").where(known), breakdowns),
            ("Dropout rate (cohort file)", (status == "dropped_out").where(known), breakdowns),
            ("Completion status missing from the cohort file", ~known, ("cohort",)),
        ):
            result = summarise(ended, "share", values, ones, by)
            rows += self._label_rows(result, label, "% of trainees", REGISTRY)
        frame = self.exit
        reasons = frame["ex_dropout_reason"]
        dropped = frame["completion"] == "dropped_out"
        for reason in self._choices("ex_dropout_reason"):
            rows += self.rows(
                frame,
                "exit",
                f"Dropout reason: {self._label('ex_dropout_reason', reason)}",
                "% of dropouts",
                "share",
                (reasons == reason).where(reasons.notna()),
                eligible=dropped,
                breakdowns=(),
            )
        return rows

    def labour_table(self) -> list[dict]:
        """Employment-to-population ratio, unemployment rate and inactivity per follow-up."""
        rows: list[dict] = []
        for wave in self.followup_waves:
            frame = self._followup(wave)
            status = frame["labour_status"]
            known = status.notna()
            in_force = status.isin(["employed", "unemployed"])
            rows += self.rows(
                frame,
                wave,
                "Employment rate (employed / respondents)",
                "%",
                "share",
                (status == "employed").where(known),
            )
            rows += self.rows(
                frame,
                wave,
                "Unemployment rate (unemployed / labour force)",
                "%",
                "share",
                (status == "unemployed").where(in_force),
            )
            rows += self.rows(
                frame,
                wave,
                "Outside the labour force (inactivity rate)",
                "%",
                "share",
                (status == "outside").where(known),
            )
            neet = frame["neet"]
            rows += self.rows(
                frame,
                wave,
                "NEET rate, youth 15-24 (SDG 8.6.1)",
                "%",
                "share",
                neet,
                eligible=frame["age_band"].isin(YOUTH_BANDS),
            )
            rows += self.rows(frame, wave, "NEET rate, all respondents", "%", "share", neet)
        return rows

    def employment_type_table(self) -> list[dict]:
        """Status in employment (ICSE-18) among the employed."""
        rows: list[dict] = []
        for wave in self.followup_waves:
            frame = self._followup(wave)
            status = frame["fu_status_in_employment"]
            known = status.notna() & (frame["labour_status"] == "employed")
            for label, codes in (
                ("Wage employment (employees)", ("employee",)),
                ("Self-employment (employers + own-account)", SELF_EMPLOYED),
                ("Contributing family workers", ("family_worker",)),
            ):
                rows += self.rows(
                    frame, wave, label, "% of employed", "share", status.isin(codes).where(known)
                )
        return rows

    def first_job_table(self) -> list[dict]:
        """Time to first job (Kaplan–Meier, censored at the wave's month for those still
        without a first job); share still without one; share who kept a pre-training job."""
        rows: list[dict] = []
        for wave in self.followup_waves:
            frame = self._followup(wave)
            weights = self._weights_for(frame, wave)
            medians, shares = km_rows(
                frame, frame["job_months"], frame["job_event"], weights, self.breakdowns
            )
            rows += self._label_rows(
                medians, "Median months to first job (Kaplan-Meier)", "months", wave
            )
            rows += self._label_rows(
                shares, f"First job within {WITHIN_MONTHS} months (Kaplan-Meier)", "%", wave
            )
            rows += self.rows(
                frame,
                wave,
                "Still without a first job (censored)",
                "%",
                "share",
                frame["no_job_yet"].astype(object),
            )
            rows += self.rows(
                frame,
                wave,
                "Kept a job held before the training",
                "%",
                "share",
                frame["kept_job"].astype(object),
            )
        return rows

    def job_match_table(self) -> list[dict]:
        """Relevance of the job to the training and use of the skills (employed)."""
        rows: list[dict] = []
        for wave in self.followup_waves:
            frame = self._followup(wave)
            relevance = frame["fu_job_relevance"]
            known = relevance.notna()
            rows += self.rows(
                frame,
                wave,
                "Job in the same or a related field",
                "% of employed",
                "share",
                relevance.isin(["same_field", "related_field"]).where(known),
            )
            for code in self._choices("fu_job_relevance"):
                label = f"Job relevance: {self._label('fu_job_relevance', code)}"
                rows += self.rows(
                    frame, wave, label, "% of employed", "share", (relevance == code).where(known)
                )
            skills = frame["fu_skills_use"]
            for code in self._choices("fu_skills_use"):
                label = f"Uses skills learnt: {self._label('fu_skills_use', code)}"
                rows += self.rows(
                    frame,
                    wave,
                    label,
                    "% of employed",
                    "share",
                    (skills == code).where(skills.notna()),
                )
        return rows

    def formality_table(self) -> list[dict]:
        """Formal employment (ILO): all employed (family workers informal), employees, the
        self-employed."""
        rows: list[dict] = []
        for wave in self.followup_waves:
            frame = self._followup(wave)
            formal = (frame["formality"] == "formal").where(frame["formality"].notna())
            status = frame["fu_status_in_employment"]
            rows += self.rows(
                frame,
                wave,
                "Formal (all employed, family workers informal)",
                "% of employed",
                "share",
                formal,
            )
            rows += self.rows(
                frame,
                wave,
                "Formal employees (social security or paid leave)",
                "% of employees",
                "share",
                formal,
                eligible=status == "employee",
            )
            rows += self.rows(
                frame,
                wave,
                "Registered businesses (self-employed)",
                "% of self-employed",
                "share",
                formal,
                eligible=status.isin(SELF_EMPLOYED),
            )
        return rows

    def earnings_table(self) -> list[dict]:
        """Median monthly earnings per currency; change against an observed baseline amount
        (in the baseline's currency; no work at follow-up counts as 0)."""
        rows: list[dict] = []
        for wave in self.followup_waves:
            frame = self._followup(wave)
            currency = frame["fu_earnings_currency"].astype(object)
            for code in sorted({str(c) for c in currency.dropna().unique()}):
                rows += self.rows(
                    frame,
                    wave,
                    f"Median monthly earnings ({code})",
                    code,
                    "median",
                    frame["fu_earnings"],
                    eligible=currency == code,
                )
                rows += self.rows(
                    frame,
                    wave,
                    f"Amounts converted to monthly from another pay period ({code})",
                    "% of amounts",
                    "share",
                    converted_from_other_period(
                        frame["fu_earnings"], frame.get("fu_earnings_period")
                    ),
                    eligible=currency == code,
                )
            amount = frame["fu_earnings"].notna()
            rows += self.rows(
                frame,
                wave,
                "Earnings given without a currency (not used)",
                "% of amounts",
                "share",
                currency.isna().where(amount),
                breakdowns=(),
            )
            base_currency = frame["bl_earnings_currency"].astype(object)
            change = frame["earnings_change"]
            for code in sorted({str(c) for c in base_currency[change.notna()].unique()}):
                mine = base_currency == code
                rows += self.rows(
                    frame,
                    wave,
                    f"Median change vs baseline earnings ({code})",
                    code,
                    "median",
                    change,
                    eligible=mine,
                )
                rows += self.rows(
                    frame,
                    wave,
                    f"Earns more than before training ({code})",
                    "% with baseline earnings",
                    "share",
                    frame["earns_more"].astype(object),
                    eligible=mine,
                )
        return rows

    def further_study_table(self) -> list[dict]:
        """Share currently in education or training."""
        rows: list[dict] = []
        for wave in self.followup_waves:
            frame = self._followup(wave)
            study = frame["fu_further_study"]
            rows += self.rows(
                frame,
                wave,
                "In education or training",
                "%",
                "share",
                (study == "yes").where(study.notna()),
            )
        return rows

    def expectations_table(self) -> list[dict]:
        """For each baseline expectation: met yes/partly/no, and an objective check."""
        rows: list[dict] = []
        for wave in self.followup_waves:
            frame = self._followup(wave)
            met = frame["fu_expectation_met"]
            checks = self._objective_checks(frame)
            for expectation in self._choices("bl_expectation_main"):
                mine = frame["expectation"] == expectation
                group = ("expectation", expectation)
                for answer, label in (("yes", "yes"), ("partly", "partly"), ("no", "no")):
                    rows += self.rows(
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
                    rows += self.rows(
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

    def _objective_checks(self, frame: pd.DataFrame) -> dict[str, tuple[str, pd.Series]]:
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

    def satisfaction_table(self) -> list[dict]:
        """Mean rating and % rating 4-5 (exit ratings; hindsight rating per follow-up)."""
        rows: list[dict] = []
        items = [(self.exit, "exit", "ex_satisfaction"), (self.exit, "exit", "ex_usefulness")]
        items += [(self._followup(w), w, "fu_satisfaction_hindsight") for w in self.followup_waves]
        for frame, wave, code in items:
            rating = pd.to_numeric(frame[code], errors="coerce")
            label = self._label_question(code)
            rows += self.rows(frame, wave, f"{label}: mean", "1-5", "mean", rating)
            rows += self.rows(
                frame,
                wave,
                f"{label}: rated 4-5",
                "%",
                "share",
                (rating >= 4).where(rating.notna()),
            )
        return rows

    # -- questionnaire labels -------------------------------------------------------------
    def _choices(self, code: str) -> tuple[str, ...]:
        from bot.questionnaire.loader import default_questionnaire

        return default_questionnaire().question(code).choice_codes

    def _label(self, code: str, choice: str) -> str:
        from bot.questionnaire.loader import default_questionnaire

        found = default_questionnaire().question(code).choice(choice)
        return found.label_in("en") if found else choice

    def _label_question(self, code: str) -> str:
        from bot.questionnaire.loader import default_questionnaire

        return default_questionnaire().question(code).label_in("en")

    def _outside_column(self, response: pd.DataFrame) -> pd.Series:
        """Responses left out for being outside their wave's fieldwork window: a count on
        each wave's ``all`` row (0 when none), empty on the group rows."""
        counts = self.ds.outside_window.get("responses", pd.Series(dtype=float))
        per_wave = response["wave"].map(counts).fillna(0).astype("Int64")
        return per_wave.where(response["breakdown"] == ALL)

    def build(self) -> dict[str, pd.DataFrame]:
        """Every table, in report order, with intervals and disclosure control applied."""
        tables: dict[str, pd.DataFrame] = {}
        for name in list(TABLE_TITLES)[1:]:
            rows = (
                MORE_TABLES[name][1](self)
                if name in MORE_TABLES
                else getattr(self, f"{name}_table")()
            )
            tables[name] = add_share_intervals(pd.DataFrame(rows, columns=COLUMNS))
        response = pd.concat(
            [table.reset_index().assign(wave=wave) for wave, table in self.response.items()],
            ignore_index=True,
        )
        protected, response = protect_tables(tables, response)
        response = response[response["breakdown"] != "expectation"]
        response = response[["wave", "breakdown", "group", "due", "responded", "response_rate"]]
        response = response.assign(outside_window=self._outside_column(response))
        return {"response": response.reset_index(drop=True), **protected}


def build_tables(
    dataset: Dataset, weight_cells: tuple[str, ...] = DEFAULT_CELLS
) -> dict[str, pd.DataFrame]:
    """All indicator tables of the report for ``dataset``."""
    return IndicatorBuilder(dataset, weight_cells=weight_cells).build()
