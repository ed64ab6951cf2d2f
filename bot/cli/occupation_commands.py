"""``tracer occupations``: the ISCO-08 coding queue, officer coding, trained-for codes."""

from __future__ import annotations

import click

from bot.cli.common import CliContext, pass_cli
from bot.occupations.isco import default_index
from bot.questionnaire.loader import default_questionnaire


@click.group()
def occupations() -> None:
    """Occupation titles coded to ISCO-08 (unit groups)."""


@occupations.command("queue")
@click.option(
    "--language",
    type=click.Choice(["en", "fr", "es"]),
    default="en",
    show_default=True,
    help="Language of the suggested titles.",
)
@pass_cli
def queue(ctx: CliContext, language: str) -> None:
    """Typed titles no trainee confirmed a code for, with three suggestions each."""
    from bot.occupations.coding import coding_queue

    items = coding_queue(ctx.settings.database_url, default_questionnaire())
    if not items:
        click.echo("Nothing to code.")
        return
    index = default_index()
    for item in items:
        click.echo(f"{item.trainee_id} {item.wave} {item.question_code}: {item.title!r}")
        for code in item.suggestions:
            click.echo(f"    {code} {index.title(code, language)}")
    click.echo(f"{len(items)} to code: tracer occupations code TRAINEE WAVE QUESTION ISCO")


@occupations.command("code")
@click.argument("trainee_id", type=int)
@click.argument("wave")
@click.argument("question")
@click.argument("isco")
@pass_cli
def code(ctx: CliContext, trainee_id: int, wave: str, question: str, isco: str) -> None:
    """Code the title TRAINEE_ID gave to QUESTION in WAVE as ISCO-08 unit group ISCO."""
    from bot.occupations.coding import code_title

    try:
        code_title(ctx.store, default_questionnaire(), (trainee_id, wave, question), isco)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Coded {question} of trainee {trainee_id} ({wave}) as {isco} "
        f"{default_index().title(isco, 'en')}."
    )


@occupations.command("programme")
@click.argument("programme")
@click.argument("codes", nargs=-1, required=True)
@pass_cli
def programme(ctx: CliContext, programme: str, codes: tuple[str, ...]) -> None:
    """Declare the ISCO-08 unit groups PROGRAMME trains for (e.g. 7411 7412)."""
    from bot.occupations.coding import declare_programme_codes

    try:
        declare_programme_codes(ctx.settings.database_url, programme, list(codes))
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{programme} trains for {' '.join(codes)}.")


@occupations.command("match")
@pass_cli
def match(ctx: CliContext) -> None:
    """Per programme: share working in the occupation trained for, and in the one desired."""
    from analytics.occupation_match import occupation_match

    def share(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.0%}"

    for row in occupation_match(ctx.settings.database_url):
        click.echo(
            f"{row.programme}: trained for {' '.join(row.trained_for) or '(not declared)'}; "
            f"working in the occupation trained for {share(row.share_trained)} "
            f"({row.in_trained_occupation}/{row.coded} coded current occupations); "
            f"in the occupation desired at baseline {share(row.share_desired)} "
            f"({row.in_desired_occupation}/{row.with_desired})"
        )
