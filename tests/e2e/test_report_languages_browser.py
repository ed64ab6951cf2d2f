"""The demo report in French and Spanish, and a results page on a phone, in headless Chromium:
no console errors, the words of the language on screen; screenshots for docs/."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from analytics.feedback_figures import wave_summary
from bot.cli.main import cli
from bot.feedback.page import render_page
from tests.e2e.screenshots import screenshot_path
from tests.e2e.test_report_browser import browser as shared_browser  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e
HEADINGS = {"fr": "Rapport de résultats", "es": "Informe de resultados"}
INDICATOR = {"fr": "Taux d'emploi (en emploi / répondants)",
             "es": "Tasa de empleo (ocupados / encuestados)"}  # fmt: skip


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'demo.db'}"
    result = CliRunner().invoke(
        cli, ["--database-url", url, "demo-data", "--trainees", "2000", "--seed", "42",
              "--programme", "solar"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return url


def _open(browser, path: Path, viewport: dict):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport=viewport)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, errors


@pytest.mark.parametrize("language", ["fr", "es"])
def test_report_in_the_officers_language(request, demo_url: str, tmp_path: Path, language: str):  # type: ignore[no-untyped-def]
    out = tmp_path / f"report-{language}.html"
    result = CliRunner().invoke(
        cli, ["--database-url", demo_url, "report", "--programme", "solar", "--lang", language,
              "--out", str(out), "--quiet"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    page, errors = _open(
        request.getfixturevalue("shared_browser"), out, {"width": 1100, "height": 1400}
    )
    assert errors == []
    assert page.locator("h1").inner_text().startswith(HEADINGS[language])
    assert page.get_by_text(INDICATOR[language]).first.is_visible()
    page.screenshot(path=str(screenshot_path(f"report-{language}.png")), full_page=False)
    page.close()


def test_results_page_reads_on_a_phone_and_prints(request, demo_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    summary = wave_summary(demo_url, "solar", None, "followup_6")
    out = tmp_path / "results-fr.html"
    out.write_text(render_page(summary, "fr"), encoding="utf-8")
    page, errors = _open(
        request.getfixturevalue("shared_browser"), out, {"width": 375, "height": 720}
    )
    assert errors == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375  # no sideways scrolling on a phone
    assert page.locator(".figure").count() == len(summary.figures) > 0
    page.screenshot(path=str(screenshot_path("feedback-page.png")), full_page=True)
    page.emulate_media(media="print")
    assert page.locator(".figure").first.is_visible()
    page.close()
