"""``tracer questionnaire import``: versions stored, breaking changes refused naming the row."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli.main import cli
from bot.config import load_settings
from bot.questionnaire.loader import core_questionnaire, default_questionnaire
from bot.questionnaire.xlsform.export import export_bytes
from bot.storage.db import session_scope
from bot.storage.migrate import upgrade_database
from bot.storage.models import Answer, QuestionnaireVersion
from bot.storage.repository import TracerStore
from tests.questionnaire.helpers import edit, find_row


@pytest.fixture(scope="module")
def exported() -> bytes:
    return export_bytes(default_questionnaire())


@pytest.fixture(autouse=True)
def active_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Imports install into temporary files, never into the checkout's var/."""
    active = tmp_path / "active" / "questionnaire.xlsx"
    monkeypatch.setenv("TRACER_ACTIVE_QUESTIONNAIRE", str(active))
    monkeypatch.setenv("TRACER_MODULES_DIR", str(tmp_path / "active" / "modules"))
    _clear()
    yield active
    _clear()


def _clear() -> None:
    core_questionnaire.cache_clear()
    default_questionnaire.cache_clear()


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 't.db'}"
    upgrade_database(url)
    return url


def _import(url: str, tmp_path: Path, data: bytes, *extra: str):
    path = tmp_path / "edited.xlsx"
    path.write_bytes(data)
    result = CliRunner().invoke(
        cli, ["--database-url", url, "questionnaire", "import", str(path), *extra]
    )
    assert "Traceback" not in result.output
    return result


def _versions(url: str) -> list[tuple[str, str]]:
    with session_scope(url) as session:
        rows = session.execute(select(QuestionnaireVersion.scope, QuestionnaireVersion.version))
        return [tuple(r) for r in rows]


def _new_version(data: bytes, version: str) -> bytes:
    return edit(data, "settings", 2, {"version": version})


