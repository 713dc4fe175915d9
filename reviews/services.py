"""Use-cases of case reviews: keeping milestones in step with the review, completing them, and
converting a rapid review into a Local Child Safeguarding Practice Review."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from . import deadline_cache
from .milestones import (
    milestone_due_dates,
    recorded_done_dates,
    signed_off_kinds,
    specs_for,
)
from .milestones import spec as spec_of
from .models import (
    CLOSED_STATUSES,
    Decision,
    DoneSource,
    Finding,
    Milestone,
    Review,
    ReviewStatus,
    ReviewTimescale,
    ReviewType,
)

RECOMPUTED_FIELDS = ["label", "position", "due_date", "done_date", "statutory", "done_source"]


class ReviewError(Exception):
    """A review use-case refused, with the reason in words a reviewer understands."""


def recompute_milestones(review: Review, *, timescales=None) -> list[Milestone]:
    """Bring `review`'s milestones in line with its dates, type and partnership's timescales.

    Idempotent: a second call writes nothing. Done dates are kept, and a milestone the review no
    longer has is removed unless it was done (what happened stays on record). A date on the
    review that records a milestone (the notification date) is its done date, corrected when
    the date is; cleared, the milestone keeps the date it had. Returns the milestones it
    created or changed.

    Deadlines count from the saved review's dates; a draft's changes to them wait for it to be
    published, as the rest of it does. But a draft that records a step done (a notification
    date) counts at once: a review is published only when signed off, and a notification sent
    is sent."""
    if timescales is None:
        timescales = ReviewTimescale.objects.for_partnership(review.lead_partnership_id)
    with transaction.atomic():
        existing = {m.kind: m for m in Milestone.objects.filter(review=review)}
        recorded = _recorded_done_dates(review)
        done = {kind: m.done_date for kind, m in existing.items() if m.done_date}
        done.update(recorded)
        due = milestone_due_dates(review, timescales, done)
        to_create, to_update = [], []
        for position, spec in enumerate(specs_for(review.review_type)):
            values = {
                "label": spec.label,
                "position": position,
                "due_date": due[spec.kind],
                "done_date": done.get(spec.kind),
                "statutory": spec.statutory,
            }
            if spec.kind in recorded:
                values["done_source"] = DoneSource.RECORDED
            milestone = existing.pop(spec.kind, None)
            if milestone is None:
                to_create.append(Milestone(review=review, kind=spec.kind, **values))
            elif any(getattr(milestone, f) != v for f, v in values.items()):
                for field, value in values.items():
                    setattr(milestone, field, value)
                to_update.append(milestone)
        if to_create:
            Milestone.objects.bulk_create(to_create)
        if to_update:
            Milestone.objects.bulk_update(to_update, RECOMPUTED_FIELDS)
        if to_create or to_update:
            deadline_cache.invalidate()  # bulk writes send no post_save
        stale = [m.pk for m in existing.values() if m.done_date is None]
        if stale:
            Milestone.objects.filter(pk__in=stale).delete()
    return sorted(to_create + to_update, key=lambda m: m.position)


def _recorded_done_dates(review: Review) -> dict[str, date]:
    """The steps the review's dates record as done: the saved review's, and its draft's."""
    recorded = recorded_done_dates(review)
    if review.pk is not None and review.has_unpublished_changes and review.latest_revision_id:
        recorded.update(recorded_done_dates(review.get_latest_revision_as_object()))
    return recorded


def recompute_open_reviews(partnership) -> int:
    """Recompute the milestones of the open reviews `partnership` leads, after it changed a
    timescale. Returns how many reviews were looked at."""
    timescales = ReviewTimescale.objects.for_partnership(partnership)
    reviews = Review.objects.filter(lead_partnership=partnership).exclude(
        status__in=CLOSED_STATUSES
    )
    count = 0
    for review in reviews.iterator():
        recompute_milestones(review, timescales=timescales)
        count += 1
    return count


def complete_milestone(milestone: Milestone, user, day: date | None = None) -> Milestone:
    """Record that `milestone` was done on `day` (today unless given), by `user`; later
    milestones that count from it move.

    Who may is the caller's question (`reviews.permissions.may_mark_milestones_done`), as it is
    for every change to a review. A milestone that a date on the review records is done by
    recording that date: the review's date is what is reported, and a second record of the
    same fact could disagree with it."""
    today = timezone.localdate()
    day = day or today
    spec = spec_of(milestone.review.review_type, milestone.kind)
    if milestone.done_date is not None:
        raise ReviewError(
            f"“{milestone.label}” was already marked done on {milestone.done_date:%-d %B %Y}."
        )
    if spec is not None and spec.done_field:
        field = milestone.review._meta.get_field(spec.done_field).verbose_name
        raise ReviewError(
            f"“{milestone.label}” is done when the review's {field} is recorded: record it "
            "under Dates and decision."
        )
    if day > today:
        raise ReviewError("A milestone cannot be marked done on a date still to come.")
    with transaction.atomic():
        milestone.done_date = day
        milestone.completed_by = user
        milestone.completed_at = timezone.now()
        milestone.done_source = DoneSource.MARKED
        milestone.save(update_fields=["done_date", "completed_by", "completed_at", "done_source"])
        log(
            milestone.review,
            "hub.review.milestone_completed",
            user=user,
            data={"kind": milestone.kind, "label": milestone.label, "day": day.isoformat()},
        )
        recompute_milestones(milestone.review)
    return milestone


