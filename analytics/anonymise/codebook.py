"""Codebook (JSON + Markdown) of a release, generated from the questionnaire and the rules."""

from __future__ import annotations

from typing import Any

from analytics.anonymise.source import NOT_ASKED, SKIPPED, SUPPRESSED
from analytics.anonymise.table import Table
from bot.answers.pay_period import CONVERSION_RULE

STATA_MISSING = {SKIPPED: -1, NOT_ASKED: -2, SUPPRESSED: -3}
MISSING_CONVENTIONS = {
    "skipped": "the question was asked and the trainee chose to skip it "
    "(categorical: '.skipped', Stata code -1; numeric: empty)",
    "not_asked": "the question was not asked: skip logic, wave not answered, or not recorded "
    "(categorical: '.not_asked', Stata code -2; numeric: empty)",
    "suppressed": "removed by disclosure control (k-anonymity, rare currency) "
    "(categorical: '.suppressed', Stata code -3; numeric: empty)",
}

MONEY_AMOUNTS = (
    "Money variables hold the monthly equivalent of what the trainee typed, in the currency "
    "of <name>_cur; <name>_per is the pay period typed (hour, day, week, fortnight, month, "
    f"year). Conversion: {CONVERSION_RULE}, where days and hours worked in a usual week are "
    "the trainee's answers to the follow-up question (<code>_days, <code>_hours). A daily or "
    "hourly amount whose follow-up was not answered has no monthly equivalent and is empty. "
    "An amount typed as a range is its midpoint, confirmed by the trainee. An amount whose "
    "currency is unknown is never stored as a number. Each money variable's recoding says how "
    "many amounts were converted from another pay period."
)


def codebook(table: Table, meta: dict[str, Any]) -> dict[str, Any]:
    """The codebook as plain data: release metadata, missing conventions and every variable."""
    variables = []
    for name, variable in table.variables.items():
        entry = variable.as_dict()
        reason = table.reason[name]
        entry["missing"] = {
            "skipped": int((reason == SKIPPED).sum()),
            "not_asked": int((reason == NOT_ASKED).sum()),
            "suppressed": int((reason == SUPPRESSED).sum()),
        }
        variables.append(entry)
    return {
        **meta,
        "missing_conventions": MISSING_CONVENTIONS,
        "money_amounts": MONEY_AMOUNTS,
        "variables": variables,
    }


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def codebook_markdown(book: dict[str, Any]) -> str:
    """The codebook as a Markdown document (English labels; the JSON has fr/es too)."""
    lines = [
        f"# Codebook: programme {book['programme']} ({book['layout']} layout)",
        "",
        f"Generated {book['generated_at']}; waves: {', '.join(book['waves'])}; "
        f"questionnaire version {book['questionnaire_version']}.",
        "",
        "## Missing values",
        "",
    ]
    lines += [f"- **{key}**: {text}" for key, text in book["missing_conventions"].items()]
    if book.get("money_amounts"):
        lines += ["", "## Money amounts", "", book["money_amounts"]]
    lines += [
        "",
        "## Variables",
        "",
        "| Variable | Label | Type | Wave | Unit | Values | "
        "Recoding | Missing (skipped / not asked / suppressed) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for entry in book["variables"]:
        values = "; ".join(
            f"{v['stata_code']}={v['code']} ({v['label']['en']})" for v in entry["values"]
        )
        missing = entry["missing"]
        lines.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    entry["name"],
                    entry["label"]["en"],
                    entry["kind"]
                    + (f" ({entry['question_type']})" if entry["question_type"] else ""),
                    entry["wave"] or "",
                    entry["unit"] or "",
                    values,
                    "; ".join(entry["recoding"]),
                    f"{missing['skipped']} / {missing['not_asked']} / {missing['suppressed']}",
                )
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def risk_markdown(risk: dict[str, Any]) -> str:
    """The disclosure-risk summary as a Markdown document."""
    lines = [
        f"# Disclosure-risk summary: programme {risk['programme']}",
        "",
        f"- Generated: {risk['generated_at']} (ages at {risk['reference_date']})",
        f"- Layout: {risk['layout']}; waves: {', '.join(risk['waves'])}",
        f"- Records (trainees): {risk['records']}; rows: {risk['rows']}",
        f"- k required: {risk['k_required']}; k achieved: {risk['k_achieved']}",
        f"- Quasi-identifiers: {', '.join(risk['quasi_identifiers'])}",
        f"- Equivalence classes: {risk['equivalence_classes']}",
        f"- Records with suppressed quasi-identifiers: "
        f"{risk['records_with_suppressed_quasi_identifiers']} "
        f"({risk['share_records_suppressed']:.2%}; allowed {risk['max_suppression']:.2%})",
        f"- Cells suppressed in total: {risk['cells_suppressed_total']}",
        "- Responses left out (outside the fieldwork window, as in the report): "
        + (
            ", ".join(f"{wave} {n}" for wave, n in risk.get("outside_fieldwork_window", {}).items())
            or "none"
        ),
        f"- Free-text variables included (unreviewed): "
        f"{', '.join(risk['free_text_included']) or 'none'}",
        "",
        "## Cells suppressed per variable",
        "",
        "| Variable | Cells |",
        "|---|---|",
    ]
    lines += [f"| {name} | {n} |" for name, n in risk["cells_suppressed"].items()] or [
        "| (none) | 0 |"
    ]
    lines += ["", "## l-diversity of sensitive variables", ""]
    if not risk["l_diversity"]:
        lines.append("Not configured or no sensitive variable in this release.")
    for item in risk["l_diversity"]:
        lines.append(
            f"- {item['variable']} ({item['measured_on']}): l required {item['l_required']}, "
            f"minimum l {item['min_l']}, {item['classes_below_l']} of "
            f"{item['classes_with_values']} classes below l "
            f"({item['records_in_classes_below_l']} records)"
        )
    lines += ["", "## Recoding applied", ""]
    lines += [f"- **{name}**: {'; '.join(steps)}" for name, steps in risk["recoding"].items()]
    return "\n".join(lines) + "\n"
