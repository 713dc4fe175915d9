"""Use-cases of case reviews: keeping milestones in step with the review, completing them, and
converting a rapid review into a Local Child Safeguarding Practice Review."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from .milestones import milestone_due_dates, recorded_done_dates, specs_for
from .models import (
    CLOSED_STATUSES,
    Decision,
    Milestone,
    Review,
    ReviewStatus,
    ReviewTimescale,
    ReviewType,
)


class ReviewError(Exception):
    """A review use-case refused, with the reason in words a reviewer understands."""


def recompute_milestones(review: Review, *, timescales=None) -> list[Milestone]:
    """Bring `review`'s milestones in line with its dates, type and partnership's timescales.

    Idempotent: a second call writes nothing. Done dates are kept, and a milestone the review no
    longer has is removed unless it was done (what happened stays on record). Returns the
    milestones it created or changed."""
    if timescales is None:
        timescales = ReviewTimescale.objects.for_partnership(review.lead_partnership_id)
    with transaction.atomic():
        existing = {m.kind: m for m in Milestone.objects.filter(review=review)}
        done = {kind: m.done_date for kind, m in existing.items() if m.done_date}
        done = {**recorded_done_dates(review), **done}
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
            Milestone.objects.bulk_update(
                to_update, ["label", "position", "due_date", "done_date", "statutory"]
            )
        stale = [m.pk for m in existing.values() if m.done_date is None]
        if stale:
            Milestone.objects.filter(pk__in=stale).delete()
    return sorted(to_create + to_update, key=lambda m: m.position)


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


def complete_milestone(milestone: Milestone, user, day: date) -> Milestone:
    """Record that `milestone` was done on `day`; later milestones that count from it move."""
    if milestone.done_date is not None:
        raise ReviewError(
            f"“{milestone.label}” was already marked done on {milestone.done_date:%-d %B %Y}."
        )
    if day > timezone.localdate():
        raise ReviewError("A milestone cannot be marked done on a date still to come.")
    with transaction.atomic():
        milestone.done_date = day
        milestone.completed_by = user
        milestone.save(update_fields=["done_date", "completed_by"])
        log(
            milestone.review,
            "hub.review.milestone_completed",
            user=user,
            data={"kind": milestone.kind, "label": milestone.label, "day": day.isoformat()},
        )
        recompute_milestones(milestone.review)
    return milestone


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
