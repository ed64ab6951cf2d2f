"""``tracer status``: response rates per cohort and wave."""

from __future__ import annotations

from collections.abc import Sequence

import click

from bot.cli.common import CliContext, pass_cli
from bot.cli.options import scope_options
from bot.outreach.funnel import FunnelRow, delivery_funnel
from bot.outreach.scope import Scope
from bot.outreach.status import invitation_funnel, response_table

HEADERS = (
    "programme",
    "cohort",
    "wave",
    "trainees",
    "contacted",
    "answered",
    "rate %",
    "opted-out",
    "unreachable",
    "pending",
    "unknown",
)

FUNNEL_HEADERS = (
    "programme",
    "cohort",
    "trainees",
    "invited",
    "sent",
    "delivered",
    "failed",
    "joined",
    "answered",
)


@click.command("status")
@scope_options
@pass_cli
def status(ctx: CliContext, programme: str | None, cohort: str | None) -> None:
    """Response rates per cohort and wave (answered = wave completed; rate = of trainees;
    unknown = sends that may have gone out, see 'tracer followups resolve')."""
    rows = response_table(ctx.settings, Scope(programme, cohort))
    if not rows:
        click.echo("No cohorts yet: import some with 'tracer cohorts import'.")
        return
    table = [HEADERS] + [
        (
            row.programme,
            row.cohort,
            row.wave,
            str(row.trainees),
            str(row.contacted),
            str(row.answered),
            "-" if row.response_rate is None else f"{row.response_rate:.1f}",
            str(row.opted_out),
            str(row.unreachable),
            str(row.pending),
            str(row.unknown),
        )
        for row in rows
    ]
    _print_table(table, left=3)
    funnel = invitation_funnel(ctx.settings, Scope(programme, cohort))
    click.echo("")
    click.echo("Invitations (trainees; sent = accepted by the SMS provider or mail server):")
    _print_table(
        [FUNNEL_HEADERS]
        + [
            (
                row.programme,
                row.cohort,
                str(row.trainees),
                str(row.invited),
                str(row.sent),
                str(row.delivered),
                str(row.failed),
                str(row.joined),
                str(row.answered),
            )
            for row in funnel
        ],  # fmt: skip
        left=2,
    )
    followups = delivery_funnel(ctx.settings, Scope(programme, cohort))
    if followups:
        click.echo("")
        click.echo("Follow-up delivery (sent -> delivered -> read -> answered; '-' = no receipts):")
        _print_table([FOLLOWUP_FUNNEL_HEADERS] + [_followup_line(row) for row in followups], left=4)


FOLLOWUP_FUNNEL_HEADERS = (
    "programme", "cohort", "wave", "channel", "sent", "delivered", "read", "failed", "answered"
)  # fmt: skip


def _followup_line(row: FunnelRow) -> tuple[str, ...]:
    def cell(value: int | None) -> str:
        return "-" if value is None else str(value)

    return (
        row.programme,
        row.cohort,
        row.wave,
        row.channel,
        str(row.sent),
        cell(row.delivered),
        cell(row.read),
        cell(row.failed),
        str(row.answered),
    )


def _print_table(table: Sequence[tuple[str, ...]], left: int) -> None:
    """Columns aligned: the first ``left`` ones to the left, numbers to the right."""
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    for line in table:
        cells = [
            cell.ljust(width) if i < left else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        click.echo("  ".join(cells).rstrip())