def test_export_then_import_stores_the_core_version(db_url, tmp_path, exported):
    out = tmp_path / "tracer.xlsx"
    result = CliRunner().invoke(cli, ["questionnaire", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == exported
    first = _import(db_url, tmp_path, exported)
    assert first.exit_code == 0 and "stored core version 2026.1 (49 questions)" in first.output
    again = _import(db_url, tmp_path, exported)
    assert again.exit_code == 0 and "already stored" in again.output
    assert _versions(db_url) == [("core", "2026.1")]


def test_a_wording_change_is_always_allowed(db_url, tmp_path, exported):
    row = find_row(exported, "survey", "name", "bl_sex")
    edited = edit(exported, "survey", row, {"label::English (en)": "Are you a man or a woman?"})
    result = _import(db_url, tmp_path, _new_version(edited, "2026.2"))
    assert result.exit_code == 0, result.output
    assert _versions(db_url) == [("core", "2026.2")]
    _clear()  # a new process (the bot) asks the imported wording
    active = default_questionnaire()
    assert active.version == "2026.2"
    assert active.question("bl_sex").text["en"] == "Are you a man or a woman?"


def test_a_changed_workbook_under_a_stored_version_is_refused(db_url, tmp_path, exported):
    assert _import(db_url, tmp_path, exported).exit_code == 0
    row = find_row(exported, "survey", "name", "bl_sex")
    edited = edit(exported, "survey", row, {"hint::English (en)": "Only for comparisons."})
    result = _import(db_url, tmp_path, edited)
    assert result.exit_code == 1
    assert "sheet 'settings' row 2: version 2026.1 of core is already stored" in result.output


def test_a_code_reused_with_another_type_is_refused_naming_the_row(db_url, tmp_path, exported):
    row = find_row(exported, "survey", "name", "bl_birth_year")
    edited = edit(
        exported, "survey", row, {"type": "text", "tracer::type": "text", "constraint": None}
    )
    result = _import(db_url, tmp_path, _new_version(edited, "2026.2"))
    assert result.exit_code == 1
    assert f"sheet 'survey' row {row}: code 'bl_birth_year' had type integer" in result.output
    assert _versions(db_url) == []


def test_other_choice_codes_are_refused_naming_the_row(db_url, tmp_path, exported):
    row = find_row(exported, "choices", "list_name", "bl_sex")
    other = row + 2  # female, male, other
    edited = edit(exported, "choices", other, {"name": "prefer_not_to_say"})
    result = _import(db_url, tmp_path, _new_version(edited, "2026.2"))
    assert result.exit_code == 1
    assert (
        f"sheet 'choices' row {row}: question 'bl_sex' no longer has the choice code(s) other"
        in (result.output)
    )


def test_a_removed_code_read_by_skip_logic_is_refused_naming_the_row(db_url, tmp_path, exported):
    removed = find_row(exported, "survey", "name", "ex_completed")
    reader = find_row(exported, "survey", "name", "ex_dropout_reason") - 1  # after the deletion
    edited = edit(exported, "survey", removed, delete=True)
    result = _import(db_url, tmp_path, _new_version(edited, "2026.2"))
    assert result.exit_code == 1
    assert f"sheet 'survey' row {reader} (ex_dropout_reason)" in result.output
    assert "'ex_completed'" in result.output


def test_a_removed_code_an_indicator_uses_is_refused_naming_the_row(db_url, tmp_path, exported):
    row = find_row(exported, "survey", "name", "fu_further_study")
    edited = edit(exported, "survey", row, delete=True)
    result = _import(db_url, tmp_path, _new_version(edited, "2026.2"))
    assert result.exit_code == 1
    assert (
        f"sheet 'survey' row {row} of the current version: question 'fu_further_study' is "
        "removed but the standard indicators use it"
    ) in result.output


def test_a_module_code_without_the_programme_prefix_is_refused(db_url, tmp_path, exported):
    from tests.questionnaire.helpers import module_workbook

    moduled = edit(module_workbook(), "settings", 2, {"tracer::programme": "agri"})
    result = _import(db_url, tmp_path, moduled, "--check-only")
    assert result.exit_code == 1
    assert (
        "sheet 'survey' row 3: module codes start with the programme code ('agri_…'), "
        "not 'demo_irrigation'"
    ) in result.output


def test_an_unreadable_file_is_a_message_not_a_traceback(db_url, tmp_path):
    result = _import(db_url, tmp_path, b"not a spreadsheet")
    assert result.exit_code == 1
    assert "it is not an .xlsx file" in result.output


def test_each_answer_records_the_questionnaire_version(db_url, tmp_path):
    store = TracerStore(
        load_settings(
            {
                "TRACER_ENV_FILE": str(tmp_path / "none.env"),
                "TRACER_SECRET_KEY": "k",
                "TRACER_DATABASE_URL": db_url,
                "TRACER_ENCRYPTION_KEY": "M2R0ZXN0a2V5LXRlc3RrZXktdGVzdGtleS10ZXN0a2U=",
            }
        )
    )
    trainee = store.register_consent("chat-1", "rest", "en")
    store.store_answer(
        trainee.id, "baseline", "bl_sex", "female", raw_text=None, source_message_id="m1"
    )
    with session_scope(db_url) as session:
        versions = session.execute(select(Answer.questionnaire_version)).scalars().all()
    assert versions == ["2026.1"]


def test_a_core_code_read_by_a_stored_module_cannot_be_removed(db_url, tmp_path, exported):
    from tests.questionnaire.helpers import SURVEY, module_workbook

    survey = [list(row) for row in SURVEY]
    survey[4][9] = "${bl_enrol_reason} = 'get_job'"  # demo_coop asked only to job seekers
    module = _import(db_url, tmp_path, module_workbook(survey))
    assert module.exit_code == 0, module.output
    row = find_row(exported, "survey", "name", "bl_enrol_reason")
    edited = edit(exported, "survey", row, delete=True)
    result = _import(db_url, tmp_path, _new_version(edited, "2026.2"))
    assert result.exit_code == 1
    assert (
        f"relevant of 'demo_coop' reads 'bl_enrol_reason' (sheet 'survey' row {row} of the "
        "current version), which this import removes"
    ) in result.output
