"""The site's training pages: booking a place, a booking's page, My training, the iCal files and
the line manager's approval page.

A booking is its delegate's: anyone else gets 404, as for a booking that does not exist. Every
change is a POST to its own URL handled by a service in `training.booking`; a refusal shows the
service's sentence and keeps what the person typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership import rate_limits
from partnership.access import can_view, visible_to

from . import booking as services
from .calendar import booking_calendar, sessions_feed
from .forms import BookingForm
from .models import Booking, BookingState, Course, Session

FEED_LIMIT = 500


def _session_for(request, pk) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("course", "course__partnership__training_terms")
        .prefetch_related("eligible_partnerships", "eligible_agencies")
        .filter(course__live=True),
        pk=pk,
    )
    if not can_view(request.user, session.course):
        raise Http404
    # The partnership's terms came with the session (they decide the cut-offs); a partnership
    # that has none yet gets them made with the defaults on first use.
    session._terms = getattr(session.course.partnership, "training_terms", None)
    return session


@login_required
def book(request, pk):
    """The confirmation form for a place (or a place on the waiting list): the service decides,
    the view shows what it decided."""
    session = _session_for(request, pk)
    form = BookingForm(request.POST if request.method == "POST" else None, session=session)
    refusal = None
    if request.method == "POST" and form.is_valid():
        outcome = services.book_place(
            request.user,
            session,
            form.cleaned_data.get("line_manager_email", ""),
            form.cleaned_data["access_needs"],
        )
        if outcome.already:
            messages.info(request, outcome.reason)
        if outcome.booking is not None:
            return redirect("training-booking", outcome.booking.pk)
        if outcome.field:
            form.add_error(outcome.field, outcome.reason)
        else:
            refusal = outcome.reason
    offer = services.offer_for(request.user, session)
    if offer.existing is not None:
        messages.info(request, offer.message)
        return redirect("training-booking", offer.existing.pk)
    return render(
        request,
        "training/book.html",
        {
            "session": session,
            "course": session.course,
            "form": form,
            "reason": refusal or offer.reason,
            "places_left": offer.places_left,
            "joins_waiting_list": offer.joins_waiting_list,
            "cutoffs": services.cutoffs(session),
        },
        status=400 if request.method == "POST" else 200,
    )


def _own_booking(request, pk) -> Booking:
    return get_object_or_404(
        Booking.objects.select_related("session__course", "agency"), pk=pk, user=request.user
    )


@login_required
def booking_detail(request, pk):
    """A booking's page: the confirmation after booking, and where the online link lives."""
    booking = _own_booking(request, pk)
    session = booking.session
    return render(
        request,
        "training/booking.html",
        {
            "booking": booking,
            "session": session,
            "course": session.course,
            "online_link": session.online_link if services.shows_online_link(booking) else "",
            "cancellable": booking.state in services.CANCELLABLE
            and session.starts_at > timezone.now(),
            "cutoffs": services.cutoffs(session),
            "trainers": [t for t in session.trainers.all() if t.email],
        },
    )


@login_required
def cancel(request, pk):
    """Cancel with a confirm step: GET asks, POST cancels."""
    booking = _own_booking(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.cancel(booking, request.user)
        except services.NotYours:
            raise Http404 from None
        except services.BookingError as refused:
            error = refused.message
        else:
            messages.success(request, f"You have cancelled your booking for {booking.session}.")
            return redirect("my-training")
    return render(
        request,
        "training/cancel.html",
        {
            "booking": booking,
            "session": booking.session,
            "course": booking.session.course,
            "error": error,
            "late": booking.state == BookingState.BOOKED
            and timezone.localdate() > services.cutoffs(booking.session).cancel_until,
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def respond_to_offer(request, pk, answer):
    booking = _own_booking(request, pk)
    try:
        if answer == "accept":
            booking = services.accept_offer(booking, request.user)
            if booking.state == BookingState.REQUESTED:
                messages.success(
                    request,
                    "You accepted the place. We have asked your line manager to approve it.",
                )
            else:
                messages.success(request, f"Your place on {booking.session} is confirmed.")
        else:
            services.decline_offer(booking, request.user)
            messages.success(
                request, "You declined the place. It has been offered to the next person."
            )
    except services.NotYours:
        raise Http404 from None
    except services.BookingError as refused:
        messages.error(request, refused.message)
    return redirect("my-training")


@login_required
def my_training(request):
    upcoming = list(services.upcoming_for(request.user))
    past = list(services.past_for(request.user))
    now = timezone.now()
    for booking in upcoming:
        booking.online = booking.session.online_link if services.shows_online_link(booking) else ""
        booking.cancellable = booking.state in services.CANCELLABLE
        booking.offer_open = (
            booking.state == BookingState.OFFERED
            and booking.offer_expires_at is not None
            and booking.offer_expires_at > now
        )
    return render(
        request,
        "training/my_training.html",
        {
            "upcoming": upcoming,
            "offers": [b for b in upcoming if b.offer_open],
            "past": past,
            "course_list": _course_list_url(),
        },
    )


def _course_list_url() -> str | None:
    from .models import CourseIndexPage

    index = CourseIndexPage.objects.live().first()
    return index.url if index else None


@login_required
def booking_ics(request, pk):
    booking = _own_booking(request, pk)
    response = HttpResponse(booking_calendar(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{booking.session.course.slug}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def calendar_feed(request):
    """Upcoming sessions of the courses anyone may see: never an online link."""
    public = visible_to(AnonymousUser(), Course.objects.live())
    sessions = (
        Session.objects.upcoming()
        .filter(course__in=public)
        .select_related("course")
        .order_by("starts_at")[:FEED_LIMIT]
    )
    response = HttpResponse(sessions_feed(sessions), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="training.ics"'
    return response


def approval(request, token):
    """The line manager's page, reached from the email's signed link; no sign-in needed, so an
    address that keeps sending links that are not valid is refused for a while."""
    if rate_limits.blocked(request, rate_limits.APPROVAL_LINK):
        return rate_limits.too_many(request, rate_limits.APPROVAL_LINK)
    try:
        booking = services.booking_for_token(token)
    except services.BookingError as refused:
        rate_limits.record_failure(request, rate_limits.APPROVAL_LINK)
        return render(request, "training/approval.html", {"error": refused.message}, status=400)
    decided = None
    error = None
    if request.method == "POST":
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                booking = services.approve(booking, by=booking.line_manager_email)
                decided = "approved"
            elif decision == "refuse":
                booking = services.refuse(booking, by=booking.line_manager_email)
                decided = "refused"
            else:
                error = "Choose approve or refuse."
        except services.BookingError as refused:
            error = refused.message
    user = booking.user
    return render(
        request,
        "training/approval.html",
        {
            "booking": booking,
            "session": booking.session,
            "course": booking.session.course,
            "delegate_name": user.get_full_name() or user.get_username(),
            "decided": decided,
            "error": error,
            "pending": booking.state == BookingState.REQUESTED,
            "action": reverse("training-approval", args=[token]),
        },
        status=400 if error else 200,
    )
