"""The action reports in the admin (Reports menu): actions by agency, state, RAG, theme, source
and review with summary tables; the "learning embedded" funnel; and each review's evidence pack
as a printable page and a PDF. Views stay thin: the numbers come from `learning.reports`."""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.views.reports import ReportView

from hub.admin_columns import PlainColumn
from hub.charts import ChartsMixin, download_response, with_download
from partnership.access import can_view
from reviews.models import Review

from .. import charts, reports
from .. import evidence_pack as packs
from ..action_admin import (
    ACTION_EXPORT,
    ACTION_EXPORT_HEADINGS,
    ActionFilterSet,
    AuditedExportMixin,
    RagColumn,
    due_date,
)


class ReportReaderMixin:
    """Reports are for quality assurance, partnership managers and the independent scrutineer."""

    def dispatch(self, request, *args, **kwargs):
        if not reports.can_see_action_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate()


class ActionReportView(ReportReaderMixin, AuditedExportMixin, ChartsMixin, ReportView):
    page_title = "Follow-up actions"
    header_icon = "tasks"
    results_template_name = "learning/reports/actions_results.html"
    index_url_name = "learning_reports:actions"
    index_results_url_name = "learning_reports:actions_results"
    filterset_class = ActionFilterSet
    list_export = ACTION_EXPORT
    export_headings = ACTION_EXPORT_HEADINGS
    default_ordering = "due_date"
    columns = [
        PlainColumn("reference", label="Reference", sort_key="reference"),
        PlainColumn("description", label="Description"),
        PlainColumn("owner_agency", label="Owner agency"),
        PlainColumn("review", label="Review", accessor="review.reference"),
        PlainColumn("due_date", label="Due", sort_key="due_date", accessor=due_date),
        PlainColumn("state", label="State", accessor="get_state_display", sort_key="state"),
        RagColumn(),
    ]

    def get_filename(self):
        return f"actions-{self.today:%Y-%m-%d}"

    def get_base_queryset(self):
        return reports.report_actions(self.request.user, self.today)

    def get_paginator(self, queryset, per_page, **kwargs):
        # The count reads every visible action: shared by the report's pages (learning.reports).
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.count = reports.count_actions(
            self.request.user, self.today, self.chosen_filters, queryset.order_by()
        )
        return paginator

    def paginate_queryset(self, queryset, page_size):
        # Count and page over the actions alone; join only the page's rows. Every sort ends on
        # the primary key: many actions share a due date or state, and without a tiebreaker
        # PostgreSQL may show a row on two pages and skip another.
        ordering = queryset.query.order_by or queryset.model._meta.ordering
        queryset = queryset.order_by(*ordering, "pk")
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        page.object_list = reports.page_with_details(object_list, self.today)
        return paginator, page, page.object_list, is_paginated

    @property
    def summary(self) -> dict:
        return reports.action_summary(self.request.user, self.today, self.chosen_filters)

    def get_charts(self):
        return [charts.rag_by_agency(self.summary["by_rag"], table_id="rag-by-agency-table")]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["summary"] = self.summary
        return context

    @property
    def chosen_filters(self) -> dict:
        return self.filters.form.cleaned_data if self.filters and self.filters.is_valid() else {}


FUNNEL_EXPORT = [
    "label",
    "recommendations",
    "with_actions",
    "actions_completed",
    "impact_evidenced",
    "embedded",
    "actions",
    "done",
    "completed_on_time",
    "overdue",
    "not_achieved",
    "better_off",
    "actions_embedded",
]
FUNNEL_HEADINGS = {
    "label": "Review",
    "recommendations": "Recommendations",
    "with_actions": "With actions",
    "actions_completed": "All actions completed",
    "impact_evidenced": "Impact evidenced",
    "embedded": "Embedded",
    "actions": "Actions",
    "done": "Actions completed",
    "completed_on_time": "Completed by the due date",
    "overdue": "Overdue",
    "not_achieved": "Closed: not achieved",
    "better_off": "Actions with impact evidenced",
    "actions_embedded": "Actions embedded",
}


FUNNEL_REVIEWS_PER_PAGE = 50


class FunnelView(
    ReportReaderMixin, SpreadsheetExportMixin, WagtailAdminTemplateMixin, TemplateView
):
    """The funnel for the reader's partnership: each review and the partnership as a whole."""

    template_name = "learning/reports/funnel.html"
    page_title = "Learning embedded"
    header_icon = "tick-inverse"
    list_export = FUNNEL_EXPORT
    export_headings = FUNNEL_HEADINGS

    def get_filename(self):
        return f"learning-embedded-{self.today:%Y-%m-%d}"

    def get(self, request, *args, **kwargs):
        self.funnel = reports.funnel(request.user, self.today)
        chart = with_download(
            request, charts.funnel_stages(self.funnel.total, table_id="learning-embedded-table")
        )
        if download := download_response(request, chart):
            return download
        self.chart = chart
        if self.is_export:
            rows = [*self.funnel.reviews, self.funnel.total]
            return self.as_spreadsheet(rows, request.GET["export"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["funnel"] = self.funnel
        context["chart"] = self.chart
        context["today"] = self.today
        # The partnership's line counts every review; the table shows them a page at a time.
        paginator = WagtailPaginator(self.funnel.reviews, FUNNEL_REVIEWS_PER_PAGE)
        page = paginator.get_page(self.request.GET.get("p"))
        context["review_page"] = page
        context["elided_page_range"] = paginator.get_elided_page_range(page.number)
        return context


class EvidencePackView(ReportReaderMixin, View):
    """A review's evidence pack: printable HTML, or a PDF with `?format=pdf`. A review the reader
    may not see is not found."""

    def get(self, request, pk):
        review = get_object_or_404(Review, pk=pk)
        if not can_view(request.user, review):
            raise Http404
        pack = reports.evidence_pack(request.user, review, self.today)
        reports.log_export(request.user, reports.pack_actions(pack))
        if request.GET.get("format") == "pdf":
            pdf = packs.render_pdf(request, pack)
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="evidence-pack-{review.reference}.pdf"'
            )
            return response
        return HttpResponse(packs.render_html(request, pack))


def pack_url(review) -> str:
    return reverse("learning_reports:evidence_pack", args=[review.pk])
