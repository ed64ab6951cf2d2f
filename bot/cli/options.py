"""Options shared by several ``tracer`` commands."""

from __future__ import annotations

from typing import Any, Callable

import click

F = Callable[..., Any]


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
