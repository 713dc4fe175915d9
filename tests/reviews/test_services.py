"""Milestone rows kept in step with reviews and timescales; completion; conversion to LCSPR."""

from datetime import date

import pytest
import time_machine

from partnership.models import Theme
from reviews.milestones import due_dates_for
from reviews.models import Decision, Milestone, Review, ReviewLogEntry, ReviewTimescale, ReviewType
from reviews.services import (
    ReviewError,
    complete_milestone,
    convert_to_lcspr,
    recompute_milestones,
)


def due(review, kind):
    return Milestone.objects.get(review=review, kind=kind).due_date


def test_saving_a_review_computes_its_milestones(rapid_review):
    kinds = list(rapid_review.milestones.values_list("kind", flat=True))
    assert kinds[0] == "notification" and "rapid_review" in kinds and len(kinds) == 8
    assert due(rapid_review, "rapid_review") == date(2027, 1, 13)
    assert Milestone.objects.get(review=rapid_review, kind="rapid_review").statutory
    assert not Milestone.objects.get(review=rapid_review, kind="panel_meeting").statutory
    # The notification date on the review records the notification as done.
    assert Milestone.objects.get(review=rapid_review, kind="notification").done_date == date(
        2026, 12, 18
    )


def test_recompute_is_idempotent_and_keeps_done_dates(rapid_review, people):
    assert recompute_milestones(rapid_review) == []
    with time_machine.travel(date(2027, 1, 20), tick=False):
        complete_milestone(
            rapid_review.milestones.get(kind="rapid_review"), people["reviewer"], date(2027, 1, 11)
        )
    rapid_review.notification_date = date(2026, 12, 21)
    rapid_review.save()
    rapid_review.refresh_from_db()
    assert due(rapid_review, "rapid_review") == date(2027, 1, 14)
    sent = rapid_review.milestones.get(kind="rapid_review")
    assert sent.done_date == date(2027, 1, 11)
    # The Panel's response counts from the day the rapid review was sent, not from its deadline.
    assert due(rapid_review, "panel_response") == date(2027, 1, 25)
    assert due_dates_for(rapid_review)["panel_response"] == date(2027, 1, 25)


def test_changing_the_type_replaces_milestones_not_done(rapid_review):
    rapid_review.review_type = ReviewType.LCSPR
    rapid_review.decision_date = date(2027, 1, 13)
    rapid_review.save()
    kinds = set(rapid_review.milestones.values_list("kind", flat=True))
    # The notification was done, so it stays on record; the rest of the rapid review's plan goes.
    assert kinds == {"notification", "final_report", "publication", "pre_publication_copy"}


def test_publishing_a_revision_recomputes(rapid_review):
    rapid_review.notification_date = None
    rapid_review.aware_date = date(2026, 3, 31)
    revision = rapid_review.save_revision()
    assert due(rapid_review, "notification") != date(2026, 4, 9)
    revision.publish()
    assert due(rapid_review, "notification") == date(2026, 4, 9)


def test_a_changed_partnership_setting_changes_the_deadline(rapid_review, make_review, liverpool):
    elsewhere = make_review(
        liverpool, aware_date=date(2026, 12, 18), notification_date=date(2026, 12, 18)
    )
    assert due(rapid_review, "agency_summaries") == date(2027, 1, 6)
    setting = ReviewTimescale.objects.get(
        partnership=rapid_review.lead_partnership,
        review_type=ReviewType.RAPID_REVIEW,
        kind="agency_summaries",
    )
    setting.amount = 8
    setting.save()
    assert due(rapid_review, "agency_summaries") == date(2027, 1, 4)
    assert due(elsewhere, "agency_summaries") == date(2027, 1, 6)
    assert due_dates_for(rapid_review)["agency_summaries"] == date(2027, 1, 4)


def test_every_partnership_has_its_settings_with_the_defaults(world, liverpool):
    figures = ReviewTimescale.objects.filter(partnership=liverpool)
    assert figures.get(review_type=ReviewType.RAPID_REVIEW, kind="panel_response").amount == 10
    assert figures.get(review_type=ReviewType.SECTION_11_AUDIT, kind="next_audit").amount == 24
    # Statutory figures are not settings.
    assert not figures.filter(kind="rapid_review").exists()
    assert not figures.filter(review_type=ReviewType.LCSPR, kind="final_report").exists()


