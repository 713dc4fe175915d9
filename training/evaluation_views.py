"""The delegate's pages after a session: the evaluation, the follow-up and the certificate.

Signed in only. A booking that is not the person's own is not found (the certificate also goes
to the course's partnership managers); the rules live in `training.evaluations`. A form that
does not go through is shown again with what was typed and the GOV.UK error summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from . import evaluations as services
from .evaluation_forms import EvaluationForm, FollowUpForm
from .models import Booking


def _own_booking(request, pk: int) -> Booking:
    return get_object_or_404(
        services.bookings_of(request.user).prefetch_related("evaluations"), pk=pk
    )


def _first_field_id(form) -> str:
    for field in form:
        if field.errors:
            return f"{field.auto_id}_0" if field.widget_type == "radioselect" else field.auto_id
    return f"{form['overall'].auto_id}_0" if "overall" in form.fields else ""


@login_required
def evaluate(request, pk: int):
    booking = _own_booking(request, pk)
    if services.evaluation_of(booking) is not None:
        messages.info(request, "You have already evaluated this session.")
        return redirect("training-evaluation-done", pk=booking.pk)
    if not services.can_evaluate(booking):
        return render(request, "training/evaluations/not_yet.html", {"booking": booking})
    form = EvaluationForm(request.POST or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_evaluation(booking, request.user, **form.cleaned_data)
        except services.EvaluationError as error:
            errors.append(error.message)
        else:
            messages.success(request, "Thank you: your evaluation is saved.")
            return redirect("training-evaluation-done", pk=booking.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "training/evaluations/evaluate.html",
        {
            "booking": booking,
            "form": form,
            "errors": errors,
            "first_field_id": _first_field_id(form),
        },
        status=status,
    )


@login_required
def evaluation_done(request, pk: int):
    booking = _own_booking(request, pk)
    if services.evaluation_of(booking) is None:
        return redirect("training-evaluate", pk=booking.pk)
    return render(
        request,
        "training/evaluations/done.html",
        {"booking": booking, "outcome": services.outcome(booking)},
    )


@login_required
def follow_up(request, pk: int):
    booking = _own_booking(request, pk)
    if services.follow_up_of(booking) is not None:
        messages.info(request, "You have already told us what changed. Thank you.")
        return render(request, "training/evaluations/follow_up_done.html", {"booking": booking})
    if not services.can_follow_up(booking):
        return render(
            request,
            "training/evaluations/not_yet.html",
            {"booking": booking, "opens": services.follow_up_opens(booking)},
        )
    form = FollowUpForm(request.POST or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_follow_up(booking, request.user, **form.cleaned_data)
        except services.EvaluationError as error:
            errors.append(error.message)
        else:
            messages.success(request, "Thank you: your answer is saved.")
            return render(request, "training/evaluations/follow_up_done.html", {"booking": booking})
    status = 400 if request.method == "POST" else 200
    first = form["practice_changed"]
    return render(
        request,
        "training/evaluations/follow_up.html",
        {
            "booking": booking,
            "form": form,
            "errors": errors,
            "first_field_id": _first_field_id(form) or f"{first.auto_id}_0",
        },
        status=status,
    )


@login_required
def certificate(request, pk: int):
    booking = get_object_or_404(
        Booking.objects.select_related(
            "session__course__partnership", "agency", "user"
        ).prefetch_related("evaluations"),
        pk=pk,
    )
    if not services.may_download_certificate(request.user, booking):
        if booking.user_id == request.user.pk and services.can_evaluate(booking):
            messages.info(request, "Evaluate the session first: that releases your certificate.")
            return redirect("training-evaluate", pk=booking.pk)
        raise Http404
    pdf = services.render_certificate(request, booking)
    response = HttpResponse(pdf, content_type="application/pdf")
    slug = booking.session.course.slug
    day = services.session_day(booking)
    response["Content-Disposition"] = f'attachment; filename="certificate-{slug}-{day}.pdf"'
    return response
