"""``tracer report --lang``: the demo report in French and Spanish has no English left.

The scan reads the visible text of the rendered HTML (and every text drawn on the charts) and
looks for each English text of the catalogue (bot/i18n/report.yml) and of the questionnaire's
labels; the same scan on the English report finds them, so it can fail."""

from __future__ import annotations

import html
import re
from pathlib import Path

import matplotlib.text
import openpyxl
import pytest
from click.testing import CliRunner

from analytics.render import charts, translate
from bot.cli.main import cli
from bot.i18n import catalog
from bot.storage.db import session_scope
from bot.storage.models import Setting

LANGUAGES = ("fr", "es")
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('lang') / 'demo.db'}"
    result = CliRunner().invoke(
        cli, ["--database-url", url, "demo-data", "--trainees", "600", "--seed", "7",
              "--programme", "solar"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return url


def run(url: str, *args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["--database-url", url, *args])
    assert result.exit_code == 0, result.output
    return result


def english_texts(language: str) -> dict[str, str]:
    """English text → its translation in ``language``: report words and questionnaire labels."""
    found = {texts["en"]: texts[language] for key, texts in catalog().items()
             if key.startswith("report_")}  # fmt: skip
    for text, texts in translate._terms().items():
        found.setdefault(text, texts[language])
    return found


def visible(document: str) -> str:
    document = re.sub(r'src="data:[^"]*"', "", document)
    document = re.sub(r"<style.*?</style>", " ", document, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", document))


def english_left(text: str, language: str) -> set[str]:
    """English fragments (4+ characters, not also in the translation) found in ``text``."""
    left = set()
    for english, translated in english_texts(language).items():
        for fragment in _PLACEHOLDER.split(english):
            fragment = fragment.strip(" :;,.()")
            if len(fragment) < 4 or fragment in translated:
                continue
            if re.search(r"(?<![\w-])" + re.escape(fragment) + r"(?![\w-])", text):
                left.add(fragment)
    return left


def test_catalogue_has_every_report_text_in_three_languages_with_the_same_placeholders():
    for key, texts in catalog().items():
        if not key.startswith("report_"):
            continue
        assert set(texts) == {"en", "fr", "es"}, key
        assert all(texts.values()), key
        placeholders = {lang: set(_PLACEHOLDER.findall(text)) for lang, text in texts.items()}
        assert placeholders["fr"] == placeholders["en"] == placeholders["es"], key


@pytest.mark.parametrize("language", LANGUAGES)
def test_demo_report_in_french_and_spanish_has_no_english_left(
    demo_db: str, tmp_path: Path, language: str, monkeypatch: pytest.MonkeyPatch
):
    drawn: list[str] = []
    original = charts._png

    def recording(figure):  # type: ignore[no-untyped-def]
        drawn.extend(t.get_text() for t in figure.findobj(matplotlib.text.Text) if t.get_text())
        return original(figure)

    monkeypatch.setattr(charts, "_png", recording)
    translate.MISSING.clear()
    out = tmp_path / f"report-{language}.html"
    run(demo_db, "report", "--programme", "solar", "--lang", language, "--out", str(out),
        "--as-of", "2026-11-30", "--quiet")  # fmt: skip
    document = out.read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in document
    assert translate.MISSING == set()  # every analytics name found a translation
    assert english_left(visible(document), language) == set()
    assert len(drawn) > 20 and english_left("\n".join(drawn), language) == set()


def test_the_scan_finds_english_in_the_english_report(demo_db: str, tmp_path: Path):
    out = tmp_path / "report-en.html"
    run(demo_db, "report", "--programme", "solar", "--out", str(out), "--as-of", "2026-11-30",
        "--quiet")  # fmt: skip
    left = english_left(visible(out.read_text(encoding="utf-8")), "fr")
    assert {"Employment rate (employed / respondents", "Method note and definitions"} <= left


def test_numbers_and_dates_follow_the_language(demo_db: str, tmp_path: Path):
    pages = {}
    for language in ("en", "fr", "es"):
        out = tmp_path / f"{language}.html"
        run(demo_db, "report", "--programme", "solar", "--lang", language, "--out", str(out),
            "--as-of", "2026-11-30", "--quiet")  # fmt: skip
        pages[language] = visible(out.read_text(encoding="utf-8"))
    assert re.search(r"\b\d+\.\d%", pages["en"]) and "30 nov. 2026" in pages["fr"]
    assert re.search(r"\b\d+,\d\u00a0%", pages["fr"]) and not re.search(r"\b\d+\.\d%", pages["fr"])
    assert re.search(r"\b\d+,\d\u00a0%", pages["es"]) and "30 nov 2026" in pages["es"]
    assert "Taux d'emploi (en emploi / répondants)" in pages["fr"]
    assert "Tasa de empleo (ocupados / encuestados)" in pages["es"]


def test_sheets_and_columns_stay_codes_with_a_translated_label(demo_db: str, tmp_path: Path):
    xlsx = tmp_path / "fr.xlsx"
    run(demo_db, "report", "--programme", "solar", "--lang", "fr", "--format", "xlsx",
        "--out", str(xlsx), "--quiet")  # fmt: skip
    workbook = openpyxl.load_workbook(xlsx, read_only=True)
    assert {"about", "labour", "response"} <= set(workbook.sheetnames)
    rows = list(workbook["labour"].iter_rows(max_row=2, values_only=True))
    assert rows[0][:3] == ("indicator", "label", "unit")
    assert rows[1][1] == "Taux d'emploi (en emploi / répondants)"
    workbook.close()
    folder = tmp_path / "es"
    run(demo_db, "report", "--programme", "solar", "--lang", "es", "--format", "csv",
        "--out", str(folder), "--quiet")  # fmt: skip
    header = (folder / "labour.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:3] == ["indicator", "label", "unit"]
    assert "Tasa de empleo (ocupados / encuestados)" in (folder / "labour.csv").read_text()
    assert "Nota metodológica" not in (folder / "METHOD.txt").read_text()  # the note itself
    assert "Celdas pequeñas (supresión)" in (folder / "METHOD.txt").read_text()


def test_the_programme_language_setting_is_the_default(demo_db: str, tmp_path: Path):
    first, later = tmp_path / "first.html", tmp_path / "later.html"
    try:
        run(demo_db, "report", "--programme", "solar", "--lang", "es", "--remember-lang",
            "--out", str(first), "--quiet")  # fmt: skip
        run(demo_db, "report", "--programme", "solar", "--out", str(later), "--quiet")
    finally:
        with session_scope(demo_db) as session:
            session.query(Setting).filter_by(key="report_language:solar").delete()
    assert '<html lang="es">' in later.read_text(encoding="utf-8")
    run(demo_db, "report", "--programme", "solar", "--out", str(later), "--quiet")
    assert '<html lang="en">' in later.read_text(encoding="utf-8")  # else English
