"""``tracer report`` (outcome report of a programme) and ``tracer demo-data`` (synthetic data)."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import click
from tqdm import tqdm

from bot.cli.common import CliContext, pass_cli

if TYPE_CHECKING:
    from analytics.cpi import CpiTable

LARGE = 5_000  # trainees above which progress is shown


@click.command("report")
@click.option("--programme", required=True, help="Programme code (see `tracer programmes list`).")
@click.option("--cohort", default=None, help="Only this cohort of the programme.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "xlsx", "csv"]),
    default="html",
    show_default=True,
    help="html: one self-contained file; xlsx: one sheet per table; "
    "csv: a folder with one file per table.",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Output file (html, xlsx) or folder (csv).",
)
@click.option(
    "--as-of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Report date deciding which waves are due (default: today).",
)
@click.option(
    "--weight-cells",
    default="cohort,completion,sex,age_band",
    show_default=True,
    help="Non-response weighting cells, comma-separated, in collapsing order "
    "(cohort, completion, sex, age_band, region).",
)
@click.option(
    "--baseline-grace-days",
    type=click.IntRange(min=0),
    default=None,
    help="Baseline answers count until the training start + this many days "
    "(default: TRACER_BASELINE_GRACE_DAYS, 30).",
)
@click.option(
    "--window-months",
    type=click.IntRange(min=1),
    default=None,
    help="Exit and follow-up answers count for this many months from the wave's "
    "opening day (default: TRACER_FIELDWORK_WINDOW_MONTHS, 3).",
)
@click.option(
    "--lang",
    "language",
    type=click.Choice(["en", "fr", "es"]),
    default=None,
    help="Language of the report's words, numbers and dates (default: the programme's "
    "language setting if there is one, else English). Sheet names and columns stay codes.",
)
@click.option(
    "--remember-lang",
    is_flag=True,
    help="Keep --lang as the programme's language setting (the default of later reports).",
)
@click.option(
    "--cpi",
    "cpi_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Consumer price index CSV (columns year, month, index[, currency]): earnings "
    "change is also given in baseline-month prices.",
)
@click.option("--quiet", is_flag=True, help="No progress messages.")
@pass_cli
def report(
    ctx: CliContext,
    programme: str,
    cohort: str | None,
    fmt: str,
    out: Path,
    as_of: datetime | None,
    weight_cells: str,
    baseline_grace_days: int | None,
    window_months: int | None,
    language: str | None,
    remember_lang: bool,
    cpi_file: Path | None,
    quiet: bool,
) -> None:
    """Outcome report of a programme: response, labour market, expectations, satisfaction."""
    from analytics.dataset import UnknownProgrammeError
    from analytics.render import write_report
    from analytics.report import build_report

    language = _language(ctx, programme, language, remember_lang)
    cells = _weight_cells(weight_cells)
    cpi = _price_index(cpi_file)
    settings = ctx.settings
    grace = settings.baseline_grace_days if baseline_grace_days is None else baseline_grace_days
    window = settings.fieldwork_window_months if window_months is None else window_months

    started = time.perf_counter()
    bar, progress = _progress_bar(quiet)
    try:
        result = build_report(
            ctx.settings.database_url,
            programme,
            cohort,
            as_of=as_of.date() if as_of else None,
            followup_months=ctx.settings.followup_months,
            progress=progress,
            weight_cells=cells,
            grace_days=grace,
            window_months=window,
            cpi=cpi,
        )
        progress("rendering")
        bar.update(1)
        result.language = language
        path = write_report(result, fmt, out)
        bar.update(1)
    except UnknownProgrammeError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror or error}") from None
    finally:
        bar.close()
    click.echo(
        f"Wrote {fmt} report for {programme} ({result.meta['trainees']} trainees) to {path} "
        f"in {time.perf_counter() - started:.1f} s."
    )


def _weight_cells(text: str) -> tuple[str, ...]:
    """The ``--weight-cells`` option parsed, or a usage error naming the option."""
    from analytics.weights import parse_cells

    try:
        return parse_cells(text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--weight-cells") from None


def _progress_bar(quiet: bool) -> tuple[tqdm, Callable[[str], None]]:
    """The report's four-step progress bar on stderr, and the callback that advances it."""
    bar = tqdm(
        total=4,
        desc="report",
        unit="step",
        disable=True if quiet else None,
        file=sys.stderr,
        leave=False,
    )

    def progress(message: str) -> None:
        bar.set_postfix_str(message)
        if message in ("pivoting answers", "computing indicators"):
            bar.update(1)

    return bar, progress


def _language(ctx: CliContext, programme: str, language: str | None, remember: bool) -> str:
    """--lang, else the programme's setting, else English; remembered when asked."""
    if remember and not language:
        raise click.BadParameter("give the language to remember", param_hint="--lang")
    from bot.outreach.programmes import programme_language, set_programme_language

    if remember and language:
        set_programme_language(ctx.settings.database_url, programme, language)
    return language or programme_language(ctx.settings.database_url, programme)


def _price_index(path: Path | None) -> CpiTable | None:
    """The officer's CPI table of ``--cpi`` (None without one); a bad file is a usage error."""
    from analytics.cpi import CpiError, read_cpi

    try:
        return read_cpi(path) if path else None
    except CpiError as error:
        raise click.BadParameter(str(error), param_hint="--cpi") from None


@click.command("demo-data")
@click.option(
    "--trainees",
    "count",
    type=click.IntRange(min=1),
    required=True,
    help="Number of synthetic trainees.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option(
    "--programme", default=None, help="Put every trainee in one new programme with this code."
)
@click.option("--all-waves", is_flag=True, help="Make every cohort old enough for all follow-ups.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date the data is made as of (cohort dates count back from it) [default: today].",
)
@pass_cli
def demo_data(
    ctx: CliContext,
    count: int,
    seed: int,
    programme: str | None,
    all_waves: bool,
    today: datetime | None,
) -> None:
    """Insert synthetic programmes, cohorts, trainees and answers (no real personal data)."""
    from bot.demo_data import DemoDataError, generate_demo_data
    from bot.storage.migrate import upgrade_database

    url = ctx.settings.database_url
    started = time.perf_counter()
    hide = True if count < LARGE else None  # None: shown when stderr is a terminal
    with tqdm(
        total=count,
        desc="demo data",
        unit="trainee",
        disable=hide,
        file=sys.stderr,
        leave=False,
    ) as bar:
        try:
            upgrade_database(url)
            summary = generate_demo_data(
                url,
                count,
                seed=seed,
                programme=programme,
                all_waves_due=all_waves,
                progress=bar.update,
                today=today.date() if today else None,
            )
        except DemoDataError as error:
            raise click.ClickException(str(error)) from None
    click.echo(
        f"Added {summary.programmes} programme(s), {summary.cohorts} cohorts, "
        f"{summary.trainees} trainees and {summary.answers} answers "
        f"in {time.perf_counter() - started:.1f} s."
    )
