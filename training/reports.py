"""Training reports: attendance, non-attendance charges, waiting-list demand and evaluation
scores, for the partnership that runs the courses.

Every report starts from `scoped_bookings(user)` or `scoped_sessions(user)`: the sessions of
courses the reader's own partnership runs (a Hub administrator sees every partnership), and
counts in the database with one GROUP BY query, so a year of 50,000 bookings costs what a week
of 50 does. Who may read them: partnership managers, trainers and quality assurance; charges
(money owed by agencies) only managers and trainers, who raise and answer for them.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Case, Count, F, FloatField, Q, Sum, Value, When
from django.db.models.functions import Cast, Concat, Round
from django.utils import timezone

from partnership.access import has_role, membership_of, sees_everything
from partnership.models import Role

from .models import Booking, BookingState, EvaluationKind, PracticeChange, Session
from .register import ON_REGISTER

READER_ROLES = (Role.PARTNERSHIP_MANAGER, Role.TRAINER, Role.QUALITY_ASSURANCE)
CHARGE_ROLES = (Role.PARTNERSHIP_MANAGER, Role.TRAINER)
S = BookingState


def can_see_training_reports(user) -> bool:
    return sees_everything(user) or (
        membership_of(user) is not None and has_role(user, *READER_ROLES)
    )


def can_see_charges(user) -> bool:
    return sees_everything(user) or (
        membership_of(user) is not None and has_role(user, *CHARGE_ROLES)
    )


def _scope(user, queryset, partnership_path: str):
    if sees_everything(user):
        return queryset
    membership = membership_of(user)
    if membership is None or not has_role(user, *READER_ROLES):
        return queryset.none()
    return queryset.filter(**{partnership_path: membership.partnership_id})


def scoped_bookings(user):
    """Bookings on sessions of courses the reader's partnership runs."""
    return _scope(user, Booking.objects.all(), "session__course__partnership_id")


def scoped_sessions(user):
    return _scope(user, Session.objects.all(), "course__partnership_id")


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def in_period(queryset, start: date | None, end: date | None, path: str = "session__starts_at"):
    """Sessions on days from `start` to `end` inclusive, in London time."""
    if start:
        queryset = queryset.filter(**{f"{path}__gte": _midnight(start)})
    if end:
        queryset = queryset.filter(**{f"{path}__lt": _midnight(end + timedelta(days=1))})
    return queryset


def _percent(part: str, whole: str):
    return Case(
        When(**{f"{whole}__gt": 0}, then=Round(Cast(F(part), FloatField()) * 100 / F(whole))),
        default=None,
        output_field=FloatField(),
    )


GROUPS = {
    "agency": ("agency_id", "agency__name", "agency__partnership__short_name"),
    "partnership": ("partnership_id", "partnership__short_name", "partnership__name"),
    "course": (
        "session__course_id",
        "session__course__title",
        "session__course__partnership__short_name",
    ),
}
# The name each grouping sorts and is labelled by; a booking with no agency recorded sorts last.
NAMES = {
    "agency": "agency__name",
    "partnership": "partnership__short_name",
    "course": "session__course__title",
}


def attendance(bookings, by: str = "agency"):
    """Per agency (the one the delegate booked with) or per partnership (the delegate's):
    places held, attended, did not attend, cancelled late, and the attendance rate among the
    delegates marked on a register. One query."""
    return (
        bookings.order_by()
        .values(*GROUPS[by])
        .annotate(
            booked=Count("pk", filter=Q(state__in=ON_REGISTER)),
            attended=Count("pk", filter=Q(state=S.ATTENDED)),
            did_not_attend=Count("pk", filter=Q(state=S.DID_NOT_ATTEND)),
            cancelled_late=Count("pk", filter=Q(state=S.CANCELLED_LATE)),
            marked=Count(
                "pk", filter=Q(state__in=[S.ATTENDED, S.DID_NOT_ATTEND, S.CANCELLED_LATE])
            ),
        )
        .annotate(rate=_percent("attended", "marked"))
        .filter(booked__gt=0)
        .order_by(F(NAMES[by]).asc(nulls_last=True))
    )


