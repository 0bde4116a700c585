"""The newsroom's clock: times are stored as naive UTC, and editors type and read them in
the newsroom's time zone (`NEWSROOM_TIMEZONE`, an IANA name such as Europe/Berlin; UTC
by default)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app


def zone_named(name: str) -> ZoneInfo:
    """The time zone called `name`, or a clear error naming the setting."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        message = f"NEWSROOM_TIMEZONE={name!r} is not a time zone name (try Europe/Berlin)."
        raise RuntimeError(message) from error


def check_settings(app: Flask) -> None:
    """Refuse to start with a NEWSROOM_TIMEZONE that names no time zone."""
    zone_named(app.config["NEWSROOM_TIMEZONE"])


def zone() -> ZoneInfo:
    """The newsroom's time zone."""
    return zone_named(current_app.config["NEWSROOM_TIMEZONE"])


def local(moment: datetime) -> datetime:
    """A stored moment (naive UTC) as the newsroom's wall clock shows it (naive)."""
    return moment.replace(tzinfo=UTC).astimezone(zone()).replace(tzinfo=None)


def stored(day: date, at: time) -> datetime:
    """The stored moment (naive UTC) of `day` at `at` on the newsroom's wall clock."""
    return datetime.combine(day, at, tzinfo=zone()).astimezone(UTC).replace(tzinfo=None)


def minute_of(moment: datetime) -> time:
    """The wall-clock minute of a stored moment: what the time field shows."""
    return local(moment).time().replace(second=0, microsecond=0)


def label(moment: datetime | None) -> str:
    """A stored moment for editors: `3 Dec 2026, 09:30 (Europe/Berlin)`."""
    if moment is None:
        return ""
    shown = local(moment)
    return f"{shown.day} {shown:%b %Y, %H:%M} ({zone().key})"
