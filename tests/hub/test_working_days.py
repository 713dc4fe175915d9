"""The working-day calendar: England's bank holidays, substitute and one-off days, months."""

import random
from datetime import date, timedelta

import pytest

from hub.working_days import (
    add_months,
    add_working_days,
    is_working_day,
    subtract_working_days,
    working_days_between,
)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 12, 25),  # Christmas Day, a Friday
        date(2026, 12, 28),  # Monday substitute for Boxing Day on a Saturday
        date(2027, 1, 1),  # New Year's Day
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 6),  # Easter Monday
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2023, 5, 8),  # one-off: the coronation
        date(2022, 9, 19),  # one-off: the state funeral
        date(2026, 12, 26),  # a Saturday
        date(2026, 12, 27),  # a Sunday
    ],
)
def test_bank_holidays_and_weekends_are_not_working_days(day):
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day", [date(2026, 12, 24), date(2026, 12, 29), date(2026, 4, 7), date(2023, 5, 9)]
)
def test_ordinary_weekdays_are_working_days(day):
    assert is_working_day(day)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2026, 3, 6), 1, date(2026, 3, 9)),  # Friday to Monday
        (date(2026, 12, 24), 1, date(2026, 12, 29)),  # over Christmas and the substitute day
        (date(2026, 12, 24), 3, date(2026, 12, 31)),
        (date(2026, 12, 24), 4, date(2027, 1, 4)),  # over New Year's Day
        (date(2026, 4, 2), 1, date(2026, 4, 7)),  # over Easter 2026
        (date(2027, 3, 25), 1, date(2027, 3, 30)),  # over Easter 2027
        (date(2023, 5, 5), 1, date(2023, 5, 9)),
        (date(2022, 9, 16), 1, date(2022, 9, 20)),
        (date(2026, 3, 7), 1, date(2026, 3, 9)),  # day 1 after a Saturday is Monday
        (date(2026, 3, 9), 0, date(2026, 3, 9)),
    ],
)
def test_add_working_days_counts_day_one_as_the_first_working_day_after(start, days, expected):
    assert add_working_days(start, days) == expected


def test_working_days_between_skips_holidays_both_ways():
    assert working_days_between(date(2026, 12, 24), date(2027, 1, 4)) == 4
    assert working_days_between(date(2027, 1, 4), date(2026, 12, 24)) == -4
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1


def test_subtract_working_days_counts_back_over_holidays():
    assert subtract_working_days(date(2026, 12, 29), 1) == date(2026, 12, 24)
    assert subtract_working_days(date(2026, 4, 7), 2) == date(2026, 4, 1)
    assert subtract_working_days(date(2027, 1, 4), 4) == date(2026, 12, 24)
    with pytest.raises(ValueError):
        subtract_working_days(date(2026, 1, 5), -1)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # a leap year
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 7, 15), 6, date(2027, 1, 15)),
        (date(2026, 11, 30), 24, date(2028, 11, 30)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(start, months, expected):
    assert add_months(start, months) == expected


def _walked_between(start, end):
    """The calendar walked a day at a time: what the arithmetic must agree with."""
    if end < start:
        return -_walked_between(end, start)
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        count += is_working_day(current)
    return count


def _walked_add(start, days):
    current = start
    while days:
        current += timedelta(days=1)
        days -= is_working_day(current)
    return current


def _walked_subtract(end, days):
    current = end
    while days:
        current -= timedelta(days=1)
        days -= is_working_day(current)
    return current


def test_the_arithmetic_agrees_with_walking_the_calendar_day_by_day():
    """Every start over two years of weekends, Christmases, Easters and one-off days, with
    spans from none to several years."""
    chance = random.Random(17)
    starts = [date(2022, 9, 1) + timedelta(days=n) for n in range(0, 800, 3)]
    for start in starts:
        for days in (0, 1, 2, 4, 5, 6, 9, 20, chance.randrange(1, 900)):
            assert add_working_days(start, days) == _walked_add(start, days), (start, days)
            assert subtract_working_days(start, days) == _walked_subtract(start, days), (
                start,
                days,
            )
        end = start + timedelta(days=chance.randrange(-1200, 1200))
        assert working_days_between(start, end) == _walked_between(start, end), (start, end)
