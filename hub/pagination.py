"""The links of GOV.UK's pagination component, for any list the Hub pages through: previous,
next and the numbered pages around the current one, with ellipses, each keeping the list's
filters in the address. `site/templates/includes/pagination.html` renders them."""

from django.http import QueryDict


def page_links(current: int, last: int, params=None) -> dict:
    """The links for page `current` of `last`; empty when there is only one page. `params` is
    the request's query (a QueryDict, or a plain mapping), whose filters every link keeps."""
    if last <= 1:
        return {}

    def href(number: int) -> str:
        if isinstance(params, QueryDict):
            query = params.copy()
        else:
            query = QueryDict(mutable=True)
            query.update(params or {})
        query["page"] = str(number)
        return "?" + query.urlencode()

    shown = sorted({1, last, current - 1, current, current + 1} & set(range(1, last + 1)))
    items, previous = [], 0
    for number in shown:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append({"number": number, "href": href(number), "current": number == current})
        previous = number
    return {
        "previous": href(current - 1) if current > 1 else None,
        "next": href(current + 1) if current < last else None,
        "items": items,
    }


def links_for(page, params=None) -> dict:
    """The links for a Django paginator's `page`."""
    return page_links(page.number, page.paginator.num_pages, params)
