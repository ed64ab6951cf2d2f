"""``tracer export``: anonymised microdata, codebook and disclosure-risk summary for research."""

from __future__ import annotations

import os
from pathlib import Path

import click

from analytics.anonymise import (
    FORMATS,
    ExportRefusedError,
    Rules,
    RulesError,
    anonymise,
    default_rules,
    parse_waves,
    rules_from_file,
    write_release,
)
from bot.cli.common import CliContext, pass_cli
from bot.config import Settings
from bot.questionnaire.loader import default_questionnaire

DEFAULT_SECRET_ENV = "TRACER_EXPORT_SECRET"


def export_secret(ctx: CliContext, secret_env: str | None) -> str:
    """The pseudonymisation secret: ``--secret-env`` variable, TRACER_EXPORT_SECRET, or the
    project's secret key."""
    if secret_env:
        value = os.environ.get(secret_env, "")
        if not value:
            raise click.ClickException(f"environment variable {secret_env} is not set or empty")
        return value
    return os.environ.get(DEFAULT_SECRET_ENV) or ctx.settings.secret_key


@click.command("export")
@click.option("--programme", required=True, help="Programme code.")
@click.option("--waves", default=None, help="Comma-separated waves (default: all four).")
@click.option(
    "--layout",
    type=click.Choice(["wide", "long"]),
    default="wide",
    show_default=True,
    help="wide: one row per trainee; long: one row per trainee × wave.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    required=True,
    help="Microdata format (dta = Stata 14+ with labels).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Output directory.",
)
@click.option(
    "--k",
    type=click.IntRange(min=1),
    default=None,
    help="k-anonymity over quasi-identifiers (default: TRACER_K_ANONYMITY or 5).",
)
@click.option(
    "--max-suppression",
    type=click.FloatRange(0, 1),
    default=None,
    help="Largest share of trainees whose quasi-identifiers may be suppressed "
    "(default 0.05); above it the export is refused.",
)
@click.option(
    "--include-free-text",
    is_flag=True,
    help="Include free-text answers (unreviewed: may identify people).",
)
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(dir_okay=False, exists=True),
    help="YAML file overriding disclosure-control rules (see docs/export.md).",
)
@click.option(
    "--secret-env",
    default=None,
    help=f"Environment variable holding the pseudonym secret "
    f"(default {DEFAULT_SECRET_ENV}, else the project secret key).",
)
@pass_cli
def export(
    ctx: CliContext,
    programme: str,
    waves: str | None,
    layout: str,
    fmt: str,
    out_dir: Path,
    k: int | None,
    max_suppression: float | None,
    include_free_text: bool,
    rules_file: str | None,
    secret_env: str | None,
) -> None:
    """Write anonymised microdata with a codebook and a disclosure-risk summary."""
    try:
        settings = ctx.settings
        rules = _rules(settings, rules_file, k, max_suppression, include_free_text)
        wave_ids = parse_waves(waves)
        secret = export_secret(ctx, secret_env)
        release = anonymise(
            settings.database_url,
            programme,
            secret=secret,
            waves=wave_ids,
            layout=layout,
            rules=rules,
            grace_days=settings.baseline_grace_days,
            window_months=settings.fieldwork_window_months,
        )
        written = write_release(release, out_dir, fmt)
    except (ExportRefusedError, RulesError, ValueError) as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot write the export: {error.strerror}") from None
    risk = release.risk
    click.echo(
        f"Exported {risk['records']} trainees ({risk['rows']} rows) of {programme}: "
        f"k={risk['k_achieved']} achieved (required {risk['k_required']}), "
        f"{risk['records_with_suppressed_quasi_identifiers']} records with suppressed cells."
    )
    for path in written:
        click.echo(f"  {path}")


def _rules(
    settings: Settings,
    rules_file: str | None,
    k: int | None,
    max_suppression: float | None,
    include_free_text: bool,
) -> Rules:
    """The disclosure-control rules: defaults, settings, the rules file, then the options."""
    rules = default_rules(default_questionnaire()).with_overrides(
        k=settings.k_anonymity, max_suppression=settings.max_suppression_share
    )
    if rules_file:
        rules = rules_from_file(rules, rules_file)
    if k is not None:
        rules = rules.with_overrides(k=k)
    if max_suppression is not None:
        rules = rules.with_overrides(max_suppression=max_suppression)
    if include_free_text:
        rules = rules.with_overrides(include_free_text=True)
        click.echo(
            "warning: free-text answers are included unreviewed; they may name "
            "people or employers. Review them before any release.",
            err=True,
        )
    return rules
