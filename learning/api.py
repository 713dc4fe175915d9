"""The read-only JSON API for partner systems.

A partner system sends its partnership's API token (`Authorization: Bearer <key>`, or `Token
<key>`) and reads as a member of that partnership would; someone signed in to the Hub reads with
their own session and sees their own view. Anyone else gets 401. Plain Django views: four GET
endpoints need no framework, and every record passes through `learning.sharing`, which names the
fields that may leave the Hub."""

from functools import wraps

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from partnership import rate_limits

from . import sharing

PER_PAGE = 20
SCHEMES = ("bearer", "token")


def _unauthorised(detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def api_view(view):
    """Find who is reading, answer 401 for anyone the API does not know, and keep responses out
    of shared caches (each is one reader's view)."""

    @require_GET
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header:
            scheme, _, key = header.partition(" ")
            if scheme.lower() not in SCHEMES or not key.strip():
                return _unauthorised("Send 'Authorization: Bearer <key>'.")
            # Checked before the key is: an address that has guessed too often learns nothing.
            if rate_limits.blocked(request, rate_limits.API_TOKEN):
                return rate_limits.too_many(request, rate_limits.API_TOKEN, json=True)
            reader = sharing.reader_for_api_key(key.strip())
            if reader is None:
                rate_limits.record_failure(request, rate_limits.API_TOKEN)
                return _unauthorised("That API token is unknown or revoked.")
        elif request.user.is_authenticated:
            reader = sharing.Reader(user=request.user)
        else:
            return _unauthorised("Sign in, or send a partnership's API token.")
        response = view(request, reader, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        patch_vary_headers(response, ["Authorization", "Cookie"])
        return response

    return wrapper


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
