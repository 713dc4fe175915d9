"""Milestone due dates from a review's dates, without the database."""

from datetime import date

from reviews.milestones import MILESTONES, Basis, milestone_due_dates, spec
from reviews.models import Review, ReviewType


def review(review_type=ReviewType.RAPID_REVIEW, **dates):
    return Review(review_type=review_type, **dates)


def test_rapid_review_counts_statutory_and_local_days_over_christmas():
    due = milestone_due_dates(
        review(aware_date=date(2026, 12, 18), notification_date=date(2026, 12, 18))
    )
    # 5 working days from Friday 18 December: 21, 22, 23, 24, then 29 after the holidays.
    assert due["notification"] == date(2026, 12, 29)
    assert due["tell_partners"] == date(2026, 12, 29)
    assert due["agency_letters"] == date(2026, 12, 21)
    assert due["agency_summaries"] == date(2027, 1, 6)
    assert due["panel_meeting"] == date(2027, 1, 8)
    assert due["partner_sign_off"] == date(2027, 1, 13)
    # 15 working days from the notification, skipping 25, 28 December and 1 January.
    assert due["rapid_review"] == date(2027, 1, 13)
    assert due["panel_response"] == date(2027, 1, 27)


def test_notification_over_easter():
    due = milestone_due_dates(review(aware_date=date(2026, 3, 31)))
    assert due["notification"] == date(2026, 4, 9)


def test_before_notification_is_sent_the_plan_counts_from_when_it_is_due():
    due = milestone_due_dates(review(aware_date=date(2026, 3, 2)))
    assert due["notification"] == date(2026, 3, 9)
    assert due["rapid_review"] == date(2026, 3, 30)


def test_milestones_are_unknown_until_their_start_is_known():
    due = milestone_due_dates(review())
    assert due["notification"] is None
    assert due["rapid_review"] is None


def test_the_panel_responds_to_the_rapid_review_actually_sent():
    r = review(aware_date=date(2026, 3, 2), notification_date=date(2026, 3, 4))
    early = milestone_due_dates(r, done={"rapid_review": date(2026, 3, 16)})
    assert early["panel_response"] == date(2026, 3, 30)


def test_partnership_figures_change_local_milestones_but_never_statutory_ones():
    r = review(aware_date=date(2026, 3, 2), notification_date=date(2026, 3, 4))
    figures = {
        (ReviewType.RAPID_REVIEW, "agency_summaries"): 8,
        (ReviewType.RAPID_REVIEW, "rapid_review"): 30,
    }
    due = milestone_due_dates(r, figures)
    assert due["agency_summaries"] == date(2026, 3, 16)
    assert due["rapid_review"] == date(2026, 3, 25)


def test_lcspr_final_report_is_six_calendar_months_after_the_decision():
    due = milestone_due_dates(review(ReviewType.LCSPR, decision_date=date(2026, 8, 31)))
    assert due["final_report"] == date(2027, 2, 28)
    # Published 10 working days after the final report by default; copy 7 working days before.
    assert due["publication"] == date(2027, 3, 12)
    assert due["pre_publication_copy"] == date(2027, 3, 3)


def test_pre_publication_copy_counts_back_from_the_publication_date_set():
    r = review(ReviewType.LCSPR, decision_date=date(2026, 6, 1), publication_date=date(2027, 1, 5))
    assert milestone_due_dates(r)["pre_publication_copy"] == date(2026, 12, 22)


def test_sar_dardr_and_local_reviews():
    assert milestone_due_dates(review(ReviewType.SAR, decision_date=date(2026, 1, 31)))[
        "final_report"
    ] == date(2026, 7, 31)
    dardr = milestone_due_dates(review(ReviewType.DARDR, aware_date=date(2026, 1, 31)))
    assert dardr["decision"] == date(2026, 2, 28)
    assert dardr["final_report"] == date(2026, 8, 28)
    s11 = milestone_due_dates(review(ReviewType.SECTION_11_AUDIT, start_date=date(2026, 2, 2)))
    assert s11["next_audit"] == date(2028, 2, 2)
    audit = milestone_due_dates(review(ReviewType.MULTI_AGENCY_AUDIT, start_date=date(2026, 1, 15)))
    assert audit == {"audit_report": date(2026, 4, 15), "re_audit": date(2026, 10, 15)}


def test_every_review_type_has_a_definition_and_the_export_kinds_exist():
    assert set(MILESTONES) == set(ReviewType.values)
    assert spec(ReviewType.RAPID_REVIEW, "notification").basis == Basis.STATUTORY
    assert spec(ReviewType.RAPID_REVIEW, "rapid_review").basis == Basis.STATUTORY
    assert spec(ReviewType.RAPID_REVIEW, "panel_response").basis == Basis.CHECK
    assert spec(ReviewType.LCSPR, "final_report").statutory
    assert spec(ReviewType.SAR, "final_report").basis == Basis.CHECK
