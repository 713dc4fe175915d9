"""How the Hub writes dates and links in its emails, pages and files: one way each.

Dates are written as people in England write them ("15 March 2026", with the weekday where a
day of the week helps, as for a training session); links in emails and calendar files are
absolute, from WAGTAILADMIN_BASE_URL, since there is no request to build them from."""

from datetime import date

from django.conf import settings


def long_date(day: date, weekday: bool = False) -> str:
    """ "15 March 2026", or "Sunday 15 March 2026" with `weekday`."""
    text = f"{day.day} {day:%B %Y}"
    return f"{day:%A} {text}" if weekday else text


def site_url(path: str = "") -> str:
    """The Hub's address for `path` ("/my-actions/"), for a message read away from the Hub."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def site_host() -> str:
    """The Hub's host name, as calendar files name the events they hold."""
    return settings.WAGTAILADMIN_BASE_URL.split("://", 1)[-1].split("/", 1)[0]
