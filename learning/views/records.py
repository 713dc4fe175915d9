"""The pages of single library records: a key finding, a recommendation, a published review report.
What each shows, and whether it is shown at all, is `learning.records`' answer; a record the
reader may not see is "not found", never "forbidden", so that its existence is not revealed."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control

from .. import records


def _page(request, name: str, detail):
    if detail is None:
        raise Http404("No such record, or not one this reader may see.")
    return TemplateResponse(
        request,
        f"learning/records/{name}.html",
        {
            "detail": detail,
            "breadcrumbs": records.library_trail(request, detail.review.lead_partnership),
        },
    )


# Each reader sees different things, and reviews change without a page being published (which is
# what empties the page cache): no shared cache may keep these pages.
@cache_control(private=True)
def finding(request, pk: int):
    return _page(request, "finding", records.finding_detail(request.user, pk))


@cache_control(private=True)
def recommendation(request, pk: int):
    return _page(request, "recommendation", records.recommendation_detail(request.user, pk))


@cache_control(private=True)
def report(request, pk: int):
    return _page(request, "report", records.report_detail(request.user, pk))
