"""Wagtail's own admin lists honour the access policy: its reports and their exports, site
history, the home panels and its workflow emails show a restricted review in sign-off, a
restricted action and a Wirral booking only to people who may see them.

The reports are found through the URL resolver (every name under `wagtailadmin_reports:`) and
the reports menu, so a report Wagtail or the Hub adds later is covered without listing it."""

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import RequestFactory
from django.urls import get_resolver, resolve, reverse
from django.utils import timezone
from wagtail.admin.menu import reports_menu
from wagtail.log_actions import log

from learning.models import Action
from partnership.access import SharingLevel
from reviews.models import Review
from tests.reviews.conftest import make_admin_review
from training.models import Booking, BookingState, Course, CourseIndexPage, Session

REVIEW = "WIR-RR-2099-07"
ACTION = "WIR-ACT-HIDDEN-9"
DELEGATE = "wirral.delegate.hidden"
OUTSIDERS = ["halton.reviewer", "liverpool.manager"]


def report_names():
    _, resolver = get_resolver().namespace_dict["wagtailadmin_reports"]
    return sorted(p.name for p in resolver.url_patterns if p.name)


def report_urls(user):
    """Every report Wagtail ships, and every item of the reports menu `user` is shown."""
    urls = {reverse(f"wagtailadmin_reports:{name}") for name in report_names()}
    request = RequestFactory().get("/admin/")
    request.user = user
    urls |= {item.url for item in reports_menu.menu_items_for_request(request)}
    return sorted(urls)


def text_of(response) -> str:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body)).active
        return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
    return body.decode()


def start_sign_off(review, user):
    review.get_workflow().start(review, user)


@pytest.fixture
def page_editors(people):
    """Wagtail opens its workflow and page reports to people with page permissions: in the Hub,
    those who write briefings (learning/migrations/0008 grants them on the home page, which the
    test database makes after that migration), here Wagtail's Editors group."""
    editors = Group.objects.get(name="Editors")
    for username in [*OUTSIDERS, "manager"]:
        people[username].groups.add(editors)


@pytest.fixture
def records(world, wirral, people, page_editors):
    """A restricted review in sign-off, a restricted action and a booking, all Wirral's."""
    review = make_admin_review(wirral, REVIEW, SharingLevel.RESTRICTED, panel=[people["reviewer"]])
    start_sign_off(review, people["reviewer"])

    action = Action.objects.create(
        reference=ACTION,
        description="A restricted action about one family",
        partnership=wirral,
        owner_agency=world.agencies[("Wirral", "Police")],
        due_date=date(2099, 6, 1),
        sharing_level=SharingLevel.RESTRICTED,
    )
    log(action, "hub.action.started", user=people["manager"])

    course = Course(
        title="Working together (restricted test)",
        slug="working-together-restricted-test",
        partnership=wirral,
        sharing_level=SharingLevel.PUBLIC,
        summary="A fictional course.",
        description="<p>About it.</p>",
        learning_outcomes="<ul><li>Know what to do</li></ul>",
        audience="Practitioners in every agency.",
        level="foundation",
        duration="half_day",
    )
    CourseIndexPage.objects.get().add_child(instance=course)
    starts = timezone.now() + timedelta(days=30)
    session = Session.objects.create(
        course=course, starts_at=starts, ends_at=starts + timedelta(hours=3), capacity=5
    )
    delegate = get_user_model().objects.create_user(DELEGATE, email=f"{DELEGATE}@example.org")
    booking = Booking.objects.create(
        session=session, user=delegate, partnership=wirral, state=BookingState.BOOKED
    )
    log(booking, "hub.training.booked", user=delegate)
    return review, action, booking


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


def test_every_wagtail_report_is_served_by_the_hubs_narrowed_view(db):
    """A report Wagtail adds in an upgrade fails here until the Hub narrows it."""
    for name in report_names():
        view = resolve(reverse(f"wagtailadmin_reports:{name}")).func.view_class
        assert view.__module__ == "partnership.admin_reports", name


def assert_none_of_it(client, user, url):
    for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
        response = get(client, user, url, **params)
        assert response.status_code in (200, 302, 403), (url, params)
        body = text_of(response)
        for secret in (REVIEW, ACTION, DELEGATE):
            assert secret not in body, (url, params, secret)


