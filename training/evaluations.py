"""Evaluations and certificates: what a delegate who attended says about a session, straight
after and about three months later, and the certificate the first releases.

- The evaluation after the session (ratings 1 to 5 and comments) is open to the delegate once
  the register says they attended; it is taken once, and it releases their certificate.
- The follow-up (did practice change, and how) opens `follow_up_after_days` after the session,
  under the course's partnership's training terms; it is taken once, and counts as evidence of
  impact for the actions the course answers (`training.impact`).
- The certificate (a PDF) goes to the delegate, and to the managers of the partnership that ran
  the course, only after the evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from hub.pdf import PdfError, pdf_from_template
from partnership.access import has_role, membership_of, sees_everything
from partnership.models import Role

from .models import Booking, BookingState, Evaluation, EvaluationKind, TrainingTerms

EVALUATED = "hub.training.evaluated"
FOLLOWED_UP = "hub.training.followed_up"
CERTIFICATE_TEMPLATE = "training/certificate_pdf.html"
DEFAULT_FOLLOW_UP_DAYS = TrainingTerms._meta.get_field("follow_up_after_days").default
RATINGS = ("overall", "outcomes_met", "confidence_before", "confidence_after")


class EvaluationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def bookings_of(user):
    """The bookings a person may evaluate or take a certificate for: their own, with what the
    pages show loaded in the same query."""
    return Booking.objects.filter(user=user).select_related(
        "session__course__partnership__training_terms", "agency", "user"
    )


def follow_up_days(booking: Booking) -> int:
    """The course's partnership's follow-up interval, without a query when the terms were
    loaded with the booking (and the default when the partnership never set its terms)."""
    partnership = booking.session.course.partnership
    try:
        return partnership.training_terms.follow_up_after_days
    except TrainingTerms.DoesNotExist:
        return DEFAULT_FOLLOW_UP_DAYS


def session_day(booking: Booking) -> date:
    return timezone.localdate(booking.session.ends_at)


def follow_up_opens(booking: Booking) -> date:
    return session_day(booking) + timedelta(days=follow_up_days(booking))


def _evaluation(booking: Booking, kind: EvaluationKind) -> Evaluation | None:
    """From prefetched evaluations when the caller prefetched them (a list page), else a query."""
    for evaluation in booking.evaluations.all():
        if evaluation.kind == kind:
            return evaluation
    return None


def evaluation_of(booking: Booking) -> Evaluation | None:
    return _evaluation(booking, EvaluationKind.IMMEDIATE)


def follow_up_of(booking: Booking) -> Evaluation | None:
    return _evaluation(booking, EvaluationKind.FOLLOW_UP)


def can_evaluate(booking: Booking, now=None) -> bool:
    now = now or timezone.now()
    return booking.state == BookingState.ATTENDED and booking.session.starts_at <= now


def can_follow_up(booking: Booking, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return booking.state == BookingState.ATTENDED and today >= follow_up_opens(booking)


@dataclass
class Outcome:
    """What a delegate can do next about a past booking: the links "My training" shows."""

    evaluate_url: str | None = None
    certificate_url: str | None = None
    follow_up_url: str | None = None
    evaluated: bool = False
    followed_up: bool = False
    follow_up_opens: date | None = None


def outcome(booking: Booking, now=None) -> Outcome:
    now = now or timezone.now()
    result = Outcome()
    if booking.state != BookingState.ATTENDED:
        return result
    result.evaluated = evaluation_of(booking) is not None
    result.followed_up = follow_up_of(booking) is not None
    if result.evaluated:
        result.certificate_url = reverse("training-certificate", args=[booking.pk])
    elif can_evaluate(booking, now):
        result.evaluate_url = reverse("training-evaluate", args=[booking.pk])
    if not result.followed_up:
        if can_follow_up(booking, timezone.localdate(now)):
            result.follow_up_url = reverse("training-follow-up", args=[booking.pk])
        else:
            result.follow_up_opens = follow_up_opens(booking)
    return result


def _check_rating(name: str, value) -> int:
    if value is None or not isinstance(value, int) or not 1 <= value <= 5:
        raise EvaluationError(f"Choose a rating from 1 to 5 for {name.replace('_', ' ')}")
    return value


def submit_evaluation(booking: Booking, user, *, comments: str = "", **ratings) -> Evaluation:
    """The delegate's evaluation after the session; once. It releases the certificate."""
    if booking.user_id != user.pk:
        raise EvaluationError("Only the delegate can evaluate their session")
    if not can_evaluate(booking):
        raise EvaluationError("You can evaluate a session once the register shows you attended")
    values = {name: _check_rating(name, ratings.get(name)) for name in RATINGS}
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                booking=booking,
                kind=EvaluationKind.IMMEDIATE,
                comments=(comments or "").strip(),
                **values,
            )
            log(
                booking,
                EVALUATED,
                user=user,
                title=f"Evaluation of {booking.session}, booking {booking.pk}",
            )
    except IntegrityError as error:
        raise EvaluationError("You have already evaluated this session") from error
    return evaluation


def submit_follow_up(booking: Booking, user, *, practice_changed: str, what_changed: str = ""):
    """The delegate's follow-up: what changed in their practice since the session; once."""
    from .models import PracticeChange

    if booking.user_id != user.pk:
        raise EvaluationError("Only the delegate can answer their follow-up")
    if booking.state != BookingState.ATTENDED:
        raise EvaluationError("The follow-up is for sessions you attended")
    if not can_follow_up(booking):
        raise EvaluationError(
            f"The follow-up opens on {follow_up_opens(booking):%-d %B %Y}, "
            f"{follow_up_days(booking)} days after the session"
        )
    if practice_changed not in PracticeChange.values:
        raise EvaluationError("Choose whether your practice has changed")
    what_changed = (what_changed or "").strip()
    if practice_changed != PracticeChange.NO and not what_changed:
        raise EvaluationError("Tell us what changed in your practice")
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                booking=booking,
                kind=EvaluationKind.FOLLOW_UP,
                practice_changed=practice_changed,
                what_changed=what_changed,
            )
            log(
                booking,
                FOLLOWED_UP,
                user=user,
                title=f"Follow-up of {booking.session}, booking {booking.pk}",
                data={"practice_changed": practice_changed},
            )
    except IntegrityError as error:
        raise EvaluationError("You have already answered the follow-up for this session") from error
    return evaluation


def may_download_certificate(user, booking: Booking) -> bool:
    """The delegate, and the managers of the partnership that ran the course; only once the
    evaluation is done, which is what releases it."""
    if not getattr(user, "is_active", False):
        return False
    if booking.state != BookingState.ATTENDED or evaluation_of(booking) is None:
        return False
    if booking.user_id == user.pk or sees_everything(user):
        return True
    membership = membership_of(user)
    return bool(
        membership
        and membership.partnership_id == booking.session.course.partnership_id
        and has_role(user, Role.PARTNERSHIP_MANAGER)
    )


def render_certificate(request, booking: Booking) -> bytes:
    """The certificate as an A4 landscape PDF."""
    session = booking.session
    hours = (session.ends_at - session.starts_at).total_seconds() / 3600
    context = (
        CERTIFICATE_TEMPLATE,
        {
            "name": booking.user.get_full_name() or booking.user.get_username(),
            "course": session.course,
            "session": session,
            "day": session_day(booking),
            "hours": f"{hours:g}",
            "partnership": session.course.partnership,
            "agency": booking.agency,
        },
    )
    try:
        return pdf_from_template(*context, request=request)
    except PdfError as error:
        raise EvaluationError("The certificate could not be made into a PDF") from error
