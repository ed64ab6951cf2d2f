"""``tracer feedback``: preview, then send, a closed wave's results to the trainees who gave them.

``preview`` writes nothing to the database: it prints the figures (as ``tracer report``
computes them, after small-cell suppression), who would get them and who not (by reason), the
message in each language, and writes the public page in each language to files to open.
``send`` publishes the page and sends each message once, at the follow-ups' pace, outside
quiet hours, skipping opt-outs; run it again later for those held back.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from bot.cli.common import CliContext, pass_cli
from bot.cli.options import now_option
from bot.feedback.page import render_page
from bot.feedback.recipients import FeedbackError
from bot.feedback.send import Prepared, feedback_transports, prepare, send_feedback
from bot.i18n.languages import enabled_languages
from bot.outreach.clock import parse_now


@click.group()
def feedback() -> None:
    """Results sent back to trainees when a wave closes (docs/feedback.md)."""


def _wave_options(function):
    function = click.option("--wave", required=True, help="Wave id, e.g. exit, followup_6.")(
        function
    )
    function = click.option("--cohort", required=True, help="Cohort code.")(function)
    return click.option("--programme", required=True, help="Programme code.")(function)


def _prepared(ctx: CliContext, programme: str, cohort: str, wave: str, now_text: str | None):
    settings = ctx.settings
    transports = feedback_transports(settings)
    try:
        prepared = prepare(settings, programme, cohort, wave, parse_now(now_text), transports)
    except FeedbackError as error:
        raise click.ClickException(str(error)) from None
    return settings, transports, prepared


def _echo_counts(prepared: Prepared) -> None:
    summary = prepared.summary
    if summary.scope is None:
        click.echo("Figures: none can be published (too few respondents, cohort and programme).")
    else:
        click.echo(f"Figures of the {summary.scope} (the report's, small cells hidden):")
        for figure in summary.figures:
            click.echo(f"  {figure.indicator}: {figure.value:.1f}% (n={figure.n})")
    recipients = prepared.recipients
    skipped = ", ".join(f"{k}: {v}" for k, v in sorted(recipients.counts.items())) or "none"
    languages = Counter(r.language for r in recipients.to_send)
    by_language = ", ".join(f"{k}: {v}" for k, v in sorted(languages.items())) or "none"
    click.echo(
        f"Would write to {len(recipients.to_send)} trainees ({by_language}); not now: {skipped}."
    )


@feedback.command("preview")
@_wave_options
@now_option
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Folder for the page in each language (default var/feedback/...).")  # fmt: skip
@pass_cli
def preview(
    ctx: CliContext, programme: str, cohort: str, wave: str, now_text: str | None, out: Path | None
) -> None:
    """Show the figures, recipients and messages, and write the page; sends nothing."""
    settings, _, prepared = _prepared(ctx, programme, cohort, wave, now_text)
    _echo_counts(prepared)
    out = out or Path("var") / "feedback" / f"{programme}-{cohort}-{wave}"
    out.mkdir(parents=True, exist_ok=True)
    for language in enabled_languages():
        text = prepared.message(settings, language)
        click.echo(f"[{language}] {text or '(nothing is sent: no publishable figure)'}")
        page = out / f"summary-{language}.html"
        page.write_text(render_page(prepared.summary, language), encoding="utf-8")
        click.echo(f"[{language}] page: {page}")


@feedback.command("send")
@_wave_options
@now_option
@pass_cli
def send(ctx: CliContext, programme: str, cohort: str, wave: str, now_text: str | None) -> None:
    """Publish the page and send each respondent their results message once."""
    settings, transports, prepared = _prepared(ctx, programme, cohort, wave, now_text)
    if not transports:
        raise click.ClickException("no channel to send on: set TELEGRAM_BOT_TOKEN, SMS or e-mail")
    _echo_counts(prepared)
    report = send_feedback(settings, prepared, transports)
    languages = ", ".join(f"{k}: {v}" for k, v in sorted(report.by_language.items())) or "none"
    skipped = ", ".join(f"{k}: {v}" for k, v in sorted(report.skipped.items())) or "none"
    click.echo(
        f"Sent {report.sent} ({languages}); failed {report.failed}; unknown {report.unknown}; "
        f"to retry later {report.retry_later}; already claimed {report.not_claimed}; "
        f"skipped: {skipped}."
    )
