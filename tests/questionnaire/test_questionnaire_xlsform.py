"""XLSForm round trip of the shipped questionnaire, pyxform conversion, skip-logic expressions."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from bot.questionnaire.loader import default_questionnaire
from bot.questionnaire.model import Condition, QuestionnaireError
from bot.questionnaire.xlsform.export import export_bytes
from bot.questionnaire.xlsform.read import read_workbook
from bot.questionnaire.xlsform.relevant import RelevantError, format_relevant, parse_relevant
from tests.questionnaire.helpers import edit, find_row


@pytest.fixture(scope="module")
def exported() -> bytes:
    return export_bytes(default_questionnaire())


def test_export_import_export_is_byte_for_byte_stable(exported: bytes) -> None:
    again = read_workbook(exported).questionnaire
    assert again == default_questionnaire()
    assert export_bytes(again) == exported


def test_pyxform_converts_the_export_without_errors_or_warnings(exported: bytes) -> None:
    warnings: list[str] = []
    result = convert(exported, warnings=warnings, file_type=".xlsx")
    assert warnings == []
    assert 'nodeset="/data/baseline/bl_birth_year"' in result.xform
    assert ". &gt;= 1940 and . &lt;= 2015" in result.xform
    assert "/data/followup/fu_worked_last_week  = 'no'" in result.xform
    assert "Êtes-vous une femme ou un homme ?" in result.xform


def test_sheets_carry_xlsform_columns_and_tracer_types(exported: bytes) -> None:
    row = find_row(exported, "survey", "name", "bl_earnings")
    ws = load_workbook(io.BytesIO(exported))["survey"]
    header = [c.value for c in ws[1]]
    values = dict(zip(header, [c.value for c in ws[row]], strict=True))
    assert values["type"] == "decimal"
    assert values["tracer::type"] == "money"
    assert values["relevant"] == (
        "${bl_activity_status} = 'employee' or ${bl_activity_status} = 'self_employed'"
    )
    assert values["constraint"] == ". >= 0 and . <= 100000000"
    for column in ("label::English (en)", "label::Français (fr)", "hint::Español (es)"):
        assert values[column]


def test_wording_edit_is_read_back(exported: bytes) -> None:
    row = find_row(exported, "survey", "name", "bl_sex")
    edited = edit(exported, "survey", row, {"label::Français (fr)": "Vous êtes… ?"})
    question = read_workbook(edited).questionnaire.question("bl_sex")
    assert question.text["fr"] == "Vous êtes… ?"


def test_a_bad_relevant_names_the_row(exported: bytes) -> None:
    row = find_row(exported, "survey", "name", "bl_earnings")
    edited = edit(exported, "survey", row, {"relevant": "${bl_activity_status} = "})
    with pytest.raises(QuestionnaireError, match=f"sheet 'survey' row {row}: relevant"):
        read_workbook(edited)


def test_a_loader_fault_names_the_row(exported: bytes) -> None:
    row = find_row(exported, "survey", "name", "bl_birth_year")
    edited = edit(exported, "survey", row, {"constraint": ". >= 2015 and . <= 1940"})
    with pytest.raises(QuestionnaireError, match=f"sheet 'survey' row {row} \\(bl_birth_year\\)"):
        read_workbook(edited)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${a} = 'x'", Condition(code="a", in_=("x",))),
        ("selected(${a}, 'x')", Condition(code="a", in_=("x",))),
        ("${a} = 'x' or ${a} = 'y'", Condition(code="a", in_=("x", "y"))),
        ("${a} != 'x' and ${a} != 'y'", Condition(code="a", not_in=("x", "y"))),
        ("${n} >= 18 and ${n} <= 30", Condition(code="n", gte=18, lte=30)),
        ("${n} > 17", Condition(code="n", gte=18)),
        (
            "${m}/follow_up = 'days_per_week'",
            Condition(code="m", field="follow_up", in_=("days_per_week",)),
        ),
        (
            "${a} = 'no' and (${b} = 'yes' or ${c} = 'yes')",
            Condition(
                all_=(
                    Condition(code="a", in_=("no",)),
                    Condition(
                        any_=(Condition(code="b", in_=("yes",)), Condition(code="c", in_=("yes",)))
                    ),
                )
            ),
        ),
        # "unless the trainee said otherwise": an unanswered question compares equal to ''
        (
            "${m}/follow_up = '' or ${m}/follow_up != 'hours_per_week'",
            Condition(code="m", field="follow_up", not_in=("hours_per_week",), missing_ok=True),
        ),
        ("${a} = ''", Condition(code="a", in_=(), missing_ok=True)),
        ("${a} = '' or ${a} = 'x'", Condition(code="a", in_=("x",), missing_ok=True)),
        (
            "(${n} = '' or (${n} >= 1 and ${n} <= 5)) and ${a} = 'x'",
            Condition(
                all_=(
                    Condition(code="n", gte=1, lte=5, missing_ok=True),
                    Condition(code="a", in_=("x",)),
                )
            ),
        ),
    ],
)
def test_relevant_expressions_read_and_write(text: str, expected: Condition) -> None:
    assert parse_relevant(text) == expected
    assert parse_relevant(format_relevant(expected)) == expected


@pytest.mark.parametrize(
    "text", ["${a} =", "${a} = 'x' xor ${b} = 'y'", "${a} >= 'x'", "(${a} = 1"]
)
def test_unreadable_relevant_is_refused(text: str) -> None:
    with pytest.raises(RelevantError):
        parse_relevant(text)


def test_a_missing_ok_test_holds_when_the_question_was_not_answered() -> None:
    unless_hourly = Condition(code="m", field="follow_up", not_in=("hours",), missing_ok=True)
    assert unless_hourly.holds({})  # not answered (or skipped)
    assert unless_hourly.holds({"m": {"amount": 5}})  # answered, without that field
    assert unless_hourly.holds({"m": {"follow_up": "days"}})
    assert not unless_hourly.holds({"m": {"follow_up": "hours"}})
    strict = Condition(code="m", field="follow_up", not_in=("hours",))
    assert not strict.holds({})
