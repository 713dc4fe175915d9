"""Dates as people in England write them: 15/03/2026, 15/3/2026, 2026-03-15, 15 March 2026, and
times as 09:30. One reading for the whole Hub: the site's GOV.UK date boxes and the admin's date
fields both end in `real_date`, so a date that does not exist (31/02/2026) is refused everywhere
rather than rolled on to another day.

Day comes before month whenever the year is last; the year is always written in full, because
15/03/26 could be 1926 or 2026 and a statutory clock must not guess."""

import re
from datetime import date, datetime, time

# The years a safeguarding record can hold; anything else is a typing slip (0226, 20026).
FIRST_YEAR, LAST_YEAR = 1900, 2200

# Written out in English whatever the browser's language: the partnership writes in English.
MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})
MONTHS["sept"] = 9

DAY_FIRST = re.compile(r"(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})")
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
WRITTEN_OUT = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})", re.IGNORECASE)
# The time at the end, after a space, a comma or ISO's T: 09:30, 9:30, 9.30, 09:30:00.
TIME_AT_END = re.compile(r"(.+?)(?:\s*,\s*|\s+|T)(\d{1,2})[:.](\d{2})(?::(\d{2}))?", re.IGNORECASE)


def real_date(day, month, year) -> date:
    """The date of these numbers, or ValueError if there is no such day (31 February)."""
    day, month, year = int(day), int(month), int(year)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} is not a year the Hub records")
    return date(year, month, day)


def parse_date(text: str) -> date:
    """Read a date as typed, or raise ValueError: never a nearby date instead."""
    text = " ".join(str(text).split())
    if match := DAY_FIRST.fullmatch(text):
        day, _, month, year = match.groups()
        return real_date(day, month, year)
    if match := ISO.fullmatch(text):
        year, month, day = match.groups()
        return real_date(day, month, year)
    if match := WRITTEN_OUT.fullmatch(text):
        day, name, year = match.groups()
        if name.lower() not in MONTHS:
            raise ValueError(f"{name!r} is not a month")
        return real_date(day, MONTHS[name.lower()], year)
    raise ValueError(f"{text!r} is not a date written as the Hub reads dates")


def parse_date_time(text: str) -> datetime:
    """Read a date and a 24-hour time as typed (10/02/2027 09:30), or raise ValueError. The
    result is naive: the form makes it London time."""
    text = " ".join(str(text).split())
    match = TIME_AT_END.fullmatch(text)
    if not match:
        raise ValueError(f"{text!r} has no time of day")
    day_part, hour, minute, second = match.groups()
    return datetime.combine(parse_date(day_part), time(int(hour), int(minute), int(second or 0)))
