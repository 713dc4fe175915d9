"""Cells as their spreadsheet's user typed them: text, lists, dates."""

import re
from datetime import date, datetime

# A spreadsheet runs a cell that starts with one of these: the export writes such text after an
# apostrophe (`partnership.exports`), and `cell_text` takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value) -> str:
    """A cell as the text its user typed: whole numbers without ".0", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    # The export writes text that starts like a formula after an apostrophe: take it off.
    if text.startswith("'") and text[1:2] in FORMULA_STARTS and text[1:2]:
        text = text[1:].strip()
    return text


def split_list(value) -> list[str]:
    """Themes and agencies are separated by semicolons (commas live inside agency names)."""
    return [part.strip() for part in cell_text(value).split(";") if part.strip()]


_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(value) -> date | None:
    """An ISO 8601 date, a dd/mm/yyyy date (the UK way), or a spreadsheet date cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    if not text:
        return None
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            return date.fromisoformat(text)
        if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", text):
            return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    raise ValueError(f"{text} is not a date (write 2026-03-31 or 31/03/2026)")
