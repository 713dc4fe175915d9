"""A trainer's tools for one session, in the admin beside its bookings: the delegates as CSV or
XLSX, a printable sign-in sheet, an email to the delegates (`training.session_messages`), and a
warning when a session falls on a weekend or a bank holiday. Who may use them is the bookings
page's rule (`session_for_bookings`, `training.register.may_see_bookings`).

Access needs are personal (often health) information: they are on the bookings page and in the
export, for the trainers and managers who see the session's delegates, and never on the sign-in
sheet, which goes round the room."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub.pdf import pdf_from_template
from hub.working_days import is_working_day
from partnership.access import sees_everything
from partnership.admin_scoping import own_partnership_id
from partnership.exports import SPREADSHEET_TYPES, spreadsheet_response

from . import session_messages
from .models import BookingState, Session
from .register import may_see_bookings

EXPORT_COLUMNS = [
    "Delegate",
    "Email",
    "Agency",
    "Partnership",
    "State",
    "Booked or waiting since",
    "Access needs",
]


def session_for_bookings(request, pk) -> Session:
    """The session whose delegates `request.user` may see: another partnership's is not found,
    and one the person neither trains nor manages is refused."""
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    if own_partnership_id(request.user) != session.course.partnership_id and not sees_everything(
        request.user
    ):
        raise Http404
    if not may_see_bookings(request.user, session):
        raise PermissionDenied
    return session


def delegates(session: Session) -> list:
    """Everyone holding a place, by when they booked, then the waiting list in turn."""
    bookings = list(
        session.bookings.filter(state__in=[*BookingState.holding_a_place(), BookingState.WAITING])
        .select_related("user", "agency", "partnership")
        .order_by("waiting_since", "booked_at", "created_at", "pk")
    )
    waiting = [b for b in bookings if b.state == BookingState.WAITING]
    return [b for b in bookings if b.state != BookingState.WAITING] + waiting


def _rows(session: Session):
    for booking in delegates(session):
        since = booking.waiting_since or booking.booked_at or booking.created_at
        yield [
            booking.user.get_full_name() or booking.user.get_username(),
            booking.user.email,
            booking.agency.name if booking.agency else "",
            booking.partnership.short_name,
            booking.get_state_display(),
            timezone.localtime(since).replace(tzinfo=None),
            booking.access_needs,
        ]


class BookingsExportView(View):
    def get(self, request, pk, fmt):
        if fmt not in SPREADSHEET_TYPES:
            raise Http404
        session = session_for_bookings(request, pk)
        day = timezone.localtime(session.starts_at).date()
        return spreadsheet_response(
            fmt,
            "Delegates",
            EXPORT_COLUMNS,
            list(_rows(session)),
            f"delegates-{session.course.slug}-{day}",
        )


class SignInSheetView(View):
    def get(self, request, pk):
        session = session_for_bookings(request, pk)
        held = [
            b
            for b in delegates(session)
            if b.state in (BookingState.BOOKED, BookingState.ATTENDED, BookingState.OFFERED)
        ]
        pdf = pdf_from_template(
            "training/admin/sign_in_sheet.html",
            {
                "session": session,
                "delegates": held,
                # Blank lines for people who turn up without a booking.
                "spare": range(max(4, session.capacity - len(held))),
            },
            request=request,
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        day = timezone.localtime(session.starts_at).date()
        response["Content-Disposition"] = (
            f'inline; filename="sign-in-{session.course.slug}-{day}.pdf"'
        )
        return response


def day_warning(session: Session) -> str:
    """A sentence when the session starts on a weekend or an English bank holiday, else ''."""
    day = timezone.localtime(session.starts_at).date()
    if is_working_day(day):
        return ""
    what = "a weekend" if day.weekday() >= 5 else "a bank holiday in England"
    return (
        f"{session.course.title} is on {date_format(day, 'l j F Y')}, {what}. "
        "Check that this is the day you meant."
    )


class MessageForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=150)
    body = forms.CharField(
        label="Message",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What the delegates need to know. Do not write anything that identifies a "
        "child or a family.",
    )
    to_waiting_list = forms.BooleanField(
        label="Also send it to the people on the waiting list", required=False
    )


class SessionEmailView(WagtailAdminTemplateMixin, TemplateView):
    """Email the delegates of a session: the form, then back to the bookings with how many."""

    template_name = "training/admin/session_email.html"
    header_icon = "mail"

    def dispatch(self, request, pk):
        self.session = session_for_bookings(request, pk)
        return super().dispatch(request, pk)

    def get_page_title(self):
        return f"Email the delegates: {self.session}"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            session=self.session,
            form=form or MessageForm(),
            places=session_messages.recipients(self.session).count(),
            bookings_url=reverse("training_session_bookings", args=[self.session.pk]),
        )
        return context

    def post(self, request, pk):
        form = MessageForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            _, count = session_messages.write(
                self.session,
                request.user,
                form.cleaned_data["subject"],
                form.cleaned_data["body"],
                to_waiting_list=form.cleaned_data["to_waiting_list"],
            )
        except session_messages.MessageError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, f"Your message is on its way to {count} delegates.")
        return HttpResponseRedirect(reverse("training_session_bookings", args=[self.session.pk]))
