"""Working days in England and Wales, for statutory deadlines.

Bank holidays come from the maintained `holidays` package (subdivision England), never from a
hand-kept list, so substitute days and one-off days such as 8 May 2023 are right."""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.UnitedKingdom(subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start`; day 1 is the first working day after it."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """How many working days after `start` up to and including `end` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def subtract_working_days(end: date, days: int) -> date:
    """The date `days` working days before `end`, counted back the same way: day 1 is the first
    working day before it. For "send a copy 7 working days before publication"."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = end
    remaining = days
    while remaining:
        current -= timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def add_months(start: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier), or the month's last day when it
    is shorter: 31 August + 6 months is the last day of February, as people count "6 months"."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, _days_in_month(year, month)))


def _days_in_month(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day
