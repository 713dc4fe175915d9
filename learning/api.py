"""The read-only JSON API for partner systems.

A partner system sends its partnership's API token (`Authorization: Bearer <key>`, or `Token
<key>`) and reads as a member of that partnership would; someone signed in to the Hub reads with
their own session and sees their own view. Anyone else gets 401. Plain Django views behind
`partnership.readers.api_view`: four GET endpoints need no framework, and every record passes
through `learning.sharing`, which names the fields that may leave the Hub."""

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse

from partnership.readers import api_view

from . import sharing

PER_PAGE = 20


def _page(request, qs, serialise):
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    base = request.build_absolute_uri(request.path)
    keep = request.GET.copy()

    def link(number):
        keep["page"] = number
        return f"{base}?{keep.urlencode()}"

    return JsonResponse(
        {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [serialise(item) for item in page.object_list],
        }
    )


@api_view
def briefing_list(request, reader):
    qs = sharing.filter_by(
        sharing.briefings_for(reader),
        theme=request.GET.get("theme", ""),
        partnership=request.GET.get("partnership", ""),
    )
    return _page(request, qs, lambda b: sharing.briefing_data(b, request))


@api_view
def briefing_detail(request, reader, pk):
    briefing = sharing.briefings_for(reader).filter(pk=pk).first()
    if briefing is None:
        raise Http404
    return JsonResponse(sharing.briefing_data(briefing, request, full=True))


@api_view
def finding_list(request, reader):
    qs = sharing.filter_by(
        sharing.findings_for(reader),
        theme=request.GET.get("theme", ""),
        partnership=request.GET.get("partnership", ""),
        owner_path="review__lead_partnership",
    )
    return _page(request, qs, lambda f: sharing.finding_data(f, request))


@api_view
def finding_detail(request, reader, pk):
    finding = sharing.findings_for(reader).filter(pk=pk).first()
    if finding is None:
        raise Http404
    return JsonResponse(sharing.finding_data(finding, request))
