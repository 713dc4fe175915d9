"""Charges: fixed when the register is marked, from the partnership's terms and the course's
duration, against the agency the delegate booked with; the charging report adds them up."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from training import register, reports
from training.models import BookingState, TrainingTerms

from .factories_register import at, body, make_booking, make_delegate, make_session

S = BookingState


def marked(rw, session, states):
    bookings = list(register.delegates(session))
    register.mark(session, rw.trainer, {b.pk: s for b, s in zip(bookings, states, strict=True)})
    return [type(b).objects.get(pk=b.pk) for b in bookings]


def test_did_not_attend_is_charged_by_duration_and_attended_clears_it(
    register_world, register_half_day
):
    rw = register_world
    terms = TrainingTerms.objects.for_partnership(rw.course.partnership)
    terms.fee_full_day, terms.fee_half_day = Decimal("120.00"), Decimal("65.00")
    terms.save()

    ada, ben, cal = marked(rw, rw.session, [S.ATTENDED, S.DID_NOT_ATTEND, S.CANCELLED_LATE])
    assert ada.charge is None
    assert ben.charge == Decimal("120.00")
    assert cal.charge == Decimal("120.00")

    half = make_session(
        register_half_day, timezone.now() - timedelta(hours=2), hours=3, trainers=[rw.trainer]
    )
    missed = make_booking(half, rw.delegates[0])
    register.mark(half, rw.trainer, {missed.pk: S.DID_NOT_ATTEND})
    missed.refresh_from_db()
    assert missed.charge == Decimal("65.00")

    # The trainer corrects the register: Ben came in late after all.
    register.mark(rw.session, rw.trainer, {ben.pk: S.ATTENDED})
    ben.refresh_from_db()
    assert ben.charge is None


def test_late_cancellation_is_free_when_the_terms_say_so(register_world):
    rw = register_world
    TrainingTerms.objects.filter(partnership=rw.course.partnership).delete()
    TrainingTerms.objects.create(partnership=rw.course.partnership, charge_late_cancellation=False)
    _, ben, cal = marked(rw, rw.session, [S.ATTENDED, S.DID_NOT_ATTEND, S.CANCELLED_LATE])
    assert ben.charge == Decimal("100.00")
    assert cal.charge is None


def test_the_charge_goes_to_the_agency_recorded_at_booking(register_world):
    rw = register_world
    ben = rw.delegates[1]
    # Ben moves from Wirral's police to its CSC after booking: the police booked the place.
    membership = ben.membership
    membership.agency = rw.world.agencies[("Wirral", "CSC")]
    membership.save()
    marked(rw, rw.session, [S.ATTENDED, S.DID_NOT_ATTEND, S.ATTENDED])
    rows = {r["agency__name"]: r for r in reports.charges(reports.scoped_bookings(rw.trainer))}
    assert list(rows) == ["Merseyside Police"]
    assert rows["Merseyside Police"]["total"] == Decimal("100.00")


@pytest.fixture
def charged(register_world):
    """Charges on two sessions, in March and in May 2026."""
    rw = register_world
    march = make_session(rw.course, at(2026, 3, 12), trainers=[rw.trainer])
    may = make_session(rw.course, at(2026, 5, 20), trainers=[rw.trainer])
    ada, ben, cal = rw.delegates
    dan = make_delegate(rw.world, "dan.police", "Wirral", "Police")
    for session, people in ((march, [ada, ben, dan]), (may, [ben, cal])):
        for person in people:
            make_booking(session, person)
    marked(rw, march, [S.DID_NOT_ATTEND, S.DID_NOT_ATTEND, S.CANCELLED_LATE])
    marked(rw, may, [S.DID_NOT_ATTEND, S.ATTENDED])
    return rw


def test_charging_report_per_agency_for_a_period(charged):
    bookings = reports.scoped_bookings(charged.world.people["manager"])
    rows = {r["agency__name"]: r for r in reports.charges(bookings)}
    police = rows["Merseyside Police"]
    # Ben twice (March and May), Dan once, cancelling late.
    assert (police["delegates"], police["sessions"], police["charges"]) == (2, 2, 3)
    assert (police["did_not_attend"], police["cancelled_late"]) == (2, 1)
    assert police["total"] == Decimal("300.00")
    assert rows["Wirral Early Help"]["total"] == Decimal("100.00")

    march_only = reports.in_period(bookings, date(2026, 3, 1), date(2026, 3, 31))
    rows = {r["agency__name"]: r for r in reports.charges(march_only)}
    assert rows["Merseyside Police"]["total"] == Decimal("200.00")

    by_partnership = {
        r["partnership__short_name"]: r for r in reports.charges(bookings, "partnership")
    }
    assert by_partnership["Wirral"]["total"] == Decimal("400.00")
    assert "Liverpool" not in by_partnership  # Cal attended in May


def test_charging_report_is_for_managers_and_trainers_of_the_partnership(charged, client):
    people = charged.world.people
    assert reports.can_see_charges(people["manager"]) and reports.can_see_charges(people["trainer"])
    assert not reports.can_see_charges(people["qa"])
    assert not reports.can_see_charges(people["practitioner"])
    # Liverpool's manager sees none of Wirral's charges.
    assert not reports.charges(reports.scoped_bookings(people["liverpool.manager"])).exists()

    url = reverse("training_reports:charges")
    client.force_login(people["qa"])
    refused = client.get(url)
    # Wagtail turns a refusal in the admin into a redirect to the dashboard with a message.
    assert refused.status_code in (302, 403) and "£" not in refused.content.decode()
    client.force_login(people["manager"])
    page = client.get(url)
    assert page.status_code == 200 and "£300.00" in page.content.decode()


def test_charging_report_exports_csv_and_xlsx(charged, client):
    client.force_login(charged.world.people["manager"])
    url = reverse("training_reports:charges")
    response = client.get(url, {"export": "csv", "start": "2026-03-01", "end": "2026-03-31"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"))))
    police = next(r for r in rows if r["Agency"] == "Merseyside Police")
    assert police["Total (£)"] in ("200.00", "200")
    assert police["Delegates"] == "2"

    response = client.get(url, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(body(response))).active
    values = list(sheet.values)
    assert values[0][0] == "Agency"
    assert any(row[0] == "Merseyside Police" and float(row[-1]) == 300 for row in values[1:])

    lines = client.get(reverse("training_reports:charge_lines"), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(body(lines).decode("utf-8-sig"))))
    assert len(rows) == 4
    assert {r["Marked"] for r in rows} == {"Did not attend", "Cancelled late"}
