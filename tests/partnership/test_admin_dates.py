"""The admin's date fields: what they accept, what they refuse, what they show, and that every
admin form gets them, down to Wagtail's own schedule-publishing fields; then a review's aware
date typed as people type it, through the admin's edit form."""

from datetime import UTC, date, datetime

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from partnership.access import SharingLevel
from partnership.admin_dates import DateField, DateInput, DateTimeField, DateTimeInput
from reviews.models import Review
from tests.admin_forms import form_data
from tests.reviews.conftest import make_admin_review

REAL_DATE = "Enter a real date, for example 15/03/2026"
REAL_DATE_TIME = "Enter a real date and time, for example 10/02/2027 09:30"


class DatesForm(forms.Form):
    aware_date = DateField(required=False, help_text="When the partnership became aware.")
    starts_at = DateTimeField(required=False)


@pytest.mark.parametrize(
    "typed", ["15/03/2026", "15/3/2026", "2026-03-15", "15 March 2026", "15 Mar 2026"]
)
def test_the_date_field_accepts_dates_as_people_in_england_type_them(typed):
    form = DatesForm({"aware_date": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["aware_date"] == date(2026, 3, 15)


def test_the_date_field_reads_a_date_written_out():
    form = DatesForm({"aware_date": "23 November 2026"})
    assert form.is_valid() and form.cleaned_data["aware_date"] == date(2026, 11, 23)


@pytest.mark.parametrize("typed", ["31/02/2026", "2026-02-31", "15/03/26", "03/15/2026", "soon"])
def test_the_date_field_refuses_a_date_that_does_not_exist_and_keeps_what_was_typed(typed):
    form = DatesForm({"aware_date": typed})
    assert not form.is_valid()
    assert form.errors["aware_date"] == [REAL_DATE]
    assert f'value="{typed}"' in str(form["aware_date"])


def test_the_date_field_shows_a_date_as_dd_mm_yyyy_with_the_format_as_a_hint():
    form = DatesForm(initial={"aware_date": date(2026, 3, 5)})
    html = str(form["aware_date"])
    assert 'value="05/03/2026"' in html and 'type="text"' in html
    assert form.fields["aware_date"].help_text == (
        "When the partnership became aware. For example, 15/03/2026"
    )
    assert form.fields["starts_at"].help_text == "For example, 10/02/2027 09:30"


@pytest.mark.parametrize(
    "typed", ["10/02/2027 09:30", "10/2/2027 9:30", "2027-02-10 09:30", "10 February 2027 09:30"]
)
def test_the_date_time_field_reads_a_24_hour_time_in_london(typed):
    form = DatesForm({"starts_at": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == timezone.make_aware(datetime(2027, 2, 10, 9, 30))


@pytest.mark.parametrize("typed", ["31/02/2027 09:30", "10/02/2027", "10/02/2027 25:00"])
def test_the_date_time_field_refuses_what_is_not_a_real_date_and_time(typed):
    form = DatesForm({"starts_at": typed})
    assert not form.is_valid()
    assert form.errors["starts_at"] == [REAL_DATE_TIME]


def test_a_time_the_clocks_skip_is_refused_not_moved():
    # The clocks go forward at 01:00 on Sunday 28 March 2027: 01:30 never happens in London.
    form = DatesForm({"starts_at": "28/03/2027 01:30"})
    assert not form.is_valid() and "starts_at" in form.errors


def test_the_date_time_field_shows_london_time_as_dd_mm_yyyy_hh_mm():
    # 08:30 UTC in June is 09:30 in London (BST).
    form = DatesForm(initial={"starts_at": datetime(2027, 6, 10, 8, 30, tzinfo=UTC)})
    assert 'value="10/06/2027 09:30"' in str(form["starts_at"])


def test_a_panel_that_asks_for_wagtails_picker_gets_the_plain_box_with_its_attributes():
    picker = AdminDateTimeInput(attrs={"data-controller": "w-action"})
    field = DateTimeField(widget=picker)
    assert type(field.widget) is DateTimeInput
    assert field.widget.attrs["data-controller"] == "w-action"
    assert "DateTimeChooser" not in field.widget.render("go_live_at", None)
    assert type(DateField(widget=AdminDateInput).widget) is DateInput


@pytest.mark.django_db
def test_every_admin_form_gets_the_plain_date_fields():
    from learning.models import Action
    from training.models import Course, Session

    for model, name, field_class in [
        (Review, "aware_date", DateField),
        (Action, "due_date", DateField),
        (Session, "starts_at", DateTimeField),
        (Course, "go_live_at", DateTimeField),
    ]:
        field = model.get_edit_handler().get_form_class().base_fields[name]
        assert type(field) is field_class, (model, name)
        assert not isinstance(field.widget, AdminDateInput | AdminDateTimeInput), (model, name)


# A review's aware date through the admin ----------------------------------------------------


def edit_form_data(client, url) -> dict:
    """What the edit form would post unchanged: its fields and its formsets' rows."""
    return form_data(client.get(url).context["form"])


@pytest.fixture
def review(wirral, people):
    return make_admin_review(
        wirral,
        "WIR-RR-2026-30",
        SharingLevel.PARTNERSHIP,
        panel=[people["reviewer"]],
        aware_date=date(2026, 1, 6),
    )


@pytest.mark.django_db
def test_a_reviewer_types_the_aware_date_as_dd_mm_yyyy_and_it_is_stored(client, people, review):
    client.force_login(people["reviewer"])
    edit = reverse("wagtailsnippets_reviews_review:edit", args=[review.pk])
    assert 'value="06/01/2026"' in client.get(edit).content.decode()
    data = edit_form_data(client, edit)
    data["aware_date"] = "15/03/2026"
    response = client.post(edit, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    stored = Review.objects.get(pk=review.pk).get_latest_revision_as_object()
    assert stored.aware_date == date(2026, 3, 15)


@pytest.mark.django_db
def test_a_date_that_does_not_exist_is_refused_at_the_field_and_nothing_is_saved(
    client, people, review
):
    client.force_login(people["reviewer"])
    edit = reverse("wagtailsnippets_reviews_review:edit", args=[review.pk])
    revisions = review.revisions.count()
    data = edit_form_data(client, edit)
    data["aware_date"] = "31/02/2026"
    data["title"] = "A title that must not be saved"
    response = client.post(edit, data)
    assert response.status_code == 200
    assert response.context["form"].errors["aware_date"] == [REAL_DATE]
    body = response.content.decode()
    assert 'value="31/02/2026"' in body and REAL_DATE in body
    review = Review.objects.get(pk=review.pk)
    assert review.revisions.count() == revisions
    latest = review.get_latest_revision_as_object()
    assert latest.aware_date == date(2026, 1, 6) and latest.title != data["title"]
