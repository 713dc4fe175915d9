"""The demo a partnership believes: after `load_demo`, every demo person's home page has live
work on it, the adult reviews are the adults board's, each briefing's level of need is its
case's, and every session falls on a working day. Read through the pages people open."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from hub.working_days import is_working_day
from learning.models import LearningBriefing
from reviews.models import Review, ReviewType, may_lead
from training.models import Session

# username -> (home page, words that show their top piece of live work)
LIVE_WORK = {
    "practitioner": ("/", ["Places offered to you", "Accept your place on", "After your training"]),
    "agencylead": ("/", ["days overdue", "Decisions on extension requests", "Approved"]),
    "exec": ("/", ["Escalated to the executive group", "WIR-LCSPR-2025-02-A2"]),
    "qa": ("/admin/", ["Extension requests waiting", "WIR-RR-2025-11-A2", "To decide"]),
    "trainer": ("/admin/", ["Registers to mark", "delegates not yet marked"]),
    "reviewer": ("/admin/", ["Review deadlines", "Days overdue"]),
    "manager": ("/admin/", ["Overdue actions by agency", "Merseyside Police"]),
    "scrutineer": ("/admin/", ["Learning embedded", "Embedded"]),
    "sab.manager": ("/admin/", ["Learning embedded", "Overdue actions by agency"]),
}

# username -> markup that must not be there: a trainer may read the Child M review but has no
# part in it, so is not shown its deadlines.
NOT_THEIRS = {
    "trainer": ['id="review-deadlines"'],
}


@pytest.fixture
def demo(db, settings):
    settings.HUB_PAGE_CACHE_SECONDS = 0
    call_command("load_demo", verbosity=0)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.django_db
def test_every_demo_person_has_live_work_on_their_home_page(client, demo, django_user_model):
    for username, (url, words) in LIVE_WORK.items():
        client.force_login(django_user_model.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, username
        page = text_of(response)
        missing = [w for w in words if w not in page]
        assert not missing, (username, missing)
        html = response.content.decode()
        wrong = [w for w in NOT_THEIRS.get(username, []) if w in html]
        assert not wrong, (username, wrong)
        client.logout()


@pytest.mark.django_db
def test_adult_reviews_are_led_by_the_adults_board_and_every_lead_may_lead(demo):
    for review in Review.objects.select_related("lead_partnership"):
        assert may_lead(review.review_type, review.lead_partnership.kind), review.reference
        review.full_clean()
    adults = Review.objects.filter(review_type__in=[ReviewType.SAR, ReviewType.DARDR])
    assert set(adults.values_list("lead_partnership__short_name", flat=True)) == {"Wirral SAB"}
    assert not adults.exclude(level_of_need=None).exists()


@pytest.mark.django_db
def test_each_briefing_has_the_level_of_need_of_the_case_it_comes_from(demo):
    briefings = LearningBriefing.objects.prefetch_related("source_reviews")
    assert briefings.count() >= 10
    for briefing in briefings:
        [review] = briefing.source_reviews.all()
        assert briefing.level_of_need == review.level_of_need, briefing.slug
    bruising = LearningBriefing.objects.get(slug="bruising-in-non-mobile-babies")
    assert bruising.get_level_of_need_display().startswith("Level 4")


@pytest.mark.django_db
def test_every_demo_session_falls_on_a_working_day(demo):
    days = {timezone.localdate(s.starts_at) for s in Session.objects.all()}
    assert days
    assert not [day for day in days if not is_working_day(day)]


@pytest.mark.django_db
def test_only_people_who_may_edit_or_lock_pages_get_wagtails_page_editing_panels(rf, demo):
    from django.contrib.auth import get_user_model
    from wagtail.admin.views.home import LockedPagesPanel, RecentEditsPanel

    from partnership.admin_home import narrow_home_panels

    def panels_for(username):
        request = rf.get("/admin/")
        request.user = get_user_model().objects.get(username=username)
        panels = [RecentEditsPanel(), LockedPagesPanel()]
        narrow_home_panels(request, panels)
        return [type(p).__name__ for p in panels]

    # No Hub role may lock a page, so only an administrator has locked pages to list.
    assert panels_for("admin") == ["HubRecentEditsPanel", "HubLockedPagesPanel"]
    assert panels_for("trainer") == ["HubRecentEditsPanel"]
    for username in ("scrutineer", "wirral.police.partner"):
        assert panels_for(username) == [], username
