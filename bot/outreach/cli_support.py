"""Small helpers shared by the outreach CLI commands: options and error messages."""

from __future__ import annotations

import functools
from typing import Any, Callable

import click
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from bot.config import ConfigError
from bot.outreach.clock import ClockError

F = Callable[..., Any]


def friendly_errors(function: F) -> F:
    """Turn expected failures into a one-line message and a non-zero exit, never a traceback."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (ClockError, ConfigError) as error:
            raise click.ClickException(str(error)) from None
        except OperationalError as error:
            reason = str(error.orig) if error.orig is not None else error.__class__.__name__
            raise click.ClickException(
                f"database problem ({reason}); is it created? run 'tracer db upgrade'"
            ) from None
        except SQLAlchemyError as error:
            raise click.ClickException(f"database error: {error.__class__.__name__}") from None

    return wrapper


def scope_options(function: F) -> F:
    """``--programme`` and ``--cohort`` options."""
    function = click.option("--cohort", "cohort", help="Only this cohort (code).")(function)
    return click.option("--programme", "programme", help="Only this programme (code).")(function)


def now_option(function: F) -> F:
    """``--now`` option to simulate the clock."""
    return click.option(
        "--now",
        "now_text",
        metavar="ISO",
        help="Pretend it is this time (UTC unless an offset is given), e.g. 2027-06-01T10:00.",
    )(function)
