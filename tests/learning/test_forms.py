"""The site's GOV.UK date boxes read dates with the same rules as the admin (partnership.dates)."""

from datetime import date

from learning.forms import ExtensionForm


def extension(day, month, year):
    return ExtensionForm(
        {
            "new_date_day": day,
            "new_date_month": month,
            "new_date_year": year,
            "reason": "The audit moved.",
        }
    )


def test_a_real_date_in_the_three_boxes_is_read():
    form = extension("27", "3", "2027")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["new_date"] == date(2027, 3, 27)


def test_a_year_typed_short_is_refused_not_read_as_the_first_century():
    form = extension("27", "3", "27")
    assert form.errors["new_date"] == [
        "The new due date must be a real date, for example 27 3 2027"
    ]
