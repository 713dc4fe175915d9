"""The admin home's sign-off section (`reviews.home`): each step of a review's sign-off waits on
the home pages of exactly the people who may approve it, one click from the review's editor,
and the person who sent it sees where it has got to. It replaces Wagtail's workflow panels."""

import itertools

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import TaskState

from partnership.access import SharingLevel
from reviews.home import SIGN_OFF_TASKS, sign_off_sections
from reviews.models import Review
from tests.home.test_home_pages import links, section

from .conftest import make_admin_review
from .test_signoff import approve, current_task_state

HOME = "/admin/"
PEOPLE = [
    "admin",
    "reviewer",
    "manager",
    "qa",
    "trainer",
    "scrutineer",
    "halton.reviewer",
    "wirral.la.partner",
    "wirral.police.partner",
    "wirral.health.partner",
]


def edit_url(review):
    return reverse("wagtailsnippets_reviews_review:edit", args=[review.pk])


def home_of(client, user) -> str:
    client.force_login(user)
    html = client.get(HOME).content.decode()
    client.logout()
    return html


@pytest.fixture
def sent(wirral, people):
    """A restricted review on the reviewer's and QA's panel, sent for sign-off by the reviewer."""
    review = make_admin_review(
        wirral, "WIR-RR-2026-31", SharingLevel.RESTRICTED, panel=[people["reviewer"], people["qa"]]
    )
    review.get_workflow().start(review, people["reviewer"])
    return review


@pytest.mark.django_db
def test_the_panel_finds_the_review_waiting_and_opens_it_to_approve(client, people, sent):
    for name in ("reviewer", "qa"):
        waiting = section(home_of(client, people[name]), "review-sign-off-waiting")
        assert "WIR-RR-2026-31" in waiting and "Panel approval" in waiting, name
        assert edit_url(sent) in links(waiting)
    client.force_login(people["qa"])
    editor = client.get(edit_url(sent)).content.decode()
    assert "Approve" in editor and "Request changes" in editor


@pytest.mark.django_db
def test_each_step_waits_only_on_its_own_approvers(client, people, sent):
    approve(sent, people["reviewer"])
    # The panel has approved (one member is enough): the local authority's delegate is next.
    assert current_task_state(sent).task.name == "Sign-off: local authority"
    for name in PEOPLE:
        waiting = section(home_of(client, people[name]), "review-sign-off-waiting")
        expected = name in ("wirral.la.partner", "admin")
        assert ("WIR-RR-2026-31" in waiting) is expected, name


@pytest.mark.django_db
def test_whoever_sent_it_sees_where_it_has_got_to(client, people, sent):
    approve(sent, people["reviewer"])
    mine = section(home_of(client, people["reviewer"]), "review-sign-off-sent")
    assert "WIR-RR-2026-31" in mine and "Now at: Sign-off: local authority" in mine
    # Taken off the panel of a restricted review, they no longer see it at all.
    sent.panel.remove(people["reviewer"])
    sent.save()
    assert "WIR-RR-2026-31" not in home_of(client, people["reviewer"])


@pytest.mark.django_db
def test_wagtails_workflow_panels_are_gone_and_nothing_waits_on_no_one(client, people, sent):
    html = home_of(client, people["reviewer"])
    assert 'id="awaiting-review"' not in html and 'id="objects-in-workflow"' not in html
    # A practitioner-facing role with no part in sign-off gets no empty section.
    assert section(home_of(client, people["trainer"]), "review-sign-off-waiting") == ""


@pytest.mark.django_db
def test_the_home_and_wagtail_ask_the_same_rule_as_the_editor(people, sent, wirral):
    """For every person and every step in progress: on their home exactly when Wagtail would
    list it for them, exactly when the task lets them approve the review."""
    second = make_admin_review(
        wirral, "WIR-RR-2026-32", SharingLevel.PARTNERSHIP, panel=[people["manager"]]
    )
    second.get_workflow().start(second, people["manager"])
    approve(second, people["manager"])
    for name in PEOPLE:
        user = people[name]
        ours = set()
        for task_class in SIGN_OFF_TASKS:
            ours |= set(task_class.states_user_can_decide(user).values_list("pk", flat=True))
        wagtails = set(TaskState.objects.reviewable_by(user).values_list("pk", flat=True))
        assert ours == wagtails, name
        for state in TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS):
            review = Review.objects.get(pk=state.workflow_state.object_id)
            allowed = state.task.specific.user_can_approve(review, user)
            assert (state.pk in ours) is allowed, (name, review.reference)


@pytest.mark.django_db
def test_the_section_costs_one_query_however_many_reviews_wait(people, wirral):
    reviewer = people["reviewer"]

    def cost():
        request = RequestFactory().get(HOME)
        request.user = type(reviewer).objects.get(pk=reviewer.pk)
        sign_off_sections(request)  # the person's roles, cached on them for the request
        with CaptureQueriesContext(connection) as captured:
            made = sign_off_sections(request)
        return len(captured), made

    counter = itertools.count(40)

    def send():
        review = make_admin_review(
            wirral, f"WIR-RR-2026-{next(counter)}", SharingLevel.RESTRICTED, panel=[reviewer]
        )
        review.get_workflow().start(review, reviewer)

    send()
    few, made = cost()
    assert len(made[0].items) == 1
    for _ in range(4):
        send()
    many, made = cost()
    assert len(made[0].items) == 5
    assert few == many == 1


@pytest.mark.django_db
def test_someone_put_on_the_panel_finds_the_review_waiting_at_once(client, people, sent):
    """Whether a person sits on any panel is kept between requests (`sits_on_a_panel`); a
    change to a panel renews it, so the new member is asked straight away."""
    trainer = people["trainer"]
    assert section(home_of(client, trainer), "review-sign-off-waiting") == ""
    sent.panel.add(trainer)
    sent.save()
    waiting = section(home_of(client, trainer), "review-sign-off-waiting")
    assert "WIR-RR-2026-31" in waiting
