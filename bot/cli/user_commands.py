"""``tracer users``: console accounts (add, list, assign a programme, disable).

There is no default account: the first administrator is created here, on the server.
"""

from __future__ import annotations

import click

from bot.cli.common import CliContext, pass_cli
from bot.console import accounts, audit
from bot.storage.console_models import ROLES


@click.group()
def users() -> None:
    """Accounts of the officer console (python -m bot.console / make run)."""


def _fail(error: accounts.AccountError) -> None:
    raise click.ClickException(str(error))


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True, help="What the account may do.")
@click.option("--language", type=click.Choice(accounts.LANGUAGES), default="en", show_default=True)
@click.option(
    "--programme", "programmes", multiple=True, help="Assign this programme (repeatable)."
)
@click.password_option(help="Password (asked twice when not given; at least 10 characters).")
@pass_cli
def add(
    ctx: CliContext,
    username: str,
    role: str,
    language: str,
    programmes: tuple[str, ...],
    password: str,
) -> None:
    """Create account USERNAME with a role (admin, officer or researcher)."""
    url = ctx.settings.database_url
    try:
        accounts.add_user(url, username, password, role, language)
        for code in programmes:
            accounts.assign(url, username, code)
    except accounts.AccountError as error:
        _fail(error)
    audit.log(url, "cli", "user_add", "ok", target=f"{username} ({role})")
    click.echo(f"Added {role} {username}.")


@users.command("list")
@pass_cli
def list_command(ctx: CliContext) -> None:
    """List accounts with role, state and programmes."""
    rows = accounts.list_users(ctx.settings.database_url)
    if not rows:
        click.echo(
            "No accounts yet: add the first admin with 'tracer users add NAME --role admin'."
        )
    for account in rows:
        state = "disabled" if account.disabled else "active"
        click.echo(
            f"{account.username}\t{account.role}\t{state}\t{','.join(account.programmes) or '-'}"
        )


@users.command("assign")
@click.argument("username")
@click.argument("programme")
@click.option("--remove", is_flag=True, help="Take the programme back instead.")
@pass_cli
def assign(ctx: CliContext, username: str, programme: str, remove: bool) -> None:
    """Let USERNAME act on PROGRAMME (or stop, with --remove)."""
    url = ctx.settings.database_url
    try:
        account = accounts.assign(url, username, programme, remove=remove)
    except accounts.AccountError as error:
        _fail(error)
    audit.log(
        url,
        "cli",
        "user_unassign" if remove else "user_assign",
        "ok",
        target=f"{username} → {programme}",
    )
    click.echo(f"{username}: programmes {', '.join(account.programmes) or 'none'}.")


@users.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Re-enable the account instead.")
@pass_cli
def disable(ctx: CliContext, username: str, enable: bool) -> None:
    """Disable USERNAME (its sessions end at once), or re-enable it."""
    url = ctx.settings.database_url
    try:
        accounts.set_disabled(url, username, not enable)
    except accounts.AccountError as error:
        _fail(error)
    audit.log(url, "cli", "user_enable" if enable else "user_disable", "ok", target=username)
    click.echo(f"{'Enabled' if enable else 'Disabled'} {username}.")