@pytest.mark.django_db
@pytest.mark.parametrize("username", OUTSIDERS)
@pytest.mark.parametrize("name", report_names())
def test_other_partnerships_see_none_of_it_in_wagtails_reports_or_exports(
    client, people, records, username, name
):
    assert_none_of_it(client, people[username], reverse(f"wagtailadmin_reports:{name}"))


@pytest.mark.django_db
@pytest.mark.parametrize("username", OUTSIDERS)
def test_other_partnerships_see_none_of_it_in_any_report_of_the_menu(
    client, people, records, username
):
    user = people[username]
    for url in report_urls(user):
        assert_none_of_it(client, user, url)


@pytest.mark.django_db
def test_the_wirral_manager_sees_all_three_in_site_history_and_its_export(client, people, records):
    manager = people["manager"]
    url = reverse("wagtailadmin_reports:site_history")
    for params in ({}, {"export": "csv"}):
        body = text_of(get(client, manager, url, **params))
        for secret in (REVIEW, ACTION, DELEGATE):
            assert secret in body, (params, secret)


@pytest.mark.django_db
def test_a_reviewer_of_wirral_off_the_records_sees_only_the_review_on_their_panel(
    client, people, records
):
    reviewer = people["reviewer"]
    body = text_of(get(client, reviewer, reverse("wagtailadmin_reports:site_history")))
    assert REVIEW in body
    assert ACTION not in body
    assert DELEGATE not in body


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["workflow", "workflow_tasks"])
def test_the_wirral_manager_sees_the_review_in_the_workflow_reports_and_exports(
    client, people, records, name
):
    # Wagtail opens its workflow reports to people with page permissions: the managers.
    url = reverse(f"wagtailadmin_reports:{name}")
    for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
        assert REVIEW in text_of(get(client, people["manager"], url, **params)), params


@pytest.mark.django_db
def test_the_partner_asked_to_sign_sees_the_review_awaiting_them(client, people, records):
    review = records[0]
    state = Review.objects.get(pk=review.pk).current_workflow_state.current_task_state.specific
    state.task.specific.on_action(state, people["reviewer"], "approve")
    partner = people["wirral.la.partner"]
    home = reverse("wagtailadmin_home")
    assert REVIEW in text_of(get(client, partner, home))
    # The police's delegate is not asked yet, and the review is restricted.
    assert REVIEW not in text_of(get(client, people["wirral.police.partner"], home))


@pytest.mark.django_db
def test_a_requester_taken_off_the_panel_no_longer_sees_the_review_on_the_home_page(
    client, people, records
):
    reviewer = people["reviewer"]
    home = reverse("wagtailadmin_home")
    assert REVIEW in text_of(get(client, reviewer, home))
    review = Review.objects.get(reference=REVIEW)
    review.panel.remove(reviewer)
    review.save()
    assert REVIEW not in text_of(get(client, reviewer, home))


@pytest.mark.django_db
def test_per_record_history_of_a_restricted_review_is_not_found_for_others(client, people, records):
    review = records[0]
    url = reverse("wagtailsnippets_reviews_review:history", args=[review.pk])
    assert get(client, people["halton.reviewer"], url).status_code == 404
    assert REVIEW in text_of(get(client, people["reviewer"], url))


@pytest.mark.django_db
def test_workflow_emails_go_only_to_people_who_may_see_the_review(wirral, people):
    reviewer, qa = people["reviewer"], people["qa"]
    review = make_admin_review(wirral, REVIEW, SharingLevel.RESTRICTED, panel=[reviewer, qa])
    start_sign_off(review, reviewer)
    review.panel.remove(reviewer)
    review.save()
    mail.outbox.clear()

    state = Review.objects.get(pk=review.pk).current_workflow_state.current_task_state.specific
    state.task.specific.on_action(state, qa, "reject")
    assert [m.to for m in mail.outbox] == []


@pytest.mark.django_db
def test_the_requester_who_may_see_the_review_is_told_of_changes_requested(wirral, people):
    reviewer, qa = people["reviewer"], people["qa"]
    review = make_admin_review(wirral, REVIEW, SharingLevel.RESTRICTED, panel=[reviewer, qa])
    start_sign_off(review, reviewer)
    mail.outbox.clear()

    state = Review.objects.get(pk=review.pk).current_workflow_state.current_task_state.specific
    state.task.specific.on_action(state, qa, "reject")
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