def charges(bookings, by: str = "agency"):
    """What each agency (or partnership) is charged for non-attendance and late cancellation:
    delegates, sessions, charges and the total. One query."""
    return (
        bookings.filter(charge__isnull=False, charge__gt=0)
        .order_by()
        .values(*GROUPS[by])
        .annotate(
            delegates=Count("user", distinct=True),
            sessions=Count("session", distinct=True),
            charges=Count("pk"),
            did_not_attend=Count("pk", filter=Q(state=S.DID_NOT_ATTEND)),
            cancelled_late=Count("pk", filter=Q(state=S.CANCELLED_LATE)),
            total=Sum("charge"),
        )
        .order_by(F(NAMES[by]).asc(nulls_last=True))
    )


def charge_lines(bookings):
    """Each charged booking, for an invoice: one query."""
    return (
        bookings.filter(charge__isnull=False, charge__gt=0)
        .select_related("session__course", "agency", "user", "marked_by")
        # Names as columns, so a booking with no agency or marker exports as a blank cell.
        .annotate(
            agency_name=F("agency__name"),
            delegate_name=Concat("user__first_name", Value(" "), "user__last_name"),
            marked_by_name=Concat("marked_by__first_name", Value(" "), "marked_by__last_name"),
        )
        .order_by("agency__name", "session__starts_at", "user__last_name")
    )


def waiting_demand_by_session(sessions):
    """Per session: capacity, places taken, waiting now, places offered and offers expired."""
    return (
        sessions.order_by()
        .values("pk", "course__title", "starts_at", "capacity")
        .annotate(
            taken=Count("bookings", filter=Q(bookings__state__in=S.holding_a_place())),
            waiting=Count("bookings", filter=Q(bookings__state=S.WAITING)),
            offered=Count("bookings", filter=Q(bookings__offered_at__isnull=False)),
            offers_expired=Count("bookings", filter=Q(bookings__state=S.OFFER_EXPIRED)),
        )
        .order_by("starts_at", "pk")
    )


def waiting_demand_by_course(bookings):
    """Per course: sessions, waiting now, offered, offers expired (one query)."""
    return (
        bookings.order_by()
        .values(*GROUPS["course"])
        .annotate(
            sessions=Count("session", distinct=True),
            waiting=Count("pk", filter=Q(state=S.WAITING)),
            offered=Count("pk", filter=Q(offered_at__isnull=False)),
            offers_expired=Count("pk", filter=Q(state=S.OFFER_EXPIRED)),
        )
        .order_by("session__course__title")
    )


CHANGED = [PracticeChange.YES, PracticeChange.PARTLY]
IMMEDIATE = Q(evaluations__kind=EvaluationKind.IMMEDIATE)
FOLLOW_UP = Q(evaluations__kind=EvaluationKind.FOLLOW_UP)


def _average(field: str):
    return Round(Avg(f"evaluations__{field}", filter=IMMEDIATE), 1)


def evaluation_scores(bookings, by: str = "course"):
    """Per course or per agency: delegates who attended, evaluations and the response rate,
    average ratings (1 to 5), follow-ups answered and how many said practice changed. One
    query; a booking has at most one evaluation of each kind, so joining them counts each once."""
    return (
        bookings.filter(state=S.ATTENDED)
        .order_by()
        .values(*GROUPS[by])
        .annotate(
            attended=Count("pk", distinct=True),
            evaluated=Count("evaluations", filter=IMMEDIATE, distinct=True),
            overall=_average("overall"),
            outcomes_met=_average("outcomes_met"),
            confidence_before=_average("confidence_before"),
            confidence_after=_average("confidence_after"),
            followed_up=Count("evaluations", filter=FOLLOW_UP, distinct=True),
            practice_changed=Count(
                "evaluations",
                filter=FOLLOW_UP & Q(evaluations__practice_changed__in=CHANGED),
                distinct=True,
            ),
        )
        .annotate(
            response_rate=_percent("evaluated", "attended"),
            changed_rate=_percent("practice_changed", "followed_up"),
        )
        .order_by(F(NAMES[by]).asc(nulls_last=True))
    )
