"""Anonymised exports for researchers: the CLI's disclosure-controlled ``anonymise`` pipeline,
zipped, with its disclosure-risk summary. Free text is never included from the console."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from analytics.anonymise import anonymise, default_rules, parse_waves, write_release
from analytics.anonymise.codebook import risk_markdown
from analytics.anonymise.writers import release_documents
from bot.cli.export_commands import DEFAULT_SECRET_ENV
from bot.config import Settings
from bot.questionnaire.loader import default_questionnaire


@dataclass(frozen=True)
class ExportResult:
    """The zip of the release and its risk summary."""

    zip_bytes: bytes
    risk: dict
    risk_text: str


def produce(
    settings: Settings, programme: str, waves: str | None, layout: str, fmt: str
) -> ExportResult:
    """Run the disclosure rules and write the release into a zip (ExportRefusedError when the
    rules cannot be met)."""
    rules = default_rules(default_questionnaire()).with_overrides(
        k=settings.k_anonymity, max_suppression=settings.max_suppression_share
    )
    release = anonymise(
        settings.database_url,
        programme,
        secret=os.environ.get(DEFAULT_SECRET_ENV) or settings.secret_key,
        waves=parse_waves(waves or None),
        layout=layout,
        rules=rules,
        grace_days=settings.baseline_grace_days,
        window_months=settings.fieldwork_window_months,
    )
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as folder:
        paths = write_release(release, Path(folder) / "release", fmt)
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in paths:
                archive.write(path, arcname=path.name)
    _, risk = release_documents(release)
    return ExportResult(buffer.getvalue(), risk, risk_markdown(risk))
