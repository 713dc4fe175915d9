"""The deadlines dashboard and home panel: who sees which milestones, and at what cost."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.dashboard import DASHBOARD_ROWS, PANEL_ROWS, deadlines_for
from reviews.models import Milestone, ReviewTimescale, ReviewType

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


@pytest.mark.parametrize(
    "url_name, rows", [("reviews_dashboard", DASHBOARD_ROWS), ("wagtailadmin_home", PANEL_ROWS)]
)
def test_queries_do_not_grow_with_the_number_of_reviews(
    client, make_review, people, liverpool, django_assert_max_num_queries, url_name, rows, settings
):
    settings.HUB_PAGE_CACHE_SECONDS = 0  # the deadlines as built, not as kept
    client.force_login(people["reviewer"])
    _make_reviews(make_review, people, liverpool, 3, 100)
    client.get(reverse(url_name))  # warm Wagtail's per-process caches
    with CaptureQueriesContext(connection) as few:
        response = client.get(reverse(url_name))
    # Three overdue and three due-soon milestones for each review, up to the section's rows.
    assert response.content.decode().count("WIR-RR-2026-1") == 2 * min(3 * 3, rows)
    _make_reviews(make_review, people, liverpool, 47, 200)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    if url_name == "reviews_dashboard":  # the admin home holds other panels besides this one
        assert len(few) <= 15


def test_the_dashboard_shows_the_most_urgent_milestones_and_counts_them_all(
    client, make_review, people, liverpool
):
    _make_reviews(make_review, people, liverpool, 50, 200)
    deadlines = deadlines_for(people["reviewer"])
    assert (deadlines.overdue_count, deadlines.overdue_reviews) == (150, 50)
    assert (deadlines.due_soon_count, deadlines.due_soon_reviews) == (150, 50)
    assert len(deadlines.overdue) == len(deadlines.due_soon) == DASHBOARD_ROWS
    assert deadlines.overdue_more == 150 - DASHBOARD_ROWS
    # Most urgent first: the longest overdue, then the soonest due.
    overdue_dates = [row.milestone.due_date for row in deadlines.overdue]
    assert overdue_dates == sorted(overdue_dates)
    assert overdue_dates[0] == min(
        m.due_date for m in Milestone.objects.overdue(TODAY).filter(review__reference__gte="WIR")
    )
    assert [row.days_overdue for row in deadlines.overdue] == [17] * DASHBOARD_ROWS

    client.force_login(people["reviewer"])
    html = client.get(reverse("reviews_dashboard")).content.decode()
    assert f"The {DASHBOARD_ROWS} longest overdue of 150 milestones, in 50 reviews." in html
    assert f"The {DASHBOARD_ROWS} soonest due of 150 milestones, in 50 reviews." in html
    assert html.count("<time datetime=") == 2 * DASHBOARD_ROWS
    assert "All 50 reviews with overdue milestones" in html
    assert deadlines.overdue_url.replace("&", "&amp;") in html

    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f"The {PANEL_ROWS} longest overdue of 150 milestones" in html


def _listed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["page_obj"].paginator.count, {
        review.reference for review in response.context["page_obj"].object_list
    }


def test_the_dashboard_links_open_every_review_of_the_section(
    client, make_review, people, liverpool
):
    _make_reviews(make_review, people, liverpool, 60, 300)
    # Not the reader's deadlines: another partnership's regional review, visible but theirs.
    make_review(
        partnership=liverpool,
        reference="LIV-RR-2026-01",
        sharing_level="regional",
        aware_date=date(2026, 12, 18),
        notification_date=date(2026, 12, 18),
    )
    # No dates yet, so no deadlines: out of both lists.
    make_review(reference="WIR-RR-2026-900", sharing_level="partnership")
    # Only overdue: the rapid review milestone is done and the rest far off.
    late_only = make_review(
        reference="WIR-RR-2026-901",
        sharing_level="partnership",
        aware_date=date(2026, 11, 2),
        notification_date=date(2026, 11, 2),
    )
    late_only.panel.set([people["reviewer"]])
    late_only.save()
    client.force_login(people["reviewer"])
    deadlines = deadlines_for(people["reviewer"])

    count, first_page = _listed(client, deadlines.overdue_url)
    assert count == deadlines.overdue_reviews == 61
    assert len(first_page) < count  # paginated, not every row at once
    listed = set()
    page = 1
    while len(listed) < count:
        listed |= _listed(client, f"{deadlines.overdue_url}&p={page}")[1]
        page += 1
    assert "WIR-RR-2026-901" in listed
    assert not listed & {"LIV-RR-2026-01", "WIR-RR-2026-900"}

    count, _ = _listed(client, deadlines.due_soon_url)
    assert count == deadlines.due_soon_reviews
    soon = set()
    page = 1
    while len(soon) < count:
        soon |= _listed(client, f"{deadlines.due_soon_url}&p={page}")[1]
        page += 1
    assert {f"WIR-RR-2026-{n}" for n in range(300, 360)} == soon


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


def _dashboard(client) -> str:
    response = client.get(reverse("reviews_dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_deadlines_are_kept_and_a_milestone_marked_done_leaves_them_at_once(
    client, restricted, people
):
    client.force_login(people["reviewer"])
    assert "WIR-RR-2026-09" in _dashboard(client)
    with CaptureQueriesContext(connection) as again:
        _dashboard(client)
    assert not [q for q in again if 'FROM "reviews_milestone"' in q["sql"]]  # kept

    first = Milestone.objects.filter(review=restricted, done_date__isnull=True).order_by(
        "due_date", "position"
    )[0]
    response = client.post(
        reverse("reviews_milestone_done", args=[first.pk]), {"day": "06/01/2027"}
    )
    assert response.status_code == 302
    overdue = deadlines_for(people["reviewer"]).overdue
    assert first.pk not in {row.milestone.pk for row in overdue}
    assert f'datetime="{first.due_date:%Y-%m-%d}"' not in _dashboard(client).split("Due within")[0]


def test_recomputed_due_dates_show_at_once(client, restricted, people):
    """Milestones recomputed from changed dates are written in bulk (no post_save): the kept
    deadlines still go at once."""
    from reviews.models import Review
    from reviews.services import recompute_milestones

    before = {row.milestone.kind: row.milestone.due_date for row in _rows(people["reviewer"])}
    Review.objects.filter(pk=restricted.pk).update(aware_date=date(2026, 12, 30))  # no signal
    recompute_milestones(Review.objects.get(pk=restricted.pk))
    after = {row.milestone.kind: row.milestone.due_date for row in _rows(people["reviewer"])}
    stored = dict(Milestone.objects.filter(review=restricted).values_list("kind", "due_date"))
    assert after and after == {kind: stored[kind] for kind in after}
    assert after != before


def _rows(user):
    deadlines = deadlines_for(user)
    return deadlines.overdue + deadlines.due_soon


def test_one_readers_deadlines_never_reach_another(client, restricted, people):
    """The panel member's list is kept first; a practitioner of the same partnership, who may not
    see the restricted review, is never served it."""
    client.force_login(people["reviewer"])
    assert "WIR-RR-2026-09" in _dashboard(client)
    assert references(deadlines_for(people["reviewer"])) == {"WIR-RR-2026-09"}
    assert references(deadlines_for(people["practitioner"])) == set()
    client.force_login(people["liverpool.manager"])
    assert "WIR-RR-2026-09" not in _dashboard(client)


def test_deadlines_by_month_count_each_outstanding_milestone_once(restricted, people, settings):
    from reviews.dashboard import deadlines_by_month

    settings.HUB_PAGE_CACHE_SECONDS = 0
    months = deadlines_by_month(people["reviewer"])
    mine = Milestone.objects.for_deadlines_of(people["reviewer"]).outstanding()
    assert sum(m.overdue for m in months) == mine.filter(due_date__lt=TODAY).count() > 0
    horizon = date(2027, 8, 1)
    assert (
        sum(m.due for m in months) == mine.filter(due_date__gte=TODAY, due_date__lt=horizon).count()
    )
    assert [m.label for m in months][-6:] == [
        "February 2027",
        "March 2027",
        "April 2027",
        "May 2027",
        "June 2027",
        "July 2027",
    ]
    assert not any(m.overdue or m.due for m in deadlines_by_month(people["liverpool.practitioner"]))


def test_the_dashboard_draws_deadlines_by_month_and_downloads_the_chart(restricted, people, client):
    client.force_login(people["reviewer"])
    url = reverse("reviews_dashboard")
    page = client.get(url).content
    assert b'id="chart-deadlines-by-month"' in page and b'id="deadlines-by-month-table"' in page
    response = client.get(url, {"chart": "deadlines-by-month"})
    assert response["Content-Type"] == "image/svg+xml"
    assert b"Milestones by the month they fall due" in response.content
