"""Adding a language through the translation sheet: export, fill, import, check."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from bot.cli.main import cli
from bot.questionnaire.loader import core_questionnaire, default_questionnaire
from bot.questionnaire.translations import nlu_missing
from bot.questionnaire.xlsform.export import export_bytes
from bot.questionnaire.xlsform.read import read_workbook


@pytest.fixture
def translations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "translations"
    monkeypatch.setenv("TRACER_TRANSLATIONS_DIR", str(folder))
    monkeypatch.setenv("TRACER_MODULES_DIR", str(tmp_path / "modules"))
    core_questionnaire.cache_clear()
    default_questionnaire.cache_clear()
    yield folder
    core_questionnaire.cache_clear()
    default_questionnaire.cache_clear()


def _run(*args: str):
    result = CliRunner().invoke(cli, ["questionnaire", *args])
    assert "Traceback" not in result.output
    return result


def _sheet(tmp_path: Path) -> tuple[Path, object]:
    out = tmp_path / "pt.xlsx"
    assert _run("translations", "--lang", "pt", "--out", str(out)).exit_code == 0
    return out, load_workbook(out)


def _filled(tmp_path: Path, edit=None) -> Path:
    out, book = _sheet(tmp_path)
    sheet = book["translations"]
    for row in sheet.iter_rows(min_row=2):
        row[3].value = f"(pt) {row[2].value}"  # keeps the {fields} of the English source
    if edit:
        edit(sheet)
    book.save(out)
    return out


def _cleared() -> None:
    core_questionnaire.cache_clear()
    default_questionnaire.cache_clear()


def test_the_sheet_lists_every_string_with_english_source_and_empty_target(tmp_path, translations):
    _, book = _sheet(tmp_path)
    rows = list(book["translations"].iter_rows(values_only=True))
    assert rows[0] == ("key", "where", "source::English (en)", "target::Português (pt)")
    keys = {row[0]: row for row in rows[1:]}
    assert keys["q.bl_sex.text"][2] == "Are you a woman or a man?"
    assert keys["q.bl_sex.choice.female"][2] == "Woman"
    assert keys["q.bl_sex.help"][2].startswith("We use this only")
    assert any(key.startswith("bot.") for key in keys)
    assert all(row[3] is None for row in rows[1:])


def test_importing_the_filled_sheet_adds_the_language(tmp_path, translations):
    result = _run("import", str(_filled(tmp_path)))
    assert result.exit_code == 0, result.output
    assert (translations / "pt.yml").is_file()
    _cleared()
    question = default_questionnaire().question("bl_sex")
    assert question.text["pt"] == "(pt) Are you a woman or a man?"
    assert question.choice("male").label["pt"] == "(pt) Man"
    check = _run("check", "--lang", "pt")
    assert "pt: off" in check.output and "strings missing" not in check.output
    assert "NLU examples missing in data/nlu/pt/ for: affirm" in check.output
    exported = export_bytes(core_questionnaire())
    assert read_workbook(exported).questionnaire == core_questionnaire()
    assert "(pt) Are you a woman or a man?" in convert(exported, file_type=".xlsx").xform
    # re-exporting the sheet keeps what was translated
    _, book = _sheet(tmp_path)
    assert all(row[3] for row in book["translations"].iter_rows(min_row=2, values_only=True))


def test_a_dropped_message_field_is_refused_naming_the_row(tmp_path, translations):
    def drop_field(sheet) -> None:
        for row in sheet.iter_rows(min_row=2):
            if "{" in str(row[2].value):
                row[3].value = "sem campo"
                drop_field.row = row[0].row
                return

    result = _run("import", str(_filled(tmp_path, drop_field)))
    assert result.exit_code == 1
    assert f"sheet 'translations' row {drop_field.row}" in result.output
    assert "keep the fields" in result.output
    assert not (translations / "pt.yml").exists()


def test_nlu_examples_complete_the_language(tmp_path):
    nlu = tmp_path / "nlu"
    (nlu / "pt").mkdir(parents=True)
    english = Path(__file__).resolve().parents[2] / "data" / "nlu" / "en"
    for path in english.glob("*.yml"):
        (nlu / "en" / path.name).parent.mkdir(exist_ok=True)
        (nlu / "en" / path.name).write_text(path.read_text("utf-8"), "utf-8")
    assert "stop" in nlu_missing("pt", nlu)
    intents = sorted(set(nlu_missing("pt", nlu)))
    blocks = "".join(
        f"- intent: {i}\n  examples: |\n    - {i} um\n    - {i} dois\n    - {i} três\n"
        for i in intents
    )
    (nlu / "pt" / "control.yml").write_text(f'version: "3.1"\nnlu:\n{blocks}', "utf-8")
    assert nlu_missing("pt", nlu) == []
