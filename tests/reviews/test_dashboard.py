"""The deadlines dashboard and home panel: who sees which milestones, and at what cost."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.dashboard import deadlines_for
from reviews.models import ReviewTimescale, ReviewType

TODAY = date(2027, 1, 7)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def references(deadlines):
    rows = deadlines.overdue + deadlines.due_soon
    return {row.milestone.review.reference for row in rows}


@pytest.fixture
def restricted(make_review, people):
    review = make_review(
        reference="WIR-RR-2026-09",
        sharing_level="restricted",
        aware_date=date(2026, 12, 18),
        notification_date=date(2026, 12, 18),
    )
    review.panel.set([people["reviewer"]])
    review.save()  # modelcluster writes parental relations on save
    return review


def test_the_panel_and_the_owning_manager_see_a_restricted_reviews_deadlines(restricted, people):
    for name in ("reviewer", "manager"):
        assert references(deadlines_for(people[name])) == {"WIR-RR-2026-09"}
    for name in ("practitioner", "liverpool.practitioner", "liverpool.manager", "halton.reviewer"):
        assert references(deadlines_for(people[name])) == set()


def test_deadlines_are_grouped_and_sorted_by_due_date(restricted, people):
    deadlines = deadlines_for(people["reviewer"])
    assert [row.milestone.kind for row in deadlines.overdue] == [
        "agency_letters",
        "tell_partners",
        "agency_summaries",
    ]
    assert [row.days_overdue for row in deadlines.overdue] == [17, 9, 1]
    assert [(row.milestone.kind, row.working_days_left) for row in deadlines.due_soon] == [
        ("panel_meeting", 1),
        ("partner_sign_off", 4),
        ("rapid_review", 4),
    ]


def test_cross_boundary_reviews_show_to_the_partnership_taking_part(make_review, people, liverpool):
    shared = make_review(
        reference="WIR-RR-2026-10",
        sharing_level="partnership",
        aware_date=date(2026, 12, 18),
    )
    shared.participating_partnerships.set([liverpool])
    shared.save()
    make_review(reference="WIR-LR-2026-11", sharing_level="regional", aware_date=date(2026, 12, 18))
    assert references(deadlines_for(people["liverpool.practitioner"])) == {"WIR-RR-2026-10"}
    # Readable regionally, but not Liverpool's deadline to meet.
    assert "WIR-LR-2026-11" not in references(deadlines_for(people["liverpool.manager"]))
    assert references(deadlines_for(people["practitioner"])) == {
        "WIR-RR-2026-10",
        "WIR-LR-2026-11",
    }


def test_dashboard_page_is_an_accessible_table(client, restricted, people):
    client.force_login(people["reviewer"])
    response = client.get(reverse("reviews_dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "WIR-RR-2026-09" in html
    assert "<caption" in html and '<th scope="col">Due date</th>' in html
    assert '<th scope="row">' in html
    assert "Serious incident notification" not in html  # done, so not listed
    assert "Tell the safeguarding partners" in html


def test_dashboard_hides_other_partnerships_restricted_reviews(client, restricted, people):
    client.force_login(people["liverpool.manager"])
    response = client.get(reverse("reviews_dashboard"))
    assert response.status_code == 200
    assert "WIR-RR-2026-09" not in response.content.decode()
    client.force_login(people["liverpool.practitioner"])
    response = client.get(reverse("reviews_dashboard"))
    assert response.status_code == 302  # no admin access at all


def test_home_page_panel_lists_deadlines(client, restricted, people):
    client.force_login(people["manager"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Review deadlines" in html and "WIR-RR-2026-09" in html
    client.force_login(people["liverpool.manager"])
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Review deadlines" in html and "WIR-RR-2026-09" not in html


def _make_reviews(make_review, people, liverpool, count, start):
    for n in range(start, start + count):
        review = make_review(
            reference=f"WIR-RR-2026-{n:03d}",
            sharing_level="restricted" if n % 2 else "partnership",
            aware_date=date(2026, 12, 18),
            notification_date=date(2026, 12, 18),
        )
        review.panel.set([people["reviewer"]])
        review.participating_partnerships.set([liverpool])
        review.save()


@pytest.mark.parametrize("url_name", ["reviews_dashboard", "wagtailadmin_home"])
def test_queries_do_not_grow_with_the_number_of_reviews(
    client, make_review, people, liverpool, django_assert_max_num_queries, url_name
):
    client.force_login(people["reviewer"])
    _make_reviews(make_review, people, liverpool, 5, 100)
    client.get(reverse(url_name))  # warm Wagtail's per-process caches
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse(url_name))
    assert response.content.decode().count("WIR-RR-2026-1") == 5 * 6
    _make_reviews(make_review, people, liverpool, 45, 200)
    with django_assert_max_num_queries(len(five)):
        response = client.get(reverse(url_name))
    assert response.content.decode().count("WIR-RR-2026-") == 50 * 6


def test_timescales_admin_is_narrowed_to_the_managers_partnership(client, people, world):
    wirral_row = ReviewTimescale.objects.get(
        partnership=world.partnerships["Wirral"],
        review_type=ReviewType.RAPID_REVIEW,
        kind="agency_summaries",
    )
    listing = reverse("wagtailsnippets_reviews_reviewtimescale:list")
    edit = reverse("wagtailsnippets_reviews_reviewtimescale:edit", args=[wirral_row.pk])

    client.force_login(people["liverpool.manager"])
    html = client.get(listing).content.decode()
    assert "Liverpool" in html and "Wirral" not in html
    refused = client.post(edit, {"amount": 3})
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    wirral_row.refresh_from_db()
    assert wirral_row.amount == 10

    client.force_login(people["manager"])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"amount": 8})
    assert response.status_code == 302
    wirral_row.refresh_from_db()
    assert wirral_row.amount == 8

    client.force_login(people["reviewer"])
    assert client.get(listing).status_code in (302, 403)
