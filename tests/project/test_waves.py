"""The wave calendar lives in one module: ids, order, due dates and fieldwork windows."""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path

import pytest

from bot.questionnaire import waves

ROOT = Path(__file__).resolve().parents[2]
CALENDAR = ROOT / "bot" / "questionnaire" / "waves.py"
WAVE_ID = re.compile(r"^(baseline|exit|followup|followup_\d*)$")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _wave_literals(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    return [
        f"{path.relative_to(root)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and WAVE_ID.match(node.value)
    ]


def _code_files() -> list[Path]:
    return [
        p for area in ("bot", "actions", "analytics") for p in sorted((ROOT / area).rglob("*.py"))
    ]


def test_no_wave_id_is_spelled_outside_the_calendar():
    found = [hit for path in _code_files() if path != CALENDAR for hit in _wave_literals(path)]
    assert found == [], "ask bot.questionnaire.waves instead of spelling wave ids:\n" + "\n".join(
        found
    )


def test_the_literal_check_sees_a_wave_id(tmp_path):
    sample = tmp_path / "probe.py"
    sample.write_text('"""Doc: baseline."""\nWAVE = "followup_6"\n', encoding="utf-8")
    assert _wave_literals(sample, tmp_path) == ["probe.py:2: 'followup_6'"]


def test_waves_come_in_survey_order():
    assert waves.all_waves((12, 6)) == ["baseline", "exit", "followup_6", "followup_12"]
    shuffled = ["followup_12", "exit", "later", "followup_6", "baseline"]
    assert sorted(shuffled, key=waves.wave_order) == [
        "baseline",
        "exit",
        "followup_6",
        "followup_12",
        "later",
    ]


@pytest.mark.parametrize(
    ("wave", "kind", "months"),
    [("baseline", "baseline", None), ("exit", "exit", 0), ("followup_12", "followup", 12)],
)
def test_a_wave_id_names_its_kind_and_month(wave, kind, months):
    assert waves.wave_kind(wave) == kind
    assert waves.wave_month(wave) == months


def test_due_dates_follow_the_end_of_training():
    end = date(2026, 8, 31)
    assert waves.wave_dates(end, (6, 12)) == [
        ("exit", end),
        ("followup_6", date(2027, 2, 28)),
        ("followup_12", date(2027, 8, 31)),
    ]
    assert waves.due_waves(end, date(2027, 3, 1), (6, 12)) == ["exit", "followup_6"]
    assert waves.current_wave(end, date(2026, 8, 30), (6, 12)) is None


def test_fieldwork_window_of_a_followup_is_window_months_long():
    window = waves.fieldwork_window("followup_6", date(2026, 1, 5), date(2026, 6, 30))
    assert (window.opens, window.last_day) == (date(2026, 12, 30), date(2027, 3, 29))
    assert window.contains(date(2027, 1, 15)) and not window.contains(date(2027, 4, 1))
