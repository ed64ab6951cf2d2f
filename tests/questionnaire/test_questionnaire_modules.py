"""A programme module (3 questions, skip logic, en/fr/es) imported from XLSForm and asked."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from analytics.render.html import render_html
from analytics.report import build_report
from bot.cli.main import cli
from bot.questionnaire.loader import core_questionnaire, default_questionnaire
from bot.questionnaire.modules import installed_modules, with_modules
from bot.storage.db import session_scope
from bot.storage.models import Answer
from bot.survey.turn import SurveyTurn
from tests.journeys import wave_script
from tests.questionnaire.helpers import exported_variables, module_workbook
from tests.survey.helpers import Chat, make_engine


@pytest.fixture
def modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "modules"
    monkeypatch.setenv("TRACER_MODULES_DIR", str(folder))
    default_questionnaire.cache_clear()
    yield folder
    default_questionnaire.cache_clear()


def _import(tmp_path: Path, url: str, data: bytes):
    path = tmp_path / "module.xlsx"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["--database-url", url, "questionnaire", "import", str(path)])
    assert "Traceback" not in result.output
    return result


def _engine(tmp_path: Path, modules: Path) -> SurveyTurn:
    engine = make_engine(tmp_path, date(2026, 3, 1))
    result = _import(tmp_path, engine.settings.database_url, module_workbook())
    assert result.exit_code == 0, result.output
    assert "stored demo version 1 (3 questions)" in result.output
    assert (modules / "demo.xlsx").exists()
    default_questionnaire.cache_clear()  # a new process would read the installed module
    engine.questionnaire = default_questionnaire()
    assert [q.code for q in engine.questionnaire.for_wave("baseline")][-3:] == [
        "demo_irrigation",
        "demo_plots",
        "demo_coop",
    ]
    return engine


def _through_core_baseline(engine: SurveyTurn, language: str, sender: str = "chat-1") -> Chat:
    chat = Chat(engine, sender)
    chat.send("hello", "greet", active=False)
    chat.send("yes", "affirm")
    chat.send({"en": "English", "fr": "Français", "es": "Español"}[language], "change_language")
    assert chat.send("demo").step == "q:bl_sex"
    for code, turn in wave_script("baseline", language):
        assert chat.step is not None and code.removesuffix("_isco") in chat.step
        chat.send(turn.text, turn.intent)
    return chat


def test_module_questions_follow_the_core_baseline_with_skip_logic(tmp_path, modules):
    engine = _engine(tmp_path, modules)
    chat = _through_core_baseline(engine, "fr")
    assert chat.step == "q:demo_irrigation"
    chat.send("goutte-à-goutte")  # the French label, typed
    assert chat.step == "q:demo_plots"
    chat.send("3")
    assert chat.step == "q:demo_coop"
    result = chat.send("oui", "affirm")
    assert result.outcome == "completed_baseline"
    trainee = engine.store.find_trainee(chat.sender)
    stored = engine.store.current_answers(trainee.id)["baseline"]
    assert {c: stored[c].value for c in ("demo_irrigation", "demo_plots", "demo_coop")} == {
        "demo_irrigation": "drip",
        "demo_plots": 3,
        "demo_coop": "yes",
    }
    with session_scope(engine.settings.database_url) as session:
        versions = dict(
            session.execute(select(Answer.question_code, Answer.questionnaire_version)).all()
        )
    assert versions["demo_plots"] == "demo:1" and versions["bl_sex"] == "2026.1"


def test_skip_logic_of_a_module_question_skips_it(tmp_path, modules):
    engine = _engine(tmp_path, modules)
    chat = _through_core_baseline(engine, "es")
    chat.send("solo lluvia")
    assert chat.step == "q:demo_coop"


def test_a_module_is_not_asked_to_another_programme(tmp_path, modules):
    engine = _engine(tmp_path, modules)
    engine.questionnaire = with_modules(
        core_questionnaire(), [("other", q) for _, q in installed_modules(modules)]
    )
    chat = _through_core_baseline(engine, "en")
    assert chat.step is None or not str(chat.step).startswith("q:demo")


def _module_answers(engine: SurveyTurn, sender: str, irrigation: str, plots: str) -> None:
    chat = _through_core_baseline(engine, "en", sender)
    for text, intent in ((irrigation, "inform"), (plots, "inform"), ("no", "deny")):
        chat.send(text, intent)


def test_module_questions_appear_in_the_report_and_the_codebook(tmp_path, modules):
    engine = _engine(tmp_path, modules)
    url = engine.settings.database_url
    _module_answers(engine, "chat-1", "drip irrigation", "4")
    report = build_report(url, "demo", as_of=date(2026, 3, 1), grace_days=365)
    drip = report.tables["module_demo_irrigation"].set_index("indicator")
    # one answer: the same small-cell rule as every other table of the report
    assert set(drip[["n", "count", "value", "ci_low"]].to_numpy().ravel()) == {"x"}
    for sender, irrigation, plots in (
        ("chat-2", "Sprinklers", "2"),
        ("chat-3", "drip irrigation", "6"),
        ("chat-4", "1", "3"),  # the first option, by number
        ("chat-5", "Sprinklers", "five"),
    ):
        _module_answers(engine, sender, irrigation, plots)
    report = build_report(url, "demo", as_of=date(2026, 3, 1), grace_days=365)
    drip = (
        report.tables["module_demo_irrigation"]
        .set_index("indicator")
        .loc["How do you water your fields?: Drip irrigation"]
    )
    assert (drip["n"], drip["count"], drip["value"]) == (5, 3, 60.0)
    assert 23 < drip["ci_low"] < 24 and 88 < drip["ci_high"] < 89  # Wilson 95 %: 23.1–88.2
    plots = report.tables["module_demo_plots"].iloc[0]
    assert (plots["n"], plots["value"]) == (5, 4.0)  # 4, 2, 6, 3, 5
    assert round(plots["ci_low"], 2) == 2.04 and round(plots["ci_high"], 2) == 5.96  # t, 4 df
    assert report.titles["module_demo_coop"] == (
        "Programme module: Are you a member of a cooperative?"
    )
    html = render_html(report)
    assert "Programme module: How do you water your fields?" in html
    names = exported_variables(url, "demo", tmp_path / "release")
    assert {"demo_irrigation", "demo_plots", "demo_coop"} <= names


def test_nlu_choice_labels_follow_the_installed_module(tmp_path, modules):
    from bot.questionnaire.nlu_labels import render_labels_file

    assert "Goutte-à-goutte" not in render_labels_file()
    _engine(tmp_path, modules)
    assert "Goutte-à-goutte" in render_labels_file()
    assert "Riego por goteo" in render_labels_file()