def close_signed_off_milestones(review: Review, user=None, day: date | None = None) -> list:
    """Close the milestones that the statutory partners' sign-off completes (the rapid review
    sent, the final report, the audit report), done on `day`, today unless given.

    Called when the "Review sign-off" workflow finishes. Milestones already done keep their
    dates; what comes after sign-off (the Panel's response, publication) stays open. Returns
    the milestones it closed."""
    day = day or timezone.localdate()
    with transaction.atomic():
        closing = list(
            Milestone.objects.select_for_update().filter(
                review=review,
                kind__in=signed_off_kinds(review.review_type),
                done_date__isnull=True,
            )
        )
        if not closing:
            return []
        now = timezone.now()
        for milestone in closing:
            milestone.done_date = day
            milestone.completed_by = user
            milestone.completed_at = now
            milestone.done_source = DoneSource.SIGN_OFF
        Milestone.objects.bulk_update(
            closing, ["done_date", "completed_by", "completed_at", "done_source"]
        )
        deadline_cache.invalidate()
        log(
            Review._base_manager.get(pk=review.pk),
            "hub.review.milestones_signed_off",
            user=user,
            data={
                "kinds": [m.kind for m in closing],
                "labels": [m.label for m in closing],
                "day": day.isoformat(),
            },
        )
        recompute_milestones(review)
    return closing


# What an LCSPR takes over from the rapid review it was opened from. Confidential details stay on
# the rapid review, which the panel can open from the link: identifying detail lives in one place.
CONVERTED_FIELDS = (
    "title",
    "subject_pseudonym",
    "age_band",
    "lead_partnership",
    "level_of_need",
    "incident_date",
    "aware_date",
    "notification_date",
    "decision_date",
    "sharing_level",
)


def convert_to_lcspr(rapid_review: Review, user, *, decision_date: date | None = None) -> Review:
    """Open the Local Child Safeguarding Practice Review a rapid review decided on, linked to it.

    The rapid review's decision becomes LCSPR if it had none; its decision date (or
    `decision_date`, or today) starts the LCSPR's six months."""
    if rapid_review.review_type != ReviewType.RAPID_REVIEW:
        raise ReviewError("Only a rapid review can be converted into an LCSPR.")
    if rapid_review.decision not in ("", Decision.LCSPR):
        raise ReviewError(
            f"The rapid review decided “{rapid_review.get_decision_display()}”, not an LCSPR."
        )
    if Review.objects.filter(converted_from=rapid_review).exists():
        raise ReviewError("This rapid review has already been converted into an LCSPR.")
    if rapid_review.has_unpublished_changes and rapid_review.latest_revision_id:
        raise ReviewError(
            "The rapid review has unpublished changes: publish or discard them, then convert it."
        )

    with transaction.atomic():
        rapid_review.decision = Decision.LCSPR
        rapid_review.decision_date = (
            rapid_review.decision_date or decision_date or timezone.localdate()
        )
        _save_as_published(rapid_review, user)

        lcspr = Review(
            reference=_lcspr_reference(rapid_review.reference),
            review_type=ReviewType.LCSPR,
            status=ReviewStatus.IN_PROGRESS,
            converted_from=rapid_review,
            **{name: getattr(rapid_review, name) for name in CONVERTED_FIELDS},
        )
        lcspr.participating_partnerships = list(rapid_review.participating_partnerships.all())
        lcspr.agencies = list(rapid_review.agencies.all())
        lcspr.panel = list(rapid_review.panel.all())
        lcspr.themes.set(list(rapid_review.themes.all()))
        _save_as_published(lcspr, user, always_revise=True)

        log(rapid_review, "hub.review.converted", user=user, data={"to": lcspr.reference})
        log(lcspr, "hub.review.converted_from", user=user, data={"from": rapid_review.reference})
    return lcspr


def open_review(user, *, themes=(), agencies=(), panel=(), **fields) -> Review:
    """A review that another domain's service opens (a multi-agency case audit opens one for its
    findings): in progress, saved as published with a first revision, so that the admin edits it
    as any other and its milestones are computed as for any other."""
    review = Review(status=ReviewStatus.IN_PROGRESS, **fields)
    review.agencies = list(agencies)
    review.panel = list(panel)
    review.themes.set(list(themes))
    with transaction.atomic():
        _save_as_published(review, user, always_revise=True)
        log(review, "wagtail.create", user=user)
    return review


def add_finding(review: Review, user, *, title: str, text: str, **fields) -> Finding:
    """A finding written into a review outside its editor (a case audit's moderation, the
    demo), published with the review so that the editor's next revision keeps it."""
    finding = Finding(title=title, text=text, **fields)
    with transaction.atomic():
        review.findings.add(finding)
        _save_as_published(review, user, always_revise=True)
    return review.findings.get(title=title, text=text)


def _save_as_published(review: Review, user, *, always_revise: bool = False) -> None:
    """Save `review` and, when it keeps revisions, publish a revision of it: the admin edits from
    the latest revision, which must not bring back what this service changed."""
    review.save()
    if always_revise or review.latest_revision_id:
        revision = review.save_revision(user=user, log_action=False, clean=False)
        revision.publish(user=user, log_action=False, skip_permission_checks=True)


def _lcspr_reference(reference: str) -> str:
    """WIR-RR-2026-03 becomes WIR-LCSPR-2026-03; a reference without -RR- gains -LCSPR."""
    base = (reference.replace("-RR-", "-LCSPR-") if "-RR-" in reference else f"{reference}-LCSPR")[
        :40
    ]
    candidate, n = base, 2
    while Review.objects.filter(reference=candidate).exists():
        suffix = f"-{n}"
        candidate, n = base[: 40 - len(suffix)] + suffix, n + 1
    return candidate
