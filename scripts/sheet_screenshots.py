"""Render spreadsheet sheets as PNG screenshots for docs/questionnaire.md (issue 17).

    .venv/bin/python -m scripts.sheet_screenshots

Each workbook sheet is drawn as an HTML grid (column letters, row numbers, bold header) and
photographed with Chromium, so the pictures show exactly what `tracer questionnaire export`
writes.  Only the columns named below are drawn; the real sheets have more.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "questionnaire"
STYLE = """
body { font: 13px Arial, sans-serif; margin: 8px; background: #fff; }
table { border-collapse: collapse; }
td, th { border: 1px solid #c8c8c8; padding: 3px 6px; max-width: 230px; white-space: nowrap;
         overflow: hidden; text-overflow: ellipsis; }
th { background: #efefef; color: #555; font-weight: normal; }
tr.header td { font-weight: bold; background: #f7f7f2; }
td.edited { background: #fff2a8; }
.tabs { margin-top: 6px; color: #333; } .tabs span { padding: 3px 10px; border: 1px solid #bbb; }
.tabs span.on { background: #fff; border-top: 3px solid #1a7f37; font-weight: bold; }
"""


def sheet_html(
    data: bytes,
    sheet: str,
    columns: list[str],
    rows: range,
    edited: set[tuple[int, str]] = frozenset(),  # type: ignore[assignment]
) -> str:
    """An HTML picture of ``rows`` × ``columns`` (by header) of one sheet."""
    book = load_workbook(io.BytesIO(data))
    ws = book[sheet]
    header = [c.value for c in ws[1]]
    index = [header.index(c) for c in columns]
    lines = ["<tr><th></th>" + "".join(f"<th>{get_column_letter(i + 1)}</th>" for i in index)]
    for number in [1, *rows]:
        cells = [ws.cell(row=number, column=i + 1).value for i in index]
        klass = ' class="header"' if number == 1 else ""
        tds = "".join(
            f"<td{' class=edited' if (number, col) in edited else ''}>"
            f"{html.escape(str(v)) if v is not None else ''}</td>"
            for col, v in zip(columns, cells, strict=True)
        )
        lines.append(f"<tr{klass}><th>{number}</th>{tds}</tr>")
    tabs = "".join(
        f'<span class="{"on" if name == sheet else ""}">{name}</span>' for name in book.sheetnames
    )
    return (
        f"<html><head><meta charset='utf-8'><style>{STYLE}</style></head><body><table>"
        + "".join(lines)
        + f"</table><div class='tabs'>{tabs}</div></body></html>"
    )


def shoot(pages: dict[str, str]) -> None:
    """Write ``OUT/<name>.png`` for every HTML page."""
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1900, "height": 400}, device_scale_factor=1)
        for name, content in pages.items():
            page.set_content(content)
            box = page.locator("table").bounding_box() or {"width": 1400, "height": 400}
            page.screenshot(
                path=str(OUT / f"{name}.png"),
                clip={
                    "x": 0,
                    "y": 0,
                    "width": min(1900, box["width"] + 16),
                    "height": box["height"] + 16,
                },
            )
        browser.close()


def main() -> None:
    """Export the shipped questionnaire, a demo module and a Portuguese sheet; photograph them."""
    from bot.questionnaire.loader import core_questionnaire
    from bot.questionnaire.xlsform.export import export_bytes
    from bot.questionnaire.xlsform.translation_sheet import translation_bytes
    from tests.questionnaire.helpers import module_workbook

    core = export_bytes(core_questionnaire())
    survey = [
        "type",
        "name",
        "label::English (en)",
        "label::Français (fr)",
        "required",
        "relevant",
        "constraint",
        "tracer::type",
    ]
    module_cols = [
        "type",
        "name",
        "label::English (en)",
        "label::Español (es)",
        "relevant",
        "constraint",
    ]
    pt = load_workbook(io.BytesIO(translation_bytes("pt", core_questionnaire())))
    ws = pt["translations"]
    for row, text in ((5, "Você é mulher ou homem?"), (8, "Mulher"), (9, "Homem")):
        ws.cell(row=row, column=4, value=text)
    filled = io.BytesIO()
    pt.save(filled)
    shoot(
        {
            "survey": sheet_html(
                core, "survey", survey, range(2, 10), {(3, "label::Français (fr)")}
            ),
            "choices": sheet_html(
                core,
                "choices",
                [
                    "list_name",
                    "name",
                    "label::English (en)",
                    "label::Français (fr)",
                    "label::Español (es)",
                ],
                range(2, 8),
            ),
            "module": sheet_html(module_workbook(), "survey", module_cols, range(2, 7)),
            "translations": sheet_html(
                filled.getvalue(),
                "translations",
                ["key", "where", "source::English (en)", "target::Português (pt)"],
                range(2, 10),
                {
                    (5, "target::Português (pt)"),
                    (8, "target::Português (pt)"),
                    (9, "target::Português (pt)"),
                },
            ),
        }
    )


if __name__ == "__main__":
    main()
