"""The training reports: the numbers, who sees which partnership's, the exports, and a fixed
number of queries however many bookings there are."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from training import reports
from training.models import Booking, BookingState, Evaluation, EvaluationKind

from .factories_register import at, body, make_booking, make_course, make_delegate, make_session

S = BookingState
REPORTS = [
    "attendance",
    "attendance_partnerships",
    "charges",
    "charges_partnerships",
    "charge_lines",
    "waiting",
    "waiting_courses",
    "evaluations",
    "evaluations_agencies",
]


def build(world, trainer, sessions: int, per_session: int):
    """`sessions` past Wirral sessions of one course, each with `per_session` delegates in a
    fixed mix of marks, a waiting list and evaluations."""
    course = make_course(world.partnerships["Wirral"], f"Report course {sessions}")
    people = [
        make_delegate(world, f"rep{sessions}.{n}", "Wirral", ("Police", "Early help")[n % 2])
        for n in range(per_session + 2)
    ]
    for s in range(sessions):
        session = make_session(course, at(2026, 2, 2 + s), trainers=[trainer], capacity=per_session)
        for n in range(per_session):
            state = [S.ATTENDED, S.ATTENDED, S.DID_NOT_ATTEND, S.CANCELLED_LATE][n % 4]
            charge = Decimal("100.00") if state != S.ATTENDED else None
            booking = make_booking(session, people[n], state, charge=charge)
            if state == S.ATTENDED:
                Evaluation.objects.create(
                    booking=booking,
                    kind=EvaluationKind.IMMEDIATE,
                    overall=4 + n % 2,
                    outcomes_met=4,
                    confidence_before=2,
                    confidence_after=4,
                )
                if n % 4 == 0:
                    Evaluation.objects.create(
                        booking=booking, kind=EvaluationKind.FOLLOW_UP, practice_changed="yes"
                    )
        make_booking(session, people[per_session], S.WAITING)
        make_booking(
            session, people[per_session + 1], S.OFFER_EXPIRED, offered_at=session.starts_at
        )
    return course


@pytest.fixture
def report_world(world):
    build(world, world.people["trainer"], sessions=2, per_session=4)
    return world


def test_attendance_by_agency_and_partnership(report_world):
    bookings = reports.scoped_bookings(report_world.people["manager"])
    rows = {r["agency__name"]: r for r in reports.attendance(bookings)}
    police, early = rows["Merseyside Police"], rows["Wirral Early Help"]
    # Per session: n=0 attended (police), 1 attended (early help), 2 DNA (police), 3 late (EH).
    assert (police["booked"], police["attended"], police["did_not_attend"]) == (4, 2, 2)
    assert (early["booked"], early["attended"], early["cancelled_late"]) == (4, 2, 2)
    assert police["rate"] == 50
    wirral = next(iter(reports.attendance(bookings, "partnership")))
    assert (wirral["partnership__short_name"], wirral["booked"], wirral["rate"]) == (
        "Wirral",
        8,
        50,
    )


def test_waiting_demand_and_evaluation_scores(report_world):
    manager = report_world.people["manager"]
    sessions = list(reports.waiting_demand_by_session(reports.scoped_sessions(manager)))
    assert [(r["waiting"], r["offered"], r["offers_expired"], r["taken"]) for r in sessions] == [
        (1, 1, 1, 3),
        (1, 1, 1, 3),
    ]
    course = next(iter(reports.waiting_demand_by_course(reports.scoped_bookings(manager))))
    assert (course["sessions"], course["waiting"], course["offers_expired"]) == (2, 2, 2)

    scores = next(iter(reports.evaluation_scores(reports.scoped_bookings(manager))))
    assert (scores["attended"], scores["evaluated"], scores["response_rate"]) == (4, 4, 100)
    assert scores["overall"] == 4.5 and scores["confidence_after"] == 4
    assert (scores["followed_up"], scores["practice_changed"], scores["changed_rate"]) == (
        2,
        2,
        100,
    )
    by_agency = {
        r["agency__name"]: r
        for r in reports.evaluation_scores(reports.scoped_bookings(manager), "agency")
    }
    assert by_agency["Merseyside Police"]["overall"] == 4
    assert by_agency["Wirral Early Help"]["overall"] == 5


def test_each_reader_sees_only_their_partnerships_sessions(report_world):
    people = report_world.people
    for name in ("manager", "trainer", "qa", "admin"):
        assert reports.scoped_bookings(people[name]).count() == 12, name
    for name in ("liverpool.manager", "practitioner", "agencylead", "scrutineer"):
        assert not reports.scoped_bookings(people[name]).exists(), name
    assert reports.can_see_training_reports(people["qa"])
    assert not reports.can_see_charges(people["qa"])
    assert not reports.can_see_training_reports(people["practitioner"])


def test_every_report_page_and_export(report_world, client):
    client.force_login(report_world.people["manager"])
    for name in REPORTS:
        url = reverse(f"training_reports:{name}")
        page = client.get(url)
        assert page.status_code == 200, name
        csv_rows = list(
            csv.reader(io.StringIO(body(client.get(url, {"export": "csv"})).decode("utf-8-sig")))
        )
        assert len(csv_rows) >= 2, name
        sheet = load_workbook(io.BytesIO(body(client.get(url, {"export": "xlsx"})))).active
        assert sheet.max_row == len(csv_rows), name
    client.force_login(report_world.people["practitioner"])
    assert client.get(reverse("training_reports:attendance")).status_code in (302, 403)


@pytest.mark.parametrize("name", REPORTS)
def test_reports_cost_the_same_queries_at_any_size(
    name, world, client, django_assert_max_num_queries
):
    trainer = world.people["trainer"]
    client.force_login(world.people["manager"])
    url = reverse(f"training_reports:{name}")
    build(world, trainer, sessions=1, per_session=4)
    client.get(url)  # warm the caches (content types, the menu's permissions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    build(world, trainer, sessions=6, per_session=12)
    assert Booking.objects.count() > 80
    with django_assert_max_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_attendance_by_agency_is_drawn_and_downloads_as_svg(report_world, client):
    client.force_login(report_world.people["manager"])
    url = reverse("training_reports:attendance")
    page = client.get(url).content.decode()
    assert 'id="chart-training-reach-by-agency"' in page and 'href="#report-table"' in page
    assert 'id="report-table"' in page
    # Merseyside Police: two attended and two did not, drawn as parts of one bar.
    assert (
        "Merseyside Police, Attended: 2" in page and "Merseyside Police, Did not attend: 2" in page
    )
    svg = client.get(url, {"chart": "training-reach-by-agency"})
    assert svg["Content-Type"] == "image/svg+xml"
    # The Liverpool manager's picture has no Wirral delegate in it.
    client.force_login(report_world.people["liverpool.manager"])
    assert "Merseyside Police" not in client.get(url).content.decode()
