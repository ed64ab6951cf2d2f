"""The HTML report of the demo data opens in headless Chromium without console errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.main import cli
from tests.e2e.screenshots import screenshot_path

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = screenshot_path("report.png")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    subprocess.run(["bash", str(ROOT / "scripts" / "install-browser.sh")], check=True)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


def test_demo_report_renders_without_console_errors(browser, tmp_path: Path):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    runner = CliRunner()
    result = runner.invoke(
        cli,
        [
            "--database-url",
            url,
            "demo-data",
            "--trainees",
            "2000",
            "--seed",
            "42",
            "--programme",
            "solar",
        ],
    )
    assert result.exit_code == 0, result.output
    out = tmp_path / "report.html"
    result = runner.invoke(
        cli,
        [
            "--database-url",
            url,
            "report",
            "--programme",
            "solar",
            "--format",
            "html",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output

    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    assert errors == []
    assert all(r.startswith(("file:", "data:")) for r in requests)
    assert "Outcome report" in page.title() or "Tracer outcome report" in page.title()
    images = page.locator("img")
    assert images.count() >= 3
    widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
    assert all(w > 100 for w in widths)  # every chart decoded
    assert page.get_by_text("Employment rate (employed / respondents)").first.is_visible()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)  # the whole report
    from PIL import Image  # 256 colours: a third of the size, text and charts unchanged

    Image.open(SCREENSHOT).convert("RGB").quantize(256).save(SCREENSHOT, optimize=True)
    page.close()
