"""Issue 25 through the survey engine: pay periods, days worked, ranges, currency from the
cohort's country, and what the database holds."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from bot.i18n import t
from bot.storage.db import session_scope
from bot.storage.models import Answer, Cohort
from bot.survey.amounts import format_amount
from bot.survey.turn import SurveyTurn, prompt_for_step
from tests.journeys import EMPLOYEE, LANGUAGE_REPLY, YES, wave_script
from tests.survey import helpers as survey_chat

TODAY = date(2026, 3, 1)
WAGE_EARNER = {**EMPLOYEE, "bl_activity_status": "employee", "bl_earnings": None}


def set_country(engine: SurveyTurn, country: str | None) -> None:
    with session_scope(engine.settings.database_url) as session:
        session.execute(update(Cohort).values(country=country))


@pytest.fixture
def engine(tmp_path) -> SurveyTurn:
    return survey_chat.make_engine(tmp_path, TODAY)


class Chat(survey_chat.Chat):
    """A wage earner at the baseline earnings question, in ``language``."""

    def __init__(self, engine: SurveyTurn, language: str) -> None:
        super().__init__(engine, f"money-{language}")
        self.send("hello", "greet", active=False)
        self.send(YES[language], "affirm")
        self.send(LANGUAGE_REPLY[language], "change_language")
        self.send("demo")
        for code, turn in wave_script("baseline", language, WAGE_EARNER):
            if code == "bl_earnings":
                break
            self.send(turn.text, turn.intent)
        assert self.step == "q:bl_earnings"

    def row(self, code: str = "bl_earnings") -> Answer:
        trainee = self.engine.store.find_trainee(self.sender)
        with session_scope(self.engine.settings.database_url) as session:
            row = session.execute(
                select(Answer).where(
                    Answer.trainee_id == trainee.id,
                    Answer.question_code == code,
                    Answer.is_current.is_(True),
                )
            ).scalar_one()
            session.expunge(row)
            return row


@pytest.mark.parametrize(
    ("language", "country", "text", "days", "currency", "noted"),
    [
        ("en", "KE", "1500 shillings a day", "6", "KES", "1,500 KES per day, about 6 days a week"),
        ("fr", "SN", "4500 FCFA par jour", "5", "XOF", "4 500 XOF par jour, environ 5 jours par"),
        ("es", "CO", "60 mil pesos diarios", "4", "COP", "60.000 COP al día, unos 4 días a la"),
    ],
)
def test_a_daily_wage_asks_the_days_and_stores_the_monthly_equivalent(
    engine, language, country, text, days, currency, noted
):
    set_country(engine, country)
    chat = Chat(engine, language)
    first = chat.send(text)
    assert chat.step == "q:bl_earnings_days"
    assert any(t("money_per_day", language) in m for m in first.messages)
    assert chat.row().value_number is None  # not guessed before the days are known
    second = chat.send(days)
    assert any(noted in m for m in second.messages), second.messages
    row = chat.row()
    amount = row.value_json["amount"]
    assert row.value_json["period"] == "day" and row.value_json["days_per_week"] == int(days)
    assert row.value_text == currency and row.value_period == "day"
    assert row.value_number == pytest.approx(amount * int(days) * 52 / 12, abs=0.01)
    assert chat.row("bl_earnings_days").value_json == int(days)


@pytest.mark.parametrize(
    ("language", "text", "monthly"),
    [
        ("en", "3000 a week", 13000),
        ("fr", "3000 par semaine", 13000),
        ("es", "3000 a la semana", 13000),
    ],
)
def test_a_weekly_amount_is_converted_and_the_days_are_still_asked(engine, language, text, monthly):
    set_country(engine, "KE")
    chat = Chat(engine, language)
    chat.send(text)
    assert chat.row().value_number == pytest.approx(monthly)
    assert chat.step == "q:bl_earnings_days"
    chat.send("5")
    assert chat.row().value_json["days_per_week"] == 5
    assert chat.row().value_number == pytest.approx(monthly)


@pytest.mark.parametrize(
    ("language", "text", "yes"),
    [
        ("en", "between 20000 and 30000 shillings", "yes"),
        ("fr", "entre 20 000 et 30 000 shillings", "oui"),
        ("es", "entre 20 mil y 30 mil chelines", "sí"),
    ],
)
def test_a_range_is_confirmed_as_its_midpoint_before_it_is_stored(engine, language, text, yes):
    set_country(engine, "KE")
    chat = Chat(engine, language)
    chat.send(text)
    assert chat.step.startswith("confirm:bl_earnings:")
    prompt = prompt_for_step(engine, chat.sender, chat.step, language).text
    assert format_amount(25000, language) in prompt and "KES" in prompt
    assert (
        engine.store.current_answers(engine.store.find_trainee(chat.sender).id)
        .get("baseline", {})
        .get("bl_earnings")
        is None
    )  # nothing stored before the trainee says yes
    chat.send(yes, "affirm")
    row = chat.row()
    assert (row.value_json["amount"], row.value_text, row.value_number) == (25000, "KES", 25000)
    assert row.value_json["range"] == [20000, 30000]


@pytest.mark.parametrize(
    ("language", "country", "text", "currency"),
    [("en", "KE", "45000", "KES"), ("fr", "CM", "45 000", "XAF"), ("es", "CO", "900.000", "COP")],
)
def test_an_amount_without_currency_takes_the_cohort_country_currency_and_says_so(
    engine, language, country, text, currency
):
    set_country(engine, country)
    chat = Chat(engine, language)
    result = chat.send(text)
    assert chat.row().value_text == currency
    assert any(currency in m for m in result.messages)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_without_a_country_the_currency_is_asked_and_nothing_is_stored(engine, language):
    set_country(engine, None)
    chat = Chat(engine, language)
    result = chat.send("45000")
    assert chat.step == "q:bl_earnings"
    amount = format_amount(45000, language)
    assert result.messages == [t("hint_no_currency", language, amount=amount)]
    trainee = engine.store.find_trainee(chat.sender)
    assert "bl_earnings" not in engine.store.current_answers(trainee.id)["baseline"]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "sometimes 300, sometimes 700 dollars"),
        ("fr", "parfois 20 000, parfois 50 000"),
        ("es", "a veces 100 mil, a veces 300 mil"),
    ],
)
def test_an_irregular_income_is_asked_for_a_usual_month(engine, language, text):
    set_country(engine, "SN")
    chat = Chat(engine, language)
    result = chat.send(text)
    assert chat.step == "q:bl_earnings"
    assert result.messages == [t("hint_irregular_amount", language)]


@pytest.mark.parametrize(
    ("language", "text", "hours"),
    [
        ("en", "$4 an hour", "40"),
        ("fr", "4 dollars de l'heure", "40"),
        ("es", "4 dólares por hora", "40"),
    ],
)
def test_an_hourly_rate_asks_the_hours_worked_in_a_usual_week(engine, language, text, hours):
    set_country(engine, "SN")
    chat = Chat(engine, language)
    chat.send(text)
    assert chat.step == "q:bl_earnings_hours"
    chat.send(hours)
    row = chat.row()
    assert (row.value_period, row.value_text) == ("hour", "USD")
    assert row.value_number == pytest.approx(4 * 40 * 52 / 12, abs=0.01)
