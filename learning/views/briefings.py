"""The site's briefing views beside the page itself: marking a briefing read and understood,
the list of what a reader has read, and the PDF at its own address. Rules live in
`learning.briefings`; who may see a briefing is the access policy's answer (404 for a signed-in
reader who may not, sign in first for anyone else)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partnership.access import can_view, refusal

from .. import briefings as services
from ..models import LearningBriefing


def _live_briefing(pk: int) -> LearningBriefing:
    return get_object_or_404(LearningBriefing.objects.live().select_related("partnership"), pk=pk)


def _briefing_for(request, pk: int) -> LearningBriefing:
    briefing = _live_briefing(pk)
    if not can_view(request.user, briefing):
        raise Http404
    return briefing


@require_POST
@login_required
def acknowledge(request, pk: int):
    briefing = _briefing_for(request, pk)
    _, created = services.acknowledge(request.user, briefing)
    if created:
        messages.success(request, "You marked this briefing read and understood.")
    return redirect(briefing.get_url(request))


@login_required
def read_list(request):
    return render(
        request,
        "learning/briefings/read_list.html",
        {"acknowledgements": list(services.read_by(request.user))},
    )


def pdf(request, pk: int):
    briefing = _live_briefing(pk)
    refused = refusal(request, briefing)
    if refused is not None:
        return refused
    response = HttpResponse(services.render_pdf(request, briefing), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{briefing.slug}.pdf"'
    return response
