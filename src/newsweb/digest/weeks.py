"""ISO weeks as the digest names them: `2026-W25`, Monday to Sunday, in UTC."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from newsweb.models.clock import utcnow

# The newsroom has nothing older; earlier years are not weeks we could have a digest for.
FIRST_YEAR = 2000
_WEEK_PATTERN = re.compile(r"([0-9]{4})-W([0-9]{2})")
_ONE_WEEK = timedelta(days=7)
_DASH = " \N{EN DASH} "


@dataclass(frozen=True, order=True)
class IsoWeek:
    """One ISO 8601 week: the year it belongs to (not always the calendar year) and its number."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek | None:
        """Read `2026-W25`; None for anything else (W00, W54, W53 in a 52-week year, letters)."""
        match = _WEEK_PATTERN.fullmatch(text)
        if match is None:
            return None
        year, number = int(match[1]), int(match[2])
        if year < FIRST_YEAR:
            return None
        try:
            date.fromisocalendar(year, number, 1)
        except ValueError:
            return None
        return cls(year, number)

    @classmethod
    def containing(cls, moment: date | datetime) -> IsoWeek:
        """The week `moment` falls in."""
        year, number, _ = moment.isocalendar()
        return cls(year, number)

    @property
    def first_day(self) -> date:
        """The Monday that opens the week."""
        return date.fromisocalendar(self.year, self.number, 1)

    @property
    def last_day(self) -> date:
        """The Sunday that closes the week."""
        return self.first_day + timedelta(days=6)

    @property
    def starts_at(self) -> datetime:
        """Midnight UTC at the start of Monday (naive, as every column stores time)."""
        return datetime.combine(self.first_day, time())

    @property
    def ends_at(self) -> datetime:
        """Midnight UTC at the start of the next Monday: the week is [starts_at, ends_at)."""
        return self.starts_at + _ONE_WEEK

    @property
    def previous(self) -> IsoWeek:
        """The week before this one."""
        return IsoWeek.containing(self.first_day - _ONE_WEEK)

    @property
    def following(self) -> IsoWeek:
        """The week after this one."""
        return IsoWeek.containing(self.first_day + _ONE_WEEK)

    @property
    def date_range(self) -> str:
        """The days the week spans, as the site prints dates: `June 15 - 21, 2026` (en dash)."""
        first, last = self.first_day, self.last_day
        if first.year != last.year:
            return f"{first:%B} {first.day}, {first.year}{_DASH}{last:%B} {last.day}, {last.year}"
        if first.month != last.month:
            return f"{first:%B} {first.day}{_DASH}{last:%B} {last.day}, {last.year}"
        return f"{first:%B} {first.day}{_DASH}{last.day}, {last.year}"

    def __str__(self) -> str:
        """The week as it appears in URLs: `2026-W25`."""
        return f"{self.year}-W{self.number:02d}"


def this_week() -> IsoWeek:
    """The ISO week it is now, in UTC."""
    return IsoWeek.containing(utcnow())


def last_complete_week() -> IsoWeek:
    """The most recent week that has ended (the one before this one, in UTC)."""
    return this_week().previous
