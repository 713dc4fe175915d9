"""A review's timeline in its editor, and marking its milestones done: through the admin, by
recording the review's own dates, and by signing the review off; the dashboard then lists only
what is still to do."""

import html
import re
from datetime import date, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from partnership.access import SharingLevel
from reviews import demo
from reviews.dashboard import deadlines_for
from reviews.models import (
    SETTLED_STATUSES,
    DoneSource,
    Milestone,
    Review,
    ReviewLogEntry,
    ReviewStatus,
    ReviewType,
)
from reviews.services import ReviewError, close_signed_off_milestones, complete_milestone
from tests.reviews.conftest import make_admin_review

TODAY = date(2027, 1, 7)  # a Thursday
AWARE = date(2026, 12, 18)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2027, 1, 7, 10, 30), tick=False):
        yield


@pytest.fixture
def review(wirral, people):
    """A restricted rapid review, notified the day the partnership became aware, with
    Rhiannon Pike on its panel: the demo's reviewer."""
    return make_admin_review(
        wirral,
        "WIR-RR-2026-21",
        SharingLevel.RESTRICTED,
        panel=[people["reviewer"]],
        aware_date=AWARE,
        notification_date=AWARE,
    )


def edit_url(review):
    return reverse("wagtailsnippets_reviews_review:edit", args=[review.pk])


def done_url(review, kind):
    return reverse("reviews_milestone_done", args=[review.milestones.get(kind=kind).pk])


def timeline_row(body: str, kind: str) -> str:
    """The text of the timeline's row for milestone `kind`, tags stripped."""
    match = re.search(rf'<tr data-milestone="{kind}".*?</tr>', body, re.S)
    assert match, f"no timeline row for {kind}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split())


def milestone(review, kind) -> Milestone:
    return Milestone.objects.get(review=review, kind=kind)


def test_the_editor_shows_every_milestone_with_its_due_date_and_how_late(signed_in, people, review):
    response = signed_in(people["reviewer"]).get(edit_url(review))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="tab-timeline"' in body
    assert body.count('data-hub-component="review-timeline"') == 1
    kinds = re.findall(r'<tr data-milestone="([a-z_]+)"', body)
    assert kinds == list(review.milestones.values_list("kind", flat=True)) and len(kinds) == 8

    sent = timeline_row(body, "rapid_review")
    assert "Rapid review sent to the National Panel" in sent
    assert "Statutory" in sent and "15 working days after the notification date" in sent
    assert "Wed 13 Jan 2027" in sent and "4 working days left" in sent
    assert "Mark done" in sent

    letters = timeline_row(body, "agency_letters")
    assert "Partnership's timescale" in letters and "Statutory" not in letters
    assert "Mon 21 Dec 2026" in letters  # 1 working day after Friday 18 December
    assert "17 days overdue" in letters

    assert "1 working day left" in timeline_row(body, "panel_meeting")  # due Fri 8 Jan
    # The notification date records the notification: done, and not marked done by hand.
    notified = timeline_row(body, "notification")
    assert "Done 18 Dec 2026" in notified and "Recorded by the notification date" in notified
    assert "Mark done" not in notified
    assert f'href="{done_url(review, "rapid_review")}"' in body
    assert f'href="{done_url(review, "notification")}"' not in body


def test_a_milestone_with_no_date_to_count_from_says_so(signed_in, people, wirral):
    review = make_admin_review(
        wirral, "WIR-LCSPR-2026-22", SharingLevel.RESTRICTED, panel=[people["reviewer"]]
    )
    review.review_type = ReviewType.LCSPR
    review.save()
    body = signed_in(people["reviewer"]).get(edit_url(review)).content.decode()
    row = timeline_row(body, "final_report")
    assert "Not yet known" in row and "No due date yet" in row
    assert "6 calendar months after the decision date" in row


