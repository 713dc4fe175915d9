"""A trainer's tools for a session, through the admin's and the site's real views: access needs
asked at booking and shown only to those who see the session's delegates, the delegates as CSV
and XLSX, a sign-in sheet that never shows access needs, "mark everyone attended then adjust" on
the register, and a word when a session falls on a weekend or a bank holiday."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.core import mail

from training import booking as services
from training import session_tools
from training.models import Booking, BookingState

from .conftest import london

pytestmark = pytest.mark.django_db

NEEDS = "Step-free access and a hearing loop, please."


@pytest.fixture
def booked(frozen, client, session, people, django_capture_on_commit_callbacks):
    """Pat books through the site's form and says what she needs."""
    client.force_login(people["practitioner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/training/sessions/{session.pk}/book/", {"access_needs": f"  {NEEDS}  "}
        )
    assert response.status_code == 302
    session.trainers.add(people["trainer"])
    return Booking.objects.get(user=people["practitioner"], session=session)


def test_access_needs_are_kept_and_shown_only_to_those_who_see_the_delegates(
    booked, client, people, session
):
    assert booked.access_needs == NEEDS
    # Never in an email about the booking.
    assert mail.outbox and not [m for m in mail.outbox if NEEDS in m.body]
    url = f"/admin/training/sessions/{session.pk}/bookings/"
    for name in ("trainer", "manager"):
        client.force_login(people[name])
        assert NEEDS in client.get(url).content.decode(), name
    client.force_login(people["liverpool.manager"])
    assert client.get(url).status_code == 404


def test_access_needs_longer_than_allowed_are_refused_with_a_message(
    frozen, client, session, people
):
    client.force_login(people["practitioner"])
    response = client.post(f"/training/sessions/{session.pk}/book/", {"access_needs": "x" * 1001})
    assert response.status_code == 400
    assert "1000 characters or fewer" in response.content.decode()
    assert not Booking.objects.exists()


def test_the_delegates_export_as_csv_and_xlsx_for_the_trainer_only(booked, client, people, session):
    services.request_place(people["agencylead"], session)
    client.force_login(people["trainer"])
    response = client.get(f"/admin/training/sessions/{session.pk}/bookings/csv/")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["Delegate"] for row in rows} == {"Pat Okafor", "Aisha Lund"}
    assert next(r for r in rows if r["Delegate"] == "Pat Okafor")["Access needs"] == NEEDS
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/admin/training/sessions/{session.pk}/bookings/xlsx/").content)
    ).active
    assert [c.value for c in sheet[1]] == session_tools.EXPORT_COLUMNS
    assert sheet.max_row == 3
    assert client.get(f"/admin/training/sessions/{session.pk}/bookings/pdf/").status_code == 404
    for name, refused in (("liverpool.manager", 404), ("practitioner", 302)):
        client.force_login(people[name])
        assert (
            client.get(f"/admin/training/sessions/{session.pk}/bookings/csv/").status_code
            == refused
        )


def test_the_sign_in_sheet_is_a_pdf_that_never_shows_access_needs(
    booked, client, people, session, monkeypatch
):
    client.force_login(people["trainer"])
    url = f"/admin/training/sessions/{session.pk}/sign-in-sheet/"
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf" and response.content[:4] == b"%PDF"

    from django.template.loader import render_to_string

    seen = {}

    def as_html(template, context, request=None):
        seen["html"] = render_to_string(template, context, request=request)
        return b"%PDF-"

    monkeypatch.setattr(session_tools, "pdf_from_template", as_html)
    client.get(url)
    assert "Pat Okafor" in seen["html"] and NEEDS not in seen["html"]


def test_mark_everyone_attended_then_adjust(frozen, client, people, session, make_person):
    from training import register

    session.trainers.add(people["trainer"])
    first, second = make_person("delegate.one"), make_person("delegate.two")
    for user in (first, second):
        Booking.objects.create(
            session=session,
            user=user,
            agency=user.membership.agency,
            partnership=user.membership.partnership,
            state=BookingState.BOOKED,
        )
    frozen.move_to(session.ends_at)
    register.mark(
        session, people["trainer"], {Booking.objects.get(user=second).pk: "did_not_attend"}
    )
    client.force_login(people["trainer"])
    url = f"/admin/training/registers/{session.pk}/"
    page = client.get(url, {"all": "attended"}).content.decode()
    one, two = Booking.objects.get(user=first), Booking.objects.get(user=second)
    assert f'id="mark-{one.pk}-attended" value="attended" checked' in page
    # Someone already marked keeps their mark.
    assert f'id="mark-{two.pk}-did_not_attend" value="did_not_attend" checked' in page
    assert "nothing is saved until you do" in page
    # Nothing was saved by asking.
    assert Booking.objects.get(pk=one.pk).state == BookingState.BOOKED
    client.post(url, {f"mark-{one.pk}": "attended", f"mark-{two.pk}": "did_not_attend"})
    assert Booking.objects.get(pk=one.pk).state == BookingState.ATTENDED


def test_a_session_on_a_weekend_or_bank_holiday_gets_a_word_to_check_the_day(course, make_session):
    saturday = make_session(course, starts_at=london(2027, 4, 17))
    may_day = make_session(course, starts_at=london(2027, 5, 3))
    wednesday = make_session(course, starts_at=london(2027, 4, 14))
    assert "a weekend" in session_tools.day_warning(saturday)
    assert "a bank holiday in England" in session_tools.day_warning(may_day)
    assert session_tools.day_warning(wednesday) == ""
    assert date(2027, 5, 3).weekday() == 0


def test_saving_a_session_on_a_weekend_in_the_admin_warns(frozen, client, people, session):
    client.force_login(people["manager"])
    url = f"/admin/snippets/training/session/edit/{session.pk}/"
    data = {
        "course": session.course_id,
        "starts_at": "2027-04-17 09:30",
        "ends_at": "2027-04-17 12:30",
        "delivery": "in_person",
        "venue": session.venue,
        "capacity": session.capacity,
    }
    response = client.post(url, data, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any("a weekend" in m for m in shown), (shown, response.status_code)
    session.refresh_from_db()
    assert session.starts_at == london(2027, 4, 17)
