"""Issue 25 through REST in each language: a daily wage with the days worked, a weekly amount,
a range confirmed as its midpoint, and an amount typed without currency in a programme whose
country is set. The database holds the typed amount, period, currency and monthly equivalent,
and the report's data uses the monthly amount."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select, update

from analytics.dataset import load_dataset
from bot.storage.db import session_scope
from bot.storage.models import Answer, Programme
from tests.conftest import texts
from tests.journeys import EMPLOYEE, LANGUAGE_REPLY, YES, wave_script

pytestmark = pytest.mark.e2e

WAGE_EARNER = {**EMPLOYEE, "bl_activity_status": "employee", "bl_earnings": None}
W = 52 / 12
# language → country of the programme, then for trainee A: daily wage, days, weekly amount
# (no currency typed), days; for trainee B: a range, and an amount without currency.
CASES = {
    "en": (
        "KE",
        "KES",
        "1,200 shillings a day",
        "5",
        "20000 a week",
        "6",
        "between 30000 and 40000 shillings",
        "45000",
    ),
    "fr": (
        "SN",
        "XOF",
        "3 000 francs par jour",
        "6",
        "25 000 par semaine",
        "5",
        "entre 90 000 et 140 000 FCFA",
        "80 000",
    ),
    "es": (
        "CO",
        "COP",
        "50 mil pesos diarios",
        "6",
        "300 mil a la semana",
        "5",
        "entre 1 y 1,5 millones de pesos",
        "900.000",
    ),
}
DAYS_NOTED = {"en": "{} days a week", "fr": "{} jours par semaine", "es": "{} días a la semana"}


@pytest.fixture
def demo_country(stack):
    """Set the demo programme's country for one test, and clear it after."""

    def set_country(country: str | None) -> None:
        with session_scope(stack.database_url) as session:
            session.execute(
                update(Programme).where(Programme.code == "demo").values(country=country)
            )

    yield set_country
    set_country(None)


def answer_baseline(stack, sender: str, language: str, money: dict[str, list[str]]) -> list[str]:
    """Register and answer the baseline as a wage earner; ``money`` gives the messages sent for
    each money question (the amount, then yes or the days worked). Returns every bot text."""
    said = [
        texts(stack.say(sender, text))
        for text in (
            {"en": "hello", "fr": "bonjour", "es": "hola"}[language],
            YES[language],
            LANGUAGE_REPLY[language],
            '/inform{"choice":"demo"}',
        )
    ]
    for code, turn in wave_script("baseline", language, WAGE_EARNER):
        for text in money.get(code, [turn.text]):
            said.append(texts(stack.say(sender, text)))
    return [line for lines in said for line in lines]


def current(stack, stack_store, sender: str) -> dict[str, Answer]:
    trainee = stack_store.find_trainee(sender)
    with session_scope(stack.database_url) as session:
        rows = (
            session.execute(
                select(Answer).where(Answer.trainee_id == trainee.id, Answer.is_current.is_(True))
            )
            .scalars()
            .all()
        )
        for row in rows:
            session.expunge(row)
    return {row.question_code: row for row in rows}


def assert_money(row: Answer, amount: float, period: str, currency: str, monthly: float) -> None:
    assert (row.value_json["amount"], row.value_json["period"]) == (amount, period)
    assert (row.value_text, row.value_period) == (currency, period)
    assert row.value_json["monthly"] == pytest.approx(monthly, abs=0.01)
    assert row.value_number == pytest.approx(monthly, abs=0.01)


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_earnings_in_the_period_people_are_paid(stack, stack_store, demo_country, language):
    country, currency, daily, days, weekly, days_weekly, ranged, bare = CASES[language]
    demo_country(country)
    yes = YES[language]

    first = f"money-a-{uuid.uuid4().hex[:12]}"
    said = answer_baseline(
        stack,
        first,
        language,
        {
            "bl_earnings": [daily, days],
            "bl_expected_earnings": [weekly, days_weekly],
        },
    )
    assert any(DAYS_NOTED[language].format(days) in line for line in said), said
    rows = current(stack, stack_store, first)
    day_amount = rows["bl_earnings"].value_json["amount"]
    assert_money(rows["bl_earnings"], day_amount, "day", currency, day_amount * int(days) * W)
    assert rows["bl_earnings_days"].value_json == int(days)
    week_amount = rows["bl_expected_earnings"].value_json["amount"]
    assert_money(rows["bl_expected_earnings"], week_amount, "week", currency, week_amount * W)
    assert rows["bl_expected_earnings_days"].value_json == int(days_weekly)

    second = f"money-b-{uuid.uuid4().hex[:12]}"
    said = answer_baseline(
        stack,
        second,
        language,
        {
            "bl_earnings": [ranged, yes],
            "bl_expected_earnings": [bare],
        },
    )
    rows = current(stack, stack_store, second)
    low, high = rows["bl_earnings"].value_json["range"]
    assert_money(rows["bl_earnings"], (low + high) / 2, "month", currency, (low + high) / 2)
    assert rows["bl_expected_earnings"].value_text == currency  # from the programme's country
    assert "bl_earnings_days" not in rows
    assert any(currency in line for line in said)

    people = load_dataset(stack.database_url, "demo", as_of=date.today()).people
    report_amount = people.loc[stack_store.find_trainee(first).id, "bl_earnings"]
    assert report_amount == pytest.approx(day_amount * int(days) * W, abs=0.01)
