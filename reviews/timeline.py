"""A review's timeline for its editor: every milestone, when it is due, on what authority, and
whether it is done, with how long is left or how late it is, in words a reviewer reads aloud."""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils import timezone

from hub.working_days import working_days_between

from .milestones import Unit, spec
from .models import DoneSource, Milestone, ReviewTimescale


@dataclass(frozen=True)
class TimelineRow:
    milestone: Milestone
    state: str  # "done", "overdue", "due" or "undated"
    timescale: str  # "15 working days after the notification date"
    basis: str  # "Statutory", "Local: ...", "Commonly cited: ..."
    when: str  # "3 working days left", "12 days overdue", "Done on time"
    done_how: str  # "Marked done by Rhiannon Pike", "Recorded by the notification date"
    recorded_by: str  # the review date that records it, when one does: "notification date"
    mark_done_url: str | None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def time_left(milestone: Milestone, today: date, unit: str | None) -> str:
    """ "Due today", "3 working days left" or "12 days overdue" (calendar days, as the
    dashboard counts them); working days left when the milestone counts in working days."""
    due = milestone.due_date
    if due < today:
        return f"{_plural((today - due).days, 'day')} overdue"
    if due == today:
        return "Due today"
    if unit == Unit.WORKING_DAYS:
        days = working_days_between(today, due)
        if days == 0:  # due on a weekend or bank holiday still to come
            return "Due on the next working day"
        return f"{_plural(days, 'working day')} left"
    return f"{_plural((due - today).days, 'day')} left"


def _lateness(milestone: Milestone) -> str:
    if milestone.due_date is None or milestone.done_date <= milestone.due_date:
        return "Done on time"
    return f"Done {_plural((milestone.done_date - milestone.due_date).days, 'day')} late"


def _done_how(milestone: Milestone, recorded_by: str) -> str:
    user = milestone.completed_by
    who = (user.get_full_name() or user.get_username()) if user else ""
    if milestone.done_source == DoneSource.RECORDED or (recorded_by and not who):
        return f"Recorded by the {recorded_by}" if recorded_by else "Recorded on the review"
    if milestone.done_source == DoneSource.SIGN_OFF:
        return f"Closed at sign-off by {who}" if who else "Closed at sign-off"
    return f"Marked done by {who}" if who else ""


def timeline_for(review, may_mark_done: bool, today: date | None = None) -> list[TimelineRow]:
    """The rows of `review`'s timeline, in order. Two queries: the milestones with who did
    them, and the lead partnership's timescales."""
    if review.pk is None:
        return []
    today = today or timezone.localdate()
    milestones = Milestone.objects.filter(review_id=review.pk).select_related("completed_by")
    timescales = ReviewTimescale.objects.for_partnership(review.lead_partnership_id)
    rows = []
    for milestone in milestones:
        s = spec(review.review_type, milestone.kind)
        recorded_by = ""
        if s and s.done_field:
            recorded_by = str(review._meta.get_field(s.done_field).verbose_name)
        amount = None if s is None or s.statutory else timescales.get((review.review_type, s.kind))
        if milestone.done_date:
            state, when = "done", _lateness(milestone)
        elif milestone.due_date is None:
            state, when = "undated", "No due date yet"
        else:
            state = "overdue" if milestone.due_date < today else "due"
            when = time_left(milestone, today, s.unit if s else None)
        url = None
        if may_mark_done and not milestone.done_date and not recorded_by:
            url = reverse("reviews_milestone_done", args=[milestone.pk])
        rows.append(
            TimelineRow(
                milestone=milestone,
                state=state,
                timescale=s.describe(amount) if s else "",
                basis="Statutory" if milestone.statutory else "Partnership's timescale",
                when=when,
                done_how=_done_how(milestone, recorded_by) if milestone.done_date else "",
                recorded_by=recorded_by,
                mark_done_url=url,
            )
        )
    return rows
