"""Reading dates as people in England write them, and refusing the ones that do not exist."""

from datetime import date, datetime

import pytest

from partnership.dates import parse_date, parse_date_time, real_date


@pytest.mark.parametrize(
    "typed",
    [
        "15/03/2026",
        "15/3/2026",
        " 15 / 03 / 2026 ",
        "15-03-2026",
        "15.03.2026",
        "2026-03-15",
        "15 March 2026",
        "15 march 2026",
        "15 Mar 2026",
        "15th March 2026",
    ],
)
def test_a_date_is_read_day_first_or_iso_or_written_out(typed):
    assert parse_date(typed) == date(2026, 3, 15)


def test_a_single_digit_day_and_month_are_day_then_month():
    assert parse_date("1/2/2026") == date(2026, 2, 1)
    assert parse_date("23 November 2026") == date(2026, 11, 23)
    assert parse_date("5 Sept 2026") == date(2026, 9, 5)


@pytest.mark.parametrize(
    "typed",
    [
        "31/02/2026",
        "2026-02-31",
        "29/02/2026",
        "31 April 2026",
        "32/01/2026",
        "15/13/2026",
        "00/01/2026",
        "15/03/26",
        "15/03/0026",
        "03/15/2026",
        "15 Marchember 2026",
        "March 15 2026",
        "15/03-2026",
        "tomorrow",
        "",
    ],
)
def test_a_date_that_does_not_exist_or_cannot_be_read_is_refused(typed):
    with pytest.raises(ValueError):
        parse_date(typed)


def test_the_29th_of_february_is_real_in_a_leap_year_only():
    assert parse_date("29/02/2028") == date(2028, 2, 29)


@pytest.mark.parametrize(
    "typed",
    [
        "10/02/2027 09:30",
        "10/2/2027 9:30",
        "10/02/2027 09.30",
        "10/02/2027, 09:30",
        "2027-02-10 09:30",
        "2027-02-10T09:30",
        "2027-02-10 09:30:00",
        "10 February 2027 09:30",
    ],
)
def test_a_date_and_time_is_read_with_a_24_hour_time(typed):
    assert parse_date_time(typed) == datetime(2027, 2, 10, 9, 30)


@pytest.mark.parametrize(
    "typed",
    ["10/02/2027", "31/02/2027 09:30", "10/02/2027 24:00", "10/02/2027 09:60", "09:30", ""],
)
def test_a_date_and_time_without_a_real_date_or_time_is_refused(typed):
    with pytest.raises(ValueError):
        parse_date_time(typed)


def test_real_date_refuses_years_no_record_holds():
    assert real_date(15, 3, 2026) == date(2026, 3, 15)
    with pytest.raises(ValueError):
        real_date(15, 3, 26)
