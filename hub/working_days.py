"""Working days in England and Wales, for statutory deadlines.

Bank holidays come from the maintained `holidays` package (subdivision England), never from a
hand-kept list, so substitute days and one-off days such as 8 May 2023 are right."""

from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.UnitedKingdom(subdiv="ENG", years=year).keys())


@lru_cache(maxsize=64)
def _weekday_holidays(year: int) -> tuple[date, ...]:
    """The year's bank holidays that fall on a weekday (a substitute day included), in order."""
    return tuple(sorted(day for day in _bank_holidays(year) if day.weekday() < 5))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def _weekdays_after(start: date, end: date) -> int:
    """Monday-to-Friday days after `start` up to and including `end` (end >= start), counted
    in whole weeks and the few days left over, not a day at a time."""
    weeks, extra = divmod((end - start).days, 7)
    first = start.weekday()
    return weeks * 5 + sum(1 for step in range(1, extra + 1) if (first + step) % 7 < 5)


def _holidays_after(start: date, end: date) -> int:
    """Weekday bank holidays after `start` up to and including `end` (end >= start)."""
    count = 0
    for year in range(start.year, end.year + 1):
        days = _weekday_holidays(year)
        count += bisect_right(days, end) - bisect_right(days, start)
    return count


def working_days_between(start: date, end: date) -> int:
    """How many working days after `start` up to and including `end` (negative if end < start).

    Arithmetic rather than a walk: a review overdue for years costs the same as one due
    tomorrow."""
    if end < start:
        return -working_days_between(end, start)
    return _weekdays_after(start, end) - _holidays_after(start, end)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start`; day 1 is the first working day after it."""
    if days < 0:
        raise ValueError("days must not be negative")
    current, counted = start, 0
    # Each working day still owed is at least one calendar day away, so jumping that far never
    # passes the answer, and a jump that reaches the count ends on a working day (a weekend or
    # holiday in it would have left the count short, for the next jump to make up).
    while counted < days:
        current += timedelta(days=days - counted)
        counted = working_days_between(start, current)
    return current


def subtract_working_days(end: date, days: int) -> date:
    """The date `days` working days before `end`, counted back the same way: day 1 is the first
    working day before it. For "send a copy 7 working days before publication"."""
    if days < 0:
        raise ValueError("days must not be negative")
    current, counted = end, 0
    while counted < days:
        current -= timedelta(days=days - counted)
        # Working days from `current` up to the day before `end`, both included.
        counted = working_days_between(current - timedelta(days=1), end - timedelta(days=1))
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
