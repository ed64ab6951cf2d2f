"""A programme module imported from XLSForm is asked over REST (no retraining) and reported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from analytics.report import build_report
from bot.cli.main import cli
from bot.i18n import catalog
from bot.questionnaire.loader import default_questionnaire
from bot.storage.db import session_scope
from bot.storage.migrate import upgrade_database
from bot.storage.models import Answer
from tests.conftest import texts
from tests.e2e.test_journey_rest import register
from tests.journeys import wave_script
from tests.questionnaire.helpers import exported_variables, module_workbook
from tests.stack import running_stack

pytestmark = pytest.mark.e2e


def test_a_module_is_asked_over_rest_and_found_in_report_and_codebook(
    tmp_path: Path, model_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modules = tmp_path / "modules"
    url = f"sqlite:///{tmp_path / 'tracer.db'}"
    upgrade_database(url)
    monkeypatch.setenv("TRACER_MODULES_DIR", str(modules))
    default_questionnaire.cache_clear()
    (tmp_path / "demo.xlsx").write_bytes(module_workbook())
    imported = CliRunner().invoke(
        cli, ["--database-url", url, "questionnaire", "import", str(tmp_path / "demo.xlsx")]
    )
    assert imported.exit_code == 0, imported.output
    sender = "module-rest-1"
    (tmp_path / "stack").mkdir()
    with running_stack(
        tmp_path / "stack",
        model_path,
        database_url=url,
        extra_env={"TRACER_MODULES_DIR": str(modules)},
    ) as stack:
        register(stack, sender, "fr")
        replies: list[dict] = []
        for _code, turn in wave_script("baseline", "fr"):
            replies = stack.say(sender, turn.text)
        assert "Comment arrosez-vous vos champs ?" in " ".join(texts(replies))
        replies = stack.say(sender, "Goutte-à-goutte")  # a module choice label, typed
        assert "Combien de parcelles arrosez-vous ainsi ?" in " ".join(texts(replies))
        stack.say(sender, "3")
        replies = stack.say(sender, "oui")
        assert catalog()["wave_done_baseline"]["fr"] in texts(replies)
    with session_scope(url) as session:
        rows = dict(
            session.execute(
                select(Answer.question_code, Answer.value_json).where(
                    Answer.question_code.like("demo_%"), Answer.is_current.is_(True)
                )
            ).all()
        )
    assert rows == {"demo_irrigation": "drip", "demo_plots": 3, "demo_coop": "yes"}
    report = build_report(url, "demo", as_of=date.today(), grace_days=365)
    drip = report.tables["module_demo_irrigation"].set_index("indicator")
    # one respondent: the row is there, its figures hidden like any cell under 5
    assert drip.loc["How do you water your fields?: Drip irrigation", "count"] == "x"
    names = exported_variables(url, "demo", tmp_path / "release")
    assert {"demo_irrigation", "demo_plots", "demo_coop"} <= names
    default_questionnaire.cache_clear()