def test_a_panel_member_marks_a_milestone_done_through_the_admin(signed_in, people, review):
    client = signed_in(people["reviewer"])
    url = done_url(review, "agency_letters")
    page = client.get(url)
    assert page.status_code == 200
    form = page.content.decode()
    assert "Letters to agencies" in form
    assert 'name="day"' in form and 'value="07/01/2027"' in form
    assert "csrfmiddlewaretoken" in form

    response = client.post(url, {"day": "04/01/2027"})
    assert response.status_code == 302
    assert response.url == edit_url(review) + "#tab-timeline"
    letters = milestone(review, "agency_letters")
    assert letters.done_date == date(2027, 1, 4)
    assert letters.completed_by == people["reviewer"]
    assert letters.completed_at is not None and letters.done_source == DoneSource.MARKED
    entry = ReviewLogEntry.objects.get(review=review, action="hub.review.milestone_completed")
    assert entry.user == people["reviewer"]
    assert entry.data == {
        "kind": "agency_letters",
        "label": "Letters to agencies",
        "day": "2027-01-04",
    }
    assert "Marked “Letters to agencies” done on 2027-01-04" in entry.message

    body = client.get(edit_url(review)).content.decode()
    row = timeline_row(body, "agency_letters")
    assert "Done 4 Jan 2027" in row and "Done 14 days late" in row
    assert "Marked done by Rhiannon Pike" in row and "Mark done" not in row
    # Gone from the dashboard: done is done.
    overdue = [row.milestone.kind for row in deadlines_for(people["reviewer"]).overdue]
    assert "agency_letters" not in overdue and "tell_partners" in overdue


def test_the_done_date_is_today_unless_given(signed_in, people, review):
    signed_in(people["reviewer"]).post(done_url(review, "tell_partners"), {"day": ""})
    assert milestone(review, "tell_partners").done_date == TODAY


def test_a_done_date_still_to_come_is_refused(signed_in, people, review):
    response = signed_in(people["reviewer"]).post(
        done_url(review, "rapid_review"), {"day": "08/01/2027"}
    )
    assert response.status_code == 400
    assert "still to come" in response.content.decode()
    assert milestone(review, "rapid_review").done_date is None


def test_a_milestone_a_review_date_records_is_not_marked_by_hand(people, wirral):
    review = make_admin_review(
        wirral,
        "WIR-RR-2026-23",
        SharingLevel.RESTRICTED,
        panel=[people["reviewer"]],
        aware_date=AWARE,
    )
    with pytest.raises(ReviewError, match="notification date"):
        complete_milestone(milestone(review, "notification"), people["reviewer"], TODAY)
    assert milestone(review, "notification").done_date is None


def test_marking_done_needs_the_csrf_token(people, review):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["reviewer"])
    response = client.post(done_url(review, "rapid_review"), {"day": "2027-01-06"})
    assert response.status_code == 403
    assert milestone(review, "rapid_review").done_date is None


def test_a_reader_who_may_not_change_the_review_is_refused(signed_in, people, wirral):
    """Regional sharing lets Liverpool's manager read a Wirral review, not change it; Wirral's
    scrutineer sees a partnership review and may change no review at all."""
    for reference, level, username in (
        ("WIR-RR-2026-31", SharingLevel.REGIONAL, "liverpool.manager"),
        ("WIR-RR-2026-32", SharingLevel.PARTNERSHIP, "scrutineer"),
    ):
        shared = make_admin_review(
            wirral, reference, level, panel=[people["reviewer"]], aware_date=AWARE
        )
        client = signed_in(people[username])
        url = done_url(shared, "rapid_review")
        assert client.get(url).status_code == 403, username
        assert client.post(url, {"day": "2027-01-06"}).status_code == 403, username
        assert milestone(shared, "rapid_review").done_date is None


def test_someone_who_cannot_see_the_review_gets_404(signed_in, people, review):
    for username in ("liverpool.manager", "halton.reviewer", "qa"):
        client = signed_in(people[username])
        url = done_url(review, "rapid_review")
        assert client.get(url).status_code == 404, username
        assert client.post(url, {"day": "2027-01-06"}).status_code == 404, username
    assert milestone(review, "rapid_review").done_date is None
    missing = reverse("reviews_milestone_done", args=[999999])
    assert signed_in(people["reviewer"]).get(missing).status_code == 404


def _edit_form(client, review):
    """The editor's form as the browser would send it: Save draft, since a review is
    published only by its sign-off."""
    response = client.get(edit_url(review))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="w-editor-form")
    return data


def test_recording_the_notification_date_in_the_editor_marks_the_notification_done(
    signed_in, people, wirral
):
    review = make_admin_review(
        wirral,
        "WIR-RR-2026-24",
        SharingLevel.RESTRICTED,
        panel=[people["reviewer"]],
        aware_date=AWARE,
    )
    assert milestone(review, "notification").done_date is None
    client = signed_in(people["reviewer"])
    data = _edit_form(client, review)
    data["notification_date"] = "22/12/2026"
    assert client.post(edit_url(review), data).status_code == 302
    notified = milestone(review, "notification")
    assert notified.done_date == date(2026, 12, 22)
    assert notified.done_source == DoneSource.RECORDED
    # The rapid review's plan now counts from the notification actually sent.
    assert milestone(review, "rapid_review").due_date == date(2027, 1, 15)

    # A corrected notification date corrects the milestone too.
    data = _edit_form(client, review)
    data["notification_date"] = "21/12/2026"
    assert client.post(edit_url(review), data).status_code == 302
    assert milestone(review, "notification").done_date == date(2026, 12, 21)
    assert milestone(review, "rapid_review").due_date == date(2027, 1, 14)


