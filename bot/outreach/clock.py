"""Time helpers for outreach: a simulated "now", time zones and quiet hours.

Every timestamp in the database is naive UTC; local times exist only to apply quiet hours
and to place a wave's due date at the start of the trainee's day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class ClockError(ValueError):
    """A time or time zone given by the user cannot be understood."""


def parse_now(text: str | None) -> datetime:
    """Naive UTC "now": the ISO ``text`` (naive means UTC) or the real clock when None."""
    if not text:
        return datetime.now(timezone.utc).replace(tzinfo=None)
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as error:
        message = f"--now must be an ISO date or time, e.g. 2027-06-01T10:00 (got {text!r})"
        raise ClockError(message) from error
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


@lru_cache(maxsize=256)
def zone(name: str | None, default: str = "UTC") -> ZoneInfo:
    """The time zone called ``name`` (``default`` when empty); ``ClockError`` when unknown."""
    key = (name or "").strip() or default
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError) as error:
        message = f"unknown time zone {key!r} (use an IANA name like Africa/Dakar)"
        raise ClockError(message) from error


def is_valid_zone(name: str) -> bool:
    """True when ``name`` is a known IANA time zone."""
    try:
        zone(name)
    except ClockError:
        return False
    return True


def to_local(moment_utc: datetime, tz: ZoneInfo) -> datetime:
    """A naive UTC datetime as an aware local datetime in ``tz``."""
    return moment_utc.replace(tzinfo=timezone.utc).astimezone(tz)


def to_utc(local: datetime) -> datetime:
    """An aware local datetime as naive UTC."""
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def in_quiet_hours(hour: int, quiet: tuple[int, int]) -> bool:
    """True when local ``hour`` falls in quiet hours ``(start, end)``; start == end means none."""
    start, end = quiet
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def is_quiet(moment_utc: datetime, tz: ZoneInfo, quiet: tuple[int, int]) -> bool:
    """True when ``moment_utc`` is inside quiet hours in time zone ``tz``."""
    return in_quiet_hours(to_local(moment_utc, tz).hour, quiet)


def out_of_quiet_hours(moment_utc: datetime, tz: ZoneInfo, quiet: tuple[int, int]) -> datetime:
    """``moment_utc``, or the end of the quiet period it falls in (naive UTC)."""
    local = to_local(moment_utc, tz)
    if not in_quiet_hours(local.hour, quiet):
        return moment_utc
    end = quiet[1]
    day = local.date() if local.hour < end else local.date() + timedelta(days=1)
    return to_utc(datetime.combine(day, time(end), tzinfo=tz))


def local_day_start(day: date, tz: ZoneInfo, quiet: tuple[int, int]) -> datetime:
    """Naive UTC of the first moment of ``day`` in ``tz`` that is outside quiet hours."""
    midnight = to_utc(datetime.combine(day, time(0), tzinfo=tz))
    return out_of_quiet_hours(midnight, tz, quiet)


def local_today(moment_utc: datetime, tz: ZoneInfo) -> date:
    """The local calendar date in ``tz`` at ``moment_utc``."""
    return to_local(moment_utc, tz).date()
