"""Write a release (microdata, codebook, disclosure-risk summary) to a directory atomically.

Everything is written to a temporary directory next to the target first and moved into place
only when all files are complete, so a failed export leaves nothing behind.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
from pyarrow import csv as pa_csv

from analytics.anonymise.codebook import STATA_MISSING, codebook, codebook_markdown, risk_markdown
from analytics.anonymise.pipeline import Release, render
from analytics.anonymise.source import PRESENT
from bot.questionnaire.loader import default_questionnaire
from bot.security.spreadsheet import neutralise_frame

FORMATS = ("csv", "parquet", "dta")
STATA_MISSING_LABELS = {
    -1: "Skipped",
    -2: "Not asked",
    -3: "Suppressed (disclosure control)",
}


def _stata_frame(release: Release) -> tuple[pd.DataFrame, dict, dict]:
    table = release.table
    columns, value_labels, variable_labels = {}, {}, {}
    for name, variable in table.variables.items():
        values, reason = table.data[name], table.reason[name]
        variable_labels[name] = variable.label["en"][:80]
        if variable.kind == "categorical":
            present = values.astype(object).where(reason == PRESENT)
            for code in sorted(str(v) for v in present.dropna().unique()):
                if code not in variable.category_codes():
                    variable.add_category(code, {"en": code, "fr": code, "es": code})
            mapping = {code: i + 1 for i, code in enumerate(variable.category_codes())}
            coded = present.map(mapping)
            for reason_code, stata_code in STATA_MISSING.items():
                coded = coded.where(reason != reason_code, stata_code)
            columns[name] = coded.fillna(-2).astype("int16")
            value_labels[name] = {
                **{
                    i: label["en"][:32000]
                    for (_, label), i in zip(variable.categories, mapping.values(), strict=True)
                },
                **STATA_MISSING_LABELS,
            }
        elif variable.kind == "numeric":
            columns[name] = (
                pd.to_numeric(values, errors="coerce").where(reason == PRESENT).astype("float64")
            )
        else:
            columns[name] = values.astype(object).where(reason == PRESENT).fillna("").astype(str)
    return pd.DataFrame(columns), value_labels, variable_labels


def _write_data(release: Release, fmt: str, path: Path) -> None:
    if fmt == "csv":
        # Free-text answers are typed by trainees: none may run as a spreadsheet formula.
        table = pa.Table.from_pandas(neutralise_frame(release.frame()), preserve_index=False)
        pa_csv.write_csv(table, path)
    elif fmt == "parquet":
        render(release.table).to_parquet(path, index=False)
    else:
        frame, value_labels, variable_labels = _stata_frame(release)
        strl = [
            c for c in frame.columns if frame[c].dtype == object and frame[c].str.len().max() > 244
        ]
        frame.to_stata(
            path,
            write_index=False,
            version=118,
            variable_labels=variable_labels,
            value_labels=value_labels,
            convert_strl=strl,
            data_label=f"Tracer {release.programme} ({release.layout})"[:80],
        )


def release_documents(release: Release) -> tuple[dict[str, Any], dict[str, Any]]:
    """(codebook, disclosure-risk report) as plain data."""
    meta = {
        "programme": release.programme,
        "layout": release.layout,
        "waves": list(release.waves),
        "generated_at": release.generated_at,
        "questionnaire_version": default_questionnaire().version,
        "records": release.risk["records"],
        "rows": release.risk["rows"],
    }
    book = codebook(release.table, meta)
    risk = {**release.risk, "generated_at": release.generated_at}
    return book, risk


def write_release(release: Release, out_dir: Path | str, fmt: str) -> list[Path]:
    """Write the microdata in ``fmt`` plus codebook and risk summary; the paths written."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    target = Path(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    stem = f"tracer_{release.programme}_{release.layout}"
    with tempfile.TemporaryDirectory(prefix=".tracer-export-", dir=target.parent) as tmp:
        staging = Path(tmp)
        _write_data(release, fmt, staging / f"{stem}.{fmt}")
        book, risk = release_documents(release)
        (staging / "codebook.json").write_text(
            json.dumps(book, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        (staging / "codebook.md").write_text(codebook_markdown(book), encoding="utf-8")
        (staging / "disclosure_risk.json").write_text(
            json.dumps(risk, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        (staging / "disclosure_risk.md").write_text(risk_markdown(risk), encoding="utf-8")
        target.mkdir(parents=True, exist_ok=True)
        written = []
        for file in sorted(staging.iterdir()):
            destination = target / file.name
            shutil.move(str(file), destination)
            written.append(destination)
    return written
