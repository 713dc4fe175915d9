"""The self-assessment pages of a partnership: its cycles, opening one, and a cycle's heat map
with its export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hub.charts import download_response, with_download
from hub.pagination import links_for
from partnership.access import membership_of
from partnership.exports import spreadsheet_response

from .. import cycles as services
from .. import events, heat_map, regional
from ..forms import EventForm, OpenCycleForm
from ..models import Cycle, StandardSet
from .common import DATE_PARTS, visible_or_404


@login_required
def index(request):
    membership = membership_of(request.user)
    cycles = Cycle.objects.visible_to(request.user).select_related("partnership", "standard_set")
    waiting = (
        services.awaiting_me(request.user)
        .select_related("cycle", "agency")
        .order_by("cycle__due_date", "agency__name")
    )
    return render(
        request,
        "audits/index.html",
        {
            "cycles": cycles,
            "waiting": waiting,
            "may_open": membership is not None
            and services.may_open(request.user, membership.partnership_id),
            "today": timezone.localdate(),
        },
    )


@login_required
def open_cycle(request):
    membership = membership_of(request.user)
    if membership is None or not services.may_open(request.user, membership.partnership_id):
        raise PermissionDenied("Only managers and quality assurance open self-assessment cycles.")
    form = OpenCycleForm(request.user, request.POST or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.open_cycle(
                form.cleaned_data["standard_set"],
                request.user,
                title=form.cleaned_data["title"],
                due_date=form.cleaned_data["due_date"],
                agencies=form.cleaned_data["agencies"],
            )
        except services.AuditError as error:
            errors = [error.message]
        else:
            messages.success(
                request, f"{cycle.title} is open: {cycle.returns.count()} returns asked for."
            )
            return redirect("audit-cycle", cycle.reference)
    return render(
        request,
        "audits/open_cycle.html",
        {"form": form, "errors": errors, "date_parts": DATE_PARTS},
    )


HEAT_MAP_PER_PAGE = 50
CYCLES = Cycle.objects.select_related("standard_set", "partnership", "previous")


@login_required
def cycle_detail(request, reference: str):
    cycle = visible_or_404(CYCLES, request.user, reference=reference)
    heat = heat_map.build(cycle, request.user)
    chart = with_download(request, heat.chart())
    download = download_response(request, chart)
    if download is not None:
        return download
    # The figures and the chart count every return; the table shows a page of agencies (a
    # Section 175 cycle asks every school), and the export holds them all.
    page = Paginator(heat.returns, HEAT_MAP_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "audits/cycle.html",
        {
            "cycle": cycle,
            "heat": heat,
            "timeline": heat_map.timeline(heat, timezone.localdate()),
            "page": page,
            "rows": heat.rows_for(page.object_list),
            "pagination": links_for(page, request.GET),
            "chart": chart,
            "ratings": cycle.standard_set.ratings.values(),
            "may_open": services.may_open(request.user, cycle.partnership_id),
            "may_challenge": services.may_challenge_cycle(request.user, cycle),
        },
    )


@login_required
def cycle_events(request, reference: str):
    """The cycle's challenge and support events, and recording one: for the people who run the
    challenge, since the notes are about agencies' practice."""
    cycle = visible_or_404(CYCLES, request.user, reference=reference)
    if not services.may_challenge_cycle(request.user, cycle):
        raise PermissionDenied("Only quality assurance records challenge and support events.")
    form = EventForm(cycle, request.POST or None, prefix="event")
    if request.method == "POST" and form.is_valid():
        try:
            event = events.record_event(cycle, request.user, **form.cleaned_data)
        except services.AuditError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{event.title} is recorded.")
            return redirect("audit-cycle-events", reference)
    return render(
        request,
        "audits/events.html",
        {
            "cycle": cycle,
            "events": cycle.events.prefetch_related("returns__agency"),
            "form": form,
            "date_parts": DATE_PARTS,
        },
        status=400 if form.errors else 200,
    )


@login_required
def cycle_export(request, reference: str, fmt: str):
    cycle = visible_or_404(
        Cycle.objects.select_related("standard_set"), request.user, reference=reference
    )
    columns, rows = heat_map.export_rows(heat_map.build(cycle, request.user))
    return spreadsheet_response(fmt, "Heat map", columns, rows, f"heat-map-{cycle.reference}")


@login_required
@require_POST
def share(request, reference: str):
    cycle = visible_or_404(Cycle.objects.all(), request.user, reference=reference)
    shared = request.POST.get("shared") == "1"
    try:
        regional.share_figures(cycle, request.user, shared)
    except services.AuditError as error:
        raise PermissionDenied(error.message) from error
    messages.success(
        request,
        "The region now sees this cycle's figures: counts per standard, never a return."
        if shared
        else "The cycle's figures are no longer shared with the region.",
    )
    return redirect("audit-cycle", reference)


@login_required
def regional_comparison(request, pk: int):
    standard_set = visible_or_404(StandardSet.objects.all(), request.user, pk=pk)
    comparison = regional.compare(standard_set, request.user)
    chart = with_download(request, comparison.chart())
    download = download_response(request, chart)
    if download is not None:
        return download
    return render(
        request,
        "audits/regional.html",
        {"comparison": comparison, "standard_set": standard_set, "chart": chart},
    )
