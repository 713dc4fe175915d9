"""A trainer types a session's start and end in the admin as people in England write them."""

from datetime import date

import pytest
from django.urls import reverse

from training.models import Session

from .conftest import london

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/training/session/add/"


def session_data(course, **typed):
    return {
        "course": course.pk,
        "delivery": "in_person",
        "venue": "Wallasey Town Hall, Brighton Street",
        "capacity": 12,
        **typed,
    }


def test_a_sessions_start_typed_as_dd_mm_yyyy_hh_mm_is_stored_in_london_time(
    client, people, course
):
    client.force_login(people["trainer"])
    assert "For example, 10/02/2027 09:30" in client.get(ADD).content.decode()
    response = client.post(
        ADD, session_data(course, starts_at="10/02/2027 09:30", ends_at="10/02/2027 12:30")
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    session = Session.objects.get(course=course)
    assert session.starts_at == london(2027, 2, 10, 9, 30)
    assert session.ends_at == london(2027, 2, 10, 12, 30)


def test_a_start_on_a_day_that_does_not_exist_is_refused_at_the_field_and_nothing_is_saved(
    client, people, course
):
    client.force_login(people["trainer"])
    response = client.post(
        ADD, session_data(course, starts_at="31/02/2027 09:30", ends_at="10/02/2027 12:30")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == [
        "Enter a real date and time, for example 10/02/2027 09:30"
    ]
    assert 'value="31/02/2027 09:30"' in response.content.decode()
    assert not Session.objects.filter(course=course).exists()


def test_the_training_reports_period_is_typed_the_same_way(client, people):
    client.force_login(people["manager"])
    url = reverse("training_reports:attendance")
    response = client.get(url, {"start": "03/02/2026", "end": "28 February 2026"})
    assert response.status_code == 200
    period = response.context["filters"].form.cleaned_data
    assert (period["start"], period["end"]) == (date(2026, 2, 3), date(2026, 2, 28))
    body = response.content.decode()
    assert 'value="03/02/2026"' in body and "initDateChooser" not in body
    refused = client.get(url, {"start": "31/02/2026"})
    assert refused.context["filters"].form.errors["start"] == [
        "Enter a real date, for example 15/03/2026"
    ]


def test_a_course_pages_schedule_publishing_dates_are_plain_boxes_with_the_hint(
    client, course, django_user_model
):
    client.force_login(django_user_model.objects.create_superuser("dates.admin"))
    body = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk])).content.decode()
    assert 'name="go_live_at"' in body and 'name="expire_at"' in body
    assert "initDateTimeChooser" not in body
    assert "For example, 10/02/2027 09:30" in body
