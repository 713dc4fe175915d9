"""The search page and the JSON search API: both parse the query string the same way and ask
`search.service.search`, which applies the access policy through the reader's tokens."""

from __future__ import annotations

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import slugify
from django.views.decorators.cache import cache_control

from hub.pagination import page_links
from partnership.models import Theme
from partnership.readers import api_view

from . import service
from .types import FACETS, Kind

SUGGESTED_THEMES = 12
# Facet values shown before 'more'; the rest sit in a details element.
FACET_SHOWN = 8


def _parsed(params) -> dict:
    filters = service.filters_from_params(params)
    _clean, ignored = service.clean_filters(filters)
    return {
        "text": params.get("q", ""),
        "filters": filters,
        "sort": params.get("sort", "relevance"),
        "page": params.get("page", 1),
        "ignored": ignored,
    }


def _href(params, **changes) -> str:
    query = params.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = str(value)
    return "?" + query.urlencode()


def _facet_choices(facet: str, values) -> dict:
    """A facet's checkboxes, each with its element id (`param-value`)."""
    param = service.FACET_PARAM[facet]
    choices = [
        {
            "id": f"{param}-{slugify(v.value)}",
            "value": v.value,
            "label": v.label,
            # As text: the template then does not localise 70 numbers a page.
            "count": str(v.count),
            "selected": v.selected,
        }
        for v in values
    ]
    return {
        "param": param,
        "title": service.FACET_TITLES[facet],
        "shown": choices[:FACET_SHOWN],
        "more": choices[FACET_SHOWN:],
        "more_open": any(c["selected"] for c in choices[FACET_SHOWN:]),
    }


def _hit_rows(hits) -> list[dict]:
    """Each hit with what its row shows beside it: its type's name, its date as text and its
    themes' names and links (each theme's link reversed once a page, not once a hit)."""
    theme_names = service.theme_namer()
    theme_urls: dict[str, str] = {}
    rows = []
    for hit in hits:
        themes = []
        for slug, name in theme_names(hit.themes):
            if slug not in theme_urls:
                theme_urls[slug] = reverse("theme", args=[slug])
            themes.append((theme_urls[slug], name))
        rows.append(
            {
                "hit": hit,
                "kind_label": Kind.LABELS.get(hit.kind, hit.kind),
                "themes": themes,
                "date_iso": hit.date.isoformat() if hit.date else "",
                "date_text": date_format(hit.date, "j F Y") if hit.date else "",
            }
        )
    return rows


# What it lists differs by reader: no shared cache may keep it.
@cache_control(private=True)
def search_page(request):
    asked = _parsed(request.GET)
    searching = bool(asked["text"].strip() or asked["filters"])
    context = {"q": asked["text"], "searching": searching, "ignored": asked["ignored"]}
    if not searching:
        # The empty state: somewhere to start.
        context["themes"] = Theme.objects.order_by("name")
        return TemplateResponse(request, "search/search.html", context)
    results = service.search(
        request.user, asked["text"], asked["filters"], asked["sort"], asked["page"]
    )
    context.update(
        results=results,
        hits=_hit_rows(results.hits),
        facets=[
            _facet_choices(facet, results.facets[facet])
            for facet in FACETS
            if results.facets.get(facet)
        ],
        sort=results.query.sort,
        pagination=page_links(results.query.page, results.pages, request.GET),
        first=(results.query.page - 1) * results.query.per_page + 1,
        last=(results.query.page - 1) * results.query.per_page + len(results.hits),
        suggestion_href=_href(request.GET, q=results.suggestion, page=None)
        if results.suggestion
        else "",
        themes=Theme.objects.order_by("name")[:SUGGESTED_THEMES] if not results.total else [],
    )
    return TemplateResponse(request, "search/search.html", context)


@api_view
def search_api(request, reader):
    """GET /api/search/?q=&theme=&type=&partnership=&agency=&year=&level=&sort=&page="""
    asked = _parsed(request.GET)
    who = reader.partnership if reader.api_token is not None else reader.user
    results = service.search(who, asked["text"], asked["filters"], asked["sort"], asked["page"])
    base = request.build_absolute_uri(request.path)
    theme_names = service.theme_namer()

    def link(number):
        return base + _href(request.GET, page=number)

    page = results.query.page
    return JsonResponse(
        {
            "query": results.query.text,
            "sort": results.query.sort,
            "count": results.total,
            "page": page,
            "pages": results.pages,
            "next": link(page + 1) if page < results.pages else None,
            "previous": link(page - 1) if page > 1 else None,
            "did_you_mean": results.suggestion or None,
            "also_searched_for": list(results.expanded_terms),
            "ignored_filters": asked["ignored"],
            "results": [
                {
                    "type": hit.kind,
                    "type_label": Kind.LABELS.get(hit.kind, hit.kind),
                    "title": hit.title,
                    "url": request.build_absolute_uri(hit.url) if hit.url else None,
                    "snippet": hit.snippet,
                    "partnership": hit.partnership_name,
                    "themes": [
                        {"slug": slug, "name": name} for slug, name in theme_names(hit.themes)
                    ],
                    "date": hit.date.isoformat() if hit.date else None,
                }
                for hit in results.hits
            ],
            "facets": {
                service.FACET_PARAM[facet]: [
                    {"value": v.value, "label": v.label, "count": v.count, "selected": v.selected}
                    for v in results.facets.get(facet, [])
                ]
                for facet in FACETS
            },
        }
    )
