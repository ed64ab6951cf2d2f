"""A language beyond en/fr/es is on exactly when its strings and NLU examples are complete, and
then every part that talks to trainees speaks it (issue 17); off, the bot speaks English."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from bot.channels.telegram.translate import supported_language
from bot.feedback.optout import says_no_results, says_results_again
from bot.i18n import guess_language, language_kept, normalise_language, t
from bot.i18n.languages import enabled_languages, language_gaps
from bot.questionnaire.loader import default_questionnaire
from bot.survey.classify import language_named_in
from bot.survey.steps import read_reply, system_question, yes_no_labels
from tests.questionnaire.helpers import reread_languages

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "languages"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def added(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Portuguese strings and NLU examples in temporary folders (the NLU folder returned)."""
    (tmp_path / "translations").mkdir()
    shutil.copy(FIXTURES / "pt.yml", tmp_path / "translations" / "pt.yml")
    nlu = tmp_path / "nlu"
    shutil.copytree(ROOT / "data" / "nlu", nlu)
    shutil.copytree(FIXTURES / "nlu" / "pt", nlu / "pt")
    monkeypatch.setenv("TRACER_TRANSLATIONS_DIR", str(tmp_path / "translations"))
    monkeypatch.setenv("TRACER_NLU_DIR", str(nlu))
    reread_languages()
    yield nlu
    monkeypatch.undo()
    reread_languages()


def _thin_out(nlu: Path, intent: str) -> None:
    """Leave ``intent`` with two Portuguese examples (three are needed)."""
    path = nlu / "pt" / "control.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for block in data["nlu"]:
        if block["intent"] == intent:
            block["examples"] = "".join(block["examples"].splitlines(keepends=True)[:2])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    reread_languages()


def test_a_complete_language_is_on_and_spoken(added: Path) -> None:
    assert enabled_languages() == ("en", "fr", "es", "pt")
    assert normalise_language("pt-BR") == "pt" and normalise_language("pt_PT") == "pt"
    assert normalise_language("pl") == "en"  # not added: English
    assert t("welcome", "pt").startswith("Olá")
    assert guess_language("olá") == "pt" and guess_language("Português!") == "pt"
    assert supported_language("pt-PT") == "pt"
    assert language_named_in("quero falar em português") == "pt"
    assert language_named_in("en portugais s'il vous plaît") == "pt"
    languages = system_question("language")
    assert [c.label_in("pt") for c in languages.choices][-1] == "Português"
    assert (
        languages.help_in("en") == "Tap a button or type English, Français, Español, or Português."
    )
    assert language_kept("fr").endswith("écrivez English, Español ou Português pour changer.")
    assert read_reply(languages, "portugues", "en").value == "pt"
    consent = system_question("consent")
    assert consent.text_in("pt") == t("consent", "pt")
    assert read_reply(consent, "Não", "pt").value == "no"
    assert read_reply(consent, "sim!", "en").value == "yes"
    question = default_questionnaire().question("fu_job_start")
    assert read_reply(question, "março de 2025", "pt").value == "2025-03"
    assert says_no_results("Sem resultados!") and says_results_again("enviar resultados")


def test_a_language_missing_nlu_examples_is_off_and_the_bot_speaks_english(added: Path) -> None:
    _thin_out(added, "stop")
    assert enabled_languages() == ("en", "fr", "es")
    assert language_gaps("pt") == ["nlu:stop"]
    assert normalise_language("pt") == "en"
    assert t("welcome", "pt") == t("welcome", "en")
    assert supported_language("pt-BR") is None
    assert guess_language("olá") is None
    assert "Português" not in [c.label_in("en") for c in system_question("language").choices]


def test_a_language_missing_one_string_is_off(added: Path, tmp_path: Path) -> None:
    path = tmp_path / "translations" / "pt.yml"
    strings = yaml.safe_load(path.read_text(encoding="utf-8"))
    del strings["bot.channel_button_expired"]
    path.write_text(yaml.safe_dump(strings, allow_unicode=True), encoding="utf-8")
    reread_languages()
    assert "pt" not in enabled_languages()
    assert language_gaps("pt") == ["bot.channel_button_expired"]


def test_a_yes_title_that_means_no_in_another_language_is_not_read(
    added: Path, tmp_path: Path
) -> None:
    path = tmp_path / "translations" / "pt.yml"
    strings = yaml.safe_load(path.read_text(encoding="utf-8"))
    strings["bot.yes"] = "Non"  # a translator's slip: French for no
    path.write_text(yaml.safe_dump(strings, allow_unicode=True), encoding="utf-8")
    reread_languages()
    assert "Non" not in yes_no_labels()["yes"]
    assert read_reply(system_question("consent"), "non", "pt").value == "no"


def test_a_three_letter_code_is_a_language_too(added: Path, tmp_path: Path) -> None:
    """Many languages of West Africa have only an ISO 639-3 code (Dyula: dyu)."""
    shutil.copy(tmp_path / "translations" / "pt.yml", tmp_path / "translations" / "dyu.yml")
    shutil.copytree(added / "pt", added / "dyu")
    reread_languages()
    assert "dyu" in enabled_languages()
    assert normalise_language("dyu-BF") == "dyu"
    assert supported_language("dyu") == "dyu"
