"""Portuguese added with no code (issue 17): the translation sheet filled in and imported, an
NLU examples file beside the others, the model retrained; then the baseline over REST in
Portuguese, typed the way a trainee would, and stored as in any other language."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select

from bot.cli.main import cli
from bot.i18n import t
from bot.questionnaire.loader import default_questionnaire
from bot.storage.db import session_scope
from bot.storage.models import Answer, Trainee
from tests.conftest import texts
from tests.journeys import EMPLOYEE, YES, wave_script
from tests.questionnaire.helpers import reread_languages
from tests.stack import ROOT, running_stack

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "languages"
PT_STRINGS = FIXTURES / "pt.yml"
PT_NLU = FIXTURES / "nlu" / "pt" / "control.yml"


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Path]]:
    """A translations folder and a copy of data/ (the NLU folder the model is trained from)."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    found = {"translations": tmp_path / "translations", "data": data, "nlu": data / "nlu"}
    monkeypatch.setenv("TRACER_TRANSLATIONS_DIR", str(found["translations"]))
    monkeypatch.setenv("TRACER_NLU_DIR", str(found["nlu"]))
    reread_languages()
    yield found
    monkeypatch.undo()
    reread_languages()


def _questionnaire(*args: str) -> str:
    result = CliRunner().invoke(cli, ["questionnaire", *args])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return result.output


def _fill_translation_sheet(tmp_path: Path) -> Path:
    """What a translator does: export the sheet, type column D, save."""
    sheet_path = tmp_path / "pt.xlsx"
    _questionnaire("translations", "--lang", "pt", "--out", str(sheet_path))
    translated = yaml.safe_load(PT_STRINGS.read_text(encoding="utf-8"))
    book = load_workbook(sheet_path)
    for row in book["translations"].iter_rows(min_row=2):
        row[3].value = translated[row[0].value]
    book.save(sheet_path)
    return sheet_path


def _trained_with_portuguese(data: Path) -> Path:
    """The model trained on data/ plus the Portuguese examples (cached by their hash)."""
    inputs = [ROOT / "config.yml", *sorted((ROOT / "domain").glob("*.yml"))]
    inputs += sorted(data.rglob("*.yml"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in inputs)).hexdigest()[:12]
    model = ROOT / "models" / f"tracer-pt-{digest}.tar.gz"
    if not model.exists():
        subprocess.run(
            [str(ROOT / ".venv" / "bin" / "rasa"), "train", "--config", "config.yml"]
            + ["--domain", "domain", "--data", str(data), "--out", "models"]
            + ["--fixed-model-name", model.name.removesuffix(".tar.gz")],
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=1200,
        )
    return model


def test_portuguese_is_added_without_code_and_the_baseline_runs_in_it_over_rest(
    tmp_path: Path, folders: dict[str, Path]
) -> None:
    assert "pt: off" in _questionnaire("check", "--lang", "pt")
    _questionnaire("import", str(_fill_translation_sheet(tmp_path)))
    reread_languages()
    check = _questionnaire("check", "--lang", "pt")
    assert "pt: off" in check and "NLU examples missing" in check and "strings" not in check

    (folders["nlu"] / "pt").mkdir()
    shutil.copy(PT_NLU, folders["nlu"] / "pt" / "control.yml")
    reread_languages()
    assert "pt: on" in _questionnaire("check", "--lang", "pt")
    model = _trained_with_portuguese(folders["data"])

    env = {"TRACER_TRANSLATIONS_DIR": str(folders["translations"])}
    env["TRACER_NLU_DIR"] = str(folders["nlu"])
    sender = "pt-rest-1"
    (tmp_path / "stack").mkdir()
    with running_stack(tmp_path / "stack", model, extra_env=env) as stack:
        welcome = texts(stack.say(sender, "Olá, bom dia"))
        assert t("welcome", "pt") in welcome  # guessed from the Portuguese examples
        consented = texts(stack.say(sender, YES["pt"]))  # "sim", typed
        assert t("programme_question", "pt") in " ".join(consented)  # language already known
        first = texts(stack.say(sender, '/inform{"choice":"demo"}'))
        questions = default_questionnaire()
        assert questions.question("bl_sex").text_in("pt") in " ".join(first)

        helped = texts(stack.say(sender, "não entendi, pode me ajudar?"))  # NLU: help, in pt
        assert questions.question("bl_sex").help_in("pt") in helped
        replies: list[dict] = []
        for code, turn in wave_script("baseline", "pt"):
            replies = stack.say(sender, turn.text)
            asked = texts(replies)
            assert asked, f"no reply after answering {code}"
        assert t("wave_done_baseline", "pt") in texts(replies)

        other = "pt-rest-2"  # a first message in no language: the language is asked
        assert t("welcome", "en") in texts(stack.say(other, "👋"))
        asked = stack.say(other, "/affirm")  # a tap: says nothing of the language
        assert "Português" in [b["title"] for r in asked for b in r.get("buttons", [])]
        chosen = texts(stack.say(other, "portugues"))  # typed, without its accent
        assert t("programme_question", "pt") in " ".join(chosen)
    with session_scope(stack.database_url) as session:
        stored = dict(
            session.execute(
                select(Answer.question_code, Answer.value_json)
                .join(Trainee, Trainee.id == Answer.trainee_id)
                .where(Answer.is_current.is_(True), Trainee.language == "pt")
            ).all()
        )
    expected = {code: EMPLOYEE[code] for code, _ in wave_script("baseline", "pt")}
    assert stored == expected
