"""Turn source data into the anonymised wide table: pseudonyms, generalisation, top-coding.

Direct identifiers are never read (see :mod:`analytics.anonymise.source`); database ids and
pseudo_ids are replaced by a keyed hash; free text is dropped unless asked for.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.anonymise.config import Rules
from analytics.anonymise.generalise import (
    age_bands,
    band_order,
    merge_rare,
    quantile_bands,
    to_period,
    top_code,
)
from analytics.anonymise.source import NOT_ASKED, PRESENT, SUPPRESSED, SourceData
from analytics.anonymise.table import Table, Variable, labels, table_from_columns
from bot.answers.pay_period import CONVERSION_RULE, PERIODS
from bot.questionnaire.model import Question, Questionnaire
from bot.questionnaire.waves import BASELINE
from bot.security.crypto import keyed_hash

PSEUDONYM_LENGTH = 16
PROFILE_QUESTIONS = {"bl_sex": "sex", "bl_birth_year": "age_band"}
OTHER = labels(
    "Other (merged rare values)",
    "Autre (valeurs rares regroupées)",
    "Otro (valores raros agrupados)",
)


def pseudonym(secret: str, pseudo_id: str) -> str:
    """The export pseudonym of a trainee: HMAC-SHA256(secret, pseudo_id), 16 hex characters."""
    return keyed_hash(secret, pseudo_id, purpose="export")[:PSEUDONYM_LENGTH]


def _reason_of(values: pd.Series, missing: int = NOT_ASKED) -> pd.Series:
    return pd.Series(PRESENT, index=values.index, dtype="int8").where(values.notna(), missing)


def _period_label(grain: str) -> str:
    return {"month": "month (YYYY-MM)", "quarter": "quarter (YYYYQn)", "year": "year"}[grain]


def _categories(values: pd.Series, ordered: list[str] | None = None) -> list[tuple[str, dict]]:
    seen = sorted(str(v) for v in values.dropna().unique())
    codes = [c for c in ordered if c in seen] if ordered else seen
    return [(code, labels(code)) for code in codes]


class _Builder:
    def __init__(self, source: SourceData, rules: Rules, questionnaire: Questionnaire) -> None:
        self.source, self.rules, self.questionnaire = source, rules, questionnaire
        self.columns: list[tuple[Variable, pd.Series, pd.Series]] = []
        self.notes: list[str] = []

    def add(self, variable: Variable, values: pd.Series, reason: pd.Series) -> None:
        self.columns.append((variable, values, reason))

    def trainee_columns(self, programme: str, secret: str, today: date) -> None:
        """The per-trainee columns, in release order: ids, cohort, region, sex, age, responses."""
        self._id_columns(programme, secret)
        self._cohort_columns()
        self._region_column()
        self._sex_column()
        self._age_column(today)
        self._response_columns()

    def _id_columns(self, programme: str, secret: str) -> None:
        trainees = self.source.trainees
        ids = trainees["pseudo_id"].map(lambda value: pseudonym(secret, value))
        self.add(
            Variable(
                "pid",
                "string",
                labels(
                    "Pseudonymous trainee id", "Identifiant pseudonyme", "Identificador seudónimo"
                ),
                recoding=["keyed hash (HMAC-SHA256) of the internal id, 16 hex characters"],
            ),
            ids,
            _reason_of(ids),
        )
        name = str(trainees["programme_name"].iloc[0]) if len(trainees) else programme
        prog = pd.Series(programme, index=trainees.index, dtype=object)
        self.add(
            Variable(
                "programme",
                "categorical",
                labels("Programme", "Programme", "Programa"),
                categories=[(programme, labels(name))],
            ),
            prog,
            _reason_of(prog),
        )

    def _cohort_columns(self) -> None:
        trainees, rules = self.source.trainees, self.rules
        for column, text in (
            ("cohort_start", ("Cohort start", "Début de la cohorte", "Inicio de la cohorte")),
            ("cohort_end", ("Cohort end", "Fin de la cohorte", "Fin de la cohorte")),
        ):
            period = to_period(trainees[column], rules.cohort_date_grain)
            self.add(
                Variable(
                    column,
                    "categorical",
                    labels(*text),
                    categories=_categories(period),
                    recoding=[f"date generalised to {_period_label(rules.cohort_date_grain)}"],
                    ordered=True,
                ),
                period,
                _reason_of(period),
            )

    def _region_column(self) -> None:
        trainees, rules = self.source.trainees, self.rules
        region = trainees["region"].astype(object)
        region, rare = merge_rare(region, rules.k, rules.rare_region_label)
        variable = Variable(
            "region",
            "categorical",
            labels("Region", "Région", "Región"),
            categories=_categories(region),
        )
        if rare:
            variable.recoding.append(
                f"{len(rare)} region(s) with fewer than {rules.k} trainees merged into "
                f"'{rules.rare_region_label}'"
            )
        self.add(variable, region, _reason_of(region))

    def _sex_column(self) -> None:
        sex_q = self.questionnaire.question("bl_sex")
        sex = self.source.profile["sex"].astype(object)
        sex_var = Variable(
            "sex",
            "categorical",
            dict(sex_q.label),
            source="bl_sex",
            wave=BASELINE,
            question_type="choice",
            categories=[(c.code, dict(c.label)) for c in sex_q.choices],
            recoding=["baseline answer, else the sex recorded at registration"],
        )
        self._merge_choices(sex_var, sex)
        self.add(sex_var, self._last_values, _reason_of(self._last_values))

    def _age_column(self, today: date) -> None:
        profile, rules = self.source.profile, self.rules
        bands = age_bands(
            profile["birth_year"], today.year, rules.age_band_width, rules.age_floor, rules.age_top
        )
        order = band_order(rules.age_band_width, rules.age_floor, rules.age_top)
        self.add(
            Variable(
                "age_band",
                "categorical",
                labels(
                    f"Age band at {today.isoformat()}",
                    f"Tranche d'âge au {today.isoformat()}",
                    f"Tramo de edad al {today.isoformat()}",
                ),
                source="bl_birth_year",
                wave=BASELINE,
                question_type="integer",
                categories=_categories(bands, order),
                ordered=True,
                recoding=[
                    f"year of birth generalised to {rules.age_band_width}-year age bands "
                    f"(<{rules.age_floor} and {rules.age_top}+ open-ended)"
                ],
            ),
            bands,
            _reason_of(bands),
        )

    def _response_columns(self) -> None:
        for wave in self.source.waves:
            flag = self.source.responded[wave].map({True: "yes", False: "no"})
            self.add(
                Variable(
                    f"responded_{wave}",
                    "categorical",
                    labels(
                        f"Responded to wave {wave}",
                        f"A répondu à la vague {wave}",
                        f"Respondió a la ola {wave}",
                    ),
                    wave=wave,
                    categories=[
                        ("no", labels("No", "Non", "No")),
                        ("yes", labels("Yes", "Oui", "Sí")),
                    ],
                ),
                flag,
                _reason_of(flag),
            )

    def _merge_choices(self, variable: Variable, values: pd.Series) -> None:
        if self.rules.merge_rare_choices:
            values, rare = merge_rare(values, self.rules.k, "other")
            if rare:
                variable.add_category("other", OTHER)
                variable.recoding.append(
                    f"categories with fewer than {self.rules.k} records merged into 'other': "
                    + ", ".join(rare)
                )
        self._last_values = values

    def question_columns(self) -> None:
        rules = self.rules
        for name, (question, wave) in self.source.columns.items():
            if question.code in PROFILE_QUESTIONS or question.code in rules.dropped:
                continue
            if question.type == "text" and not rules.include_free_text:
                continue
            values = self.source.values[name]
            reason = self.source.reasons[name].copy()
            reason[(reason == PRESENT) & values.isna()] = NOT_ASKED
            self._question_column(name, question, wave, values, reason)

    def _question_column(
        self, name: str, question: Question, wave: str, values: pd.Series, reason: pd.Series
    ) -> None:
        rules = self.rules
        variable = Variable(
            name,
            "numeric",
            dict(question.label),
            source=question.code,
            wave=wave,
            unit=question.unit,
            question_type=question.type,
            per_wave=True,
        )
        if question.type == "choice":
            variable.kind = "categorical"
            variable.categories = [(c.code, dict(c.label)) for c in question.choices]
            if question.code in rules.choice_quasi_identifiers:
                self._merge_choices(variable, values)
                values = self._last_values
        elif question.type == "yes_no":
            variable.kind = "categorical"
            variable.categories = [
                ("no", labels("No", "Non", "No")),
                ("yes", labels("Yes", "Oui", "Sí")),
            ]
        elif question.type == "month":
            variable.kind = "categorical"
            grain = rules.job_start_grain if question.quasi_identifier else "month"
            values = to_period(values, grain)
            variable.categories = _categories(values)
            variable.ordered = True
            variable.recoding.append(f"month generalised to {_period_label(grain)}")
        elif question.type == "text":
            variable.kind = "string"
            variable.recoding.append("free text, NOT reviewed: check before any release")
        elif question.type == "money":
            values, reason, extras = self._money(variable, name, values, reason)
            self.add(variable, values, reason)
            for extra in extras:
                self.add(*extra)
            return
        self.add(variable, values, reason)

    def _money(
        self, variable: Variable, name: str, amounts: pd.Series, reason: pd.Series
    ) -> tuple[pd.Series, pd.Series, list]:
        rules = self.rules
        currency = self.source.values[f"{name}_currency"].astype(object)
        currency = currency.where(amounts.notna())
        currency = currency.where(currency.notna() | amounts.isna(), "unknown")
        currency, rare = merge_rare(currency, rules.k, "other")
        amounts = amounts.where(currency != "other")
        rare_rows = currency == "other"
        reason = reason.where(~rare_rows, SUPPRESSED)
        capped, caps = top_code(amounts, currency, rules.top_code_percentile)
        variable.recoding.append(
            f"top-coded at the {rules.top_code_percentile:g}th percentile per currency: "
            + (", ".join(f"{cur} {cap:.0f}" for cur, cap in sorted(caps.items())) or "none")
        )
        if rare:
            variable.recoding.append(
                f"amounts in currencies used by fewer than {rules.k} records suppressed "
                f"({int(rare_rows.sum())} cells); currency set to 'other'"
            )
        cur_var = Variable(
            f"{name}_cur",
            "categorical",
            labels(f"Currency of {name}", f"Monnaie de {name}", f"Moneda de {name}"),
            source=variable.source,
            wave=variable.wave,
            question_type="money",
            categories=_categories(currency),
            per_wave=True,
        )
        extras = [(cur_var, currency, reason.where(reason != SUPPRESSED, PRESENT))]
        extras.append(self._pay_period(variable, name, amounts, reason))
        if rules.band_earnings:
            bands = quantile_bands(capped, currency, rules.earnings_bands)
            extras.append(
                (
                    Variable(
                        f"{name}_band",
                        "categorical",
                        labels(f"{variable.label['en']} (band within currency)"),
                        source=variable.source,
                        wave=variable.wave,
                        categories=_categories(bands),
                        ordered=True,
                        per_wave=True,
                        recoding=[f"{rules.earnings_bands} equal-frequency bands within currency"],
                    ),
                    bands,
                    reason.where(bands.isna(), PRESENT),
                )
            )
        return capped, reason, extras

    def _pay_period(
        self, variable: Variable, name: str, amounts: pd.Series, reason: pd.Series
    ) -> tuple[Variable, pd.Series, pd.Series]:
        """The pay period typed (issue 25); the amount itself is the monthly equivalent."""
        period = self.source.values[f"{name}_period"].astype(object).where(amounts.notna())
        period = period.where(period.notna() | amounts.isna(), "month")  # before periods
        converted = int((period.notna() & (period != "month")).sum())
        variable.recoding.append(
            f"monthly equivalent; {converted} amounts converted from another pay period "
            f"({CONVERSION_RULE})"
        )
        period_var = Variable(
            f"{name}_per",
            "categorical",
            labels(
                f"Pay period typed for {name}",
                f"Période de paie indiquée pour {name}",
                f"Periodo de pago indicado para {name}",
            ),
            source=variable.source,
            wave=variable.wave,
            question_type="money",
            per_wave=True,
            categories=[(p, labels(p)) for p in PERIODS],
        )
        return period_var, period, reason.where(reason != SUPPRESSED, PRESENT)

    def table(self) -> Table:
        return table_from_columns(self.columns, self.source.trainees.index)


def build_table(
    source: SourceData,
    rules: Rules,
    questionnaire: Questionnaire,
    programme: str,
    secret: str,
    today: date,
) -> Table:
    """The wide table (one row per trainee) with every generalisation rule applied."""
    builder = _Builder(source, rules, questionnaire)
    builder.trainee_columns(programme, secret, today)
    builder.question_columns()
    return builder.table()
