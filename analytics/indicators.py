"""The outcome indicators of a tracer study, as long tables (one row per indicator × group).

Every row carries the wave's response figures for its group (trainees due, respondents,
response rate), the item denominator ``n``, the numerator ``count``, the unweighted ``value``
with its 95 % interval, the non-response-weighted ``value_weighted`` with its interval, the
Kish effective n and the design effect of the weights. Small cells are suppressed, with
complementary suppression (:mod:`analytics.disclosure`). Definitions: ``docs/indicators.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.cpi import CpiTable, add_real_change
from analytics.dataset import Dataset
from analytics.derive import followup_frame
from analytics.disclosure import protect_tables
from analytics.forked import map_in_two_processes
from analytics.masks import responded_to, rows_equal
from analytics.module_questions import module_tables
from analytics.report_tables import REPORT_TABLES, TABLE_COST, TABLE_TITLES
from analytics.stats import ALL, add_share_intervals, group_rows, response_rows, summarise
from analytics.weights import DEFAULT_CELLS, response_weights
from bot.questionnaire.waves import EXIT, FOLLOWUP, wave_kind

__all__ = ["BREAKDOWNS", "COLUMNS", "TABLE_TITLES", "IndicatorBuilder", "build_tables"]
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


class IndicatorBuilder:
    """Computes every table of the report from one :class:`Dataset`."""

    def __init__(
        self,
        dataset: Dataset,
        breakdowns: tuple[str, ...] = BREAKDOWNS,
        weight_cells: tuple[str, ...] = DEFAULT_CELLS,
        cpi: CpiTable | None = None,
    ) -> None:
        self.ds = dataset
        self.questionnaire = dataset.questionnaire
        self.cpi = cpi
        self.breakdowns = breakdowns
        people = dataset.people
        responses = dataset.responses
        self.responded: dict[str, np.ndarray] = {}
        self.weights: dict[str, pd.Series] = {}
        self.response: dict[str, pd.DataFrame] = {}
        for wave in dataset.waves:
            due = dataset.due[wave].to_numpy(dtype=bool)
            answered = responded_to(people.index, responses, wave)
            self.responded[wave] = answered
            self.weights[wave] = response_weights(people, due, answered, weight_cells)
            self.response[wave] = pd.DataFrame(
                response_rows(people, due, answered, breakdowns + ("expectation",))
            ).set_index(["breakdown", "group"])
        self.exit = people[self.responded.get(EXIT, np.zeros(len(people), bool))]
        self.followups = followup_frame(people, responses)
        if cpi is not None:
            self.followups["real_earnings_change"] = add_real_change(
                self.followups, cpi, dataset.days
            )
        self.followup_waves = [w for w in dataset.waves if wave_kind(w) == FOLLOWUP]
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
    def weights_for(self, frame: pd.DataFrame, wave: str) -> pd.Series:
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
            weights = self.weights_for(frame, wave)
        result = summarise(frame, kind, values, weights, breakdowns, eligible)
        if as_group is not None:
            result = [r for r in result if r["breakdown"] == ALL]
            for r in result:
                r["breakdown"], r["group"] = as_group
        return self.label_rows(result, indicator, unit, wave)

    def label_rows(self, result: list[dict], indicator: str, unit: str, wave: str) -> list[dict]:
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

    def followup(self, wave: str) -> pd.DataFrame:
        """The follow-up rows of ``wave`` (one frame per wave, so group masks are reused)."""
        if wave not in self._followup_frames:
            self._followup_frames[wave] = self.followups[rows_equal(self.followups, "wave", wave)]
        return self._followup_frames[wave]

    # -- questionnaire labels (the questionnaire the dataset was read with) ----------------
    def choices(self, code: str) -> tuple[str, ...]:
        """The choice codes of question ``code``."""
        return self.questionnaire.question(code).choice_codes

    def label(self, code: str, choice: str) -> str:
        """The English label of ``choice`` of question ``code`` (the code if unknown)."""
        found = self.questionnaire.question(code).choice(choice)
        return found.label_in("en") if found else choice

    def label_question(self, code: str) -> str:
        """The English label of question ``code``."""
        return self.questionnaire.question(code).label_in("en")

    def _outside_column(self, response: pd.DataFrame) -> pd.Series:
        """Responses left out for being outside their wave's fieldwork window: a count on
        each wave's ``all`` row (0 when none), empty on the group rows."""
        counts = self.ds.outside_window.get("responses", pd.Series(dtype=float))
        per_wave = response["wave"].map(counts).fillna(0).astype("Int64")
        return per_wave.where(response["breakdown"] == ALL)

    def compute_tables(self, names: list[str]) -> dict[str, pd.DataFrame]:
        """The report tables ``names`` (keys of ``REPORT_TABLES``), before disclosure control."""
        tables = {}
        for name in names:
            rows = REPORT_TABLES[name][1](self)
            tables[name] = add_share_intervals(pd.DataFrame(rows, columns=COLUMNS))
        return tables

    def _prepare_shared(self) -> None:
        """What tables of both processes use, computed once before they are split: each
        follow-up wave's rows, their weights and their groups (a forked process inherits
        them; computed after the fork, both processes would compute them)."""
        for wave in self.followup_waves:
            frame = self.followup(wave)
            self.weights_for(frame, wave)
            group_rows(frame, self.breakdowns)

    def build(self) -> dict[str, pd.DataFrame]:
        """Every table, in report order (programme module questions last), with intervals and
        disclosure control applied."""
        self._prepare_shared()
        tables = map_in_two_processes(self.compute_tables, list(REPORT_TABLES), TABLE_COST)
        tables.update(module_tables(self.ds, self.questionnaire))  # issue 17, same disclosure
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
    dataset: Dataset, weight_cells: tuple[str, ...] = DEFAULT_CELLS, cpi: CpiTable | None = None
) -> dict[str, pd.DataFrame]:
    """All indicator tables of the report for ``dataset`` (earnings also in base-period
    prices when a ``cpi`` table is given)."""
    return IndicatorBuilder(dataset, weight_cells=weight_cells, cpi=cpi).build()