def _approve(review, user):
    state = Review.objects.get(pk=review.pk).current_workflow_state.current_task_state.specific
    state.task.specific.on_action(state, user, "approve")


def test_signing_off_closes_the_milestones_sign_off_completes(signed_in, people, review):
    complete_milestone(milestone(review, "agency_letters"), people["reviewer"], date(2026, 12, 21))
    review.get_workflow().start(review, people["reviewer"])
    for username in (
        "reviewer",
        "wirral.la.partner",
        "wirral.police.partner",
        "wirral.health.partner",
    ):
        _approve(review, people[username])
    review.refresh_from_db()
    assert review.status == ReviewStatus.SIGNED_OFF

    done = dict(review.milestones.values_list("kind", "done_date"))
    assert done["agency_letters"] == date(2026, 12, 21)  # marked before: kept
    for kind in ("tell_partners", "agency_summaries", "panel_meeting", "partner_sign_off"):
        assert done[kind] == TODAY, kind
    sent = milestone(review, "rapid_review")
    assert sent.done_date == TODAY and sent.done_source == DoneSource.SIGN_OFF
    assert sent.completed_by == people["wirral.health.partner"]
    # The Panel responds after sign-off: still open, now counting from the day it was sent.
    response = milestone(review, "panel_response")
    assert response.done_date is None and response.due_date == date(2027, 1, 21)
    entry = ReviewLogEntry.objects.get(review=review, action="hub.review.milestones_signed_off")
    assert "rapid_review" in entry.data["kinds"] and "agency_letters" not in entry.data["kinds"]

    assert [row.milestone.kind for row in deadlines_for(people["reviewer"]).overdue] == []
    body = signed_in(people["reviewer"]).get(edit_url(review)).content.decode()
    assert "Closed at sign-off by Hana Okonjo" in timeline_row(body, "rapid_review")


def test_sign_off_leaves_what_comes_after_it_open(make_review):
    lcspr = make_review(
        review_type=ReviewType.LCSPR, decision_date=date(2026, 3, 2), status="signed_off"
    )
    closed = close_signed_off_milestones(lcspr)
    assert [m.kind for m in closed] == ["final_report"]
    still_open = set(lcspr.milestones.filter(done_date=None).values_list("kind", flat=True))
    assert still_open == {"publication", "pre_publication_copy"}
    assert close_signed_off_milestones(lcspr) == []


def test_the_timeline_shows_an_approver_no_mark_done(signed_in, people, review):
    """A statutory partner's delegate opens the review to sign it; they do not change it."""
    review.get_workflow().start(review, people["reviewer"])
    _approve(review, people["reviewer"])
    client = signed_in(people["wirral.la.partner"])
    body = client.get(edit_url(review)).content.decode()
    assert "4 working days left" in timeline_row(body, "rapid_review")
    assert "Mark done" not in body
    assert client.post(done_url(review, "rapid_review")).status_code == 403


def test_demo_reviews_signed_off_or_beyond_have_nothing_overdue(world, people):
    demo.build(world, scale=2)
    demo.build(world, scale=2)  # re-runs keep what was done
    after_sign_off = [*SETTLED_STATUSES, ReviewStatus.EMBARGOED]
    signed_off = Review.objects.filter(status__in=after_sign_off)
    assert signed_off.filter(reference__startswith="BENCH-").exists()
    assert not Milestone.objects.overdue(TODAY).filter(review__in=signed_off).exists()
    assert not Milestone.objects.filter(
        review__in=signed_off, kind="rapid_review", done_date=None
    ).exists()
    # Reviews still in hand keep their deadlines: the demo still shows something overdue.
    assert Milestone.objects.overdue(TODAY).exclude(review__in=signed_off).exists()
    for username in ("reviewer", "manager", "admin"):
        rows = deadlines_for(people[username], limit=1000).overdue
        assert not [r for r in rows if r.milestone.review.status in after_sign_off], username