def test_overdue_and_due_soon_querysets(rapid_review, make_review):
    make_review(
        status="published", aware_date=date(2026, 12, 18), notification_date=date(2026, 12, 18)
    )
    today = date(2027, 1, 7)
    overdue = set(Milestone.objects.overdue(today).values_list("kind", flat=True))
    # Notification is done; tell_partners (29 Dec), letters and summaries (6 Jan) are late.
    assert overdue == {"tell_partners", "agency_letters", "agency_summaries"}
    soon = Milestone.objects.due_within_working_days(today, 5)
    assert set(soon.values_list("kind", flat=True)) == {
        "panel_meeting",
        "partner_sign_off",
        "rapid_review",
    }
    tomorrow = Milestone.objects.due_within_working_days(today, 1)
    assert list(tomorrow.values_list("kind", flat=True)) == ["panel_meeting"]
    milestone = Milestone.objects.get(review=rapid_review, kind="tell_partners")
    assert milestone.days_overdue(today) == 9


@time_machine.travel(date(2027, 1, 8), tick=False)
def test_complete_milestone_rules(rapid_review, people):
    milestone = rapid_review.milestones.get(kind="panel_meeting")
    with pytest.raises(ReviewError, match="still to come"):
        complete_milestone(milestone, people["reviewer"], date(2027, 1, 9))
    complete_milestone(milestone, people["reviewer"], date(2027, 1, 8))
    milestone.refresh_from_db()
    assert milestone.done_date == date(2027, 1, 8)
    assert milestone.completed_by == people["reviewer"]
    assert not Milestone.objects.overdue(date(2027, 2, 1)).filter(pk=milestone.pk).exists()
    with pytest.raises(ReviewError, match="already"):
        complete_milestone(milestone, people["reviewer"], date(2027, 1, 8))
    assert ReviewLogEntry.objects.filter(
        review=rapid_review, action="hub.review.milestone_completed"
    ).exists()


def test_conversion_opens_a_linked_lcspr_with_its_own_milestones(
    make_review, people, world, liverpool
):
    rapid = make_review(
        aware_date=date(2026, 8, 1),
        decision_date=date(2026, 8, 31),
        sharing_level="partnership",
        age_band="1_4",
    )
    rapid.participating_partnerships.set([liverpool])
    rapid.agencies.set([world.agencies[("Wirral", "Police")]])
    rapid.panel.set([people["reviewer"]])
    rapid.themes.set([Theme.objects.get(slug="neglect")])
    rapid.save()

    lcspr = convert_to_lcspr(rapid, people["reviewer"])

    lcspr = Review.objects.get(pk=lcspr.pk)
    rapid.refresh_from_db()
    assert lcspr.review_type == ReviewType.LCSPR
    assert lcspr.converted_from == rapid and rapid.converted_to == lcspr
    assert rapid.decision == Decision.LCSPR
    assert (lcspr.title, lcspr.subject_pseudonym, lcspr.sharing_level) == (
        rapid.title,
        rapid.subject_pseudonym,
        "partnership",
    )
    assert list(lcspr.participating_partnerships.all()) == [liverpool]
    assert list(lcspr.agencies.all()) == [world.agencies[("Wirral", "Police")]]
    assert list(lcspr.panel.all()) == [people["reviewer"]]
    assert [t.slug for t in lcspr.themes.all()] == ["neglect"]
    assert due(lcspr, "final_report") == date(2027, 2, 28)
    assert lcspr.latest_revision is not None and lcspr.live
    assert ReviewLogEntry.objects.filter(review=rapid, action="hub.review.converted").exists()

    with pytest.raises(ReviewError, match="already been converted"):
        convert_to_lcspr(rapid, people["reviewer"])


def test_conversion_is_refused_for_other_types_and_other_decisions(make_review, people):
    with pytest.raises(ReviewError, match="Only a rapid review"):
        convert_to_lcspr(make_review(review_type=ReviewType.SAR), people["reviewer"])
    decided = make_review(decision=Decision.NO_FURTHER_REVIEW)
    with pytest.raises(ReviewError, match="not an LCSPR"):
        convert_to_lcspr(decided, people["reviewer"])
    assert not Review.objects.filter(converted_from=decided).exists()


@time_machine.travel(date(2026, 10, 5), tick=False)
def test_conversion_without_a_decision_date_decides_today(make_review, people):
    rapid = make_review(reference="WIR-RR-2026-07")
    lcspr = convert_to_lcspr(rapid, people["reviewer"])
    assert lcspr.reference == "WIR-LCSPR-2026-07"
    assert lcspr.decision_date == date(2026, 10, 5)
    assert due(lcspr, "final_report") == date(2027, 4, 5)
