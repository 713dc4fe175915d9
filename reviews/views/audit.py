"""The audit trail of reviews, for the owning partnership's managers."""

import django_filters
from django.core.exceptions import PermissionDenied
from wagtail.admin.views.generic.history import HistoryFilterSet, get_actions_for_filter
from wagtail.admin.views.reports import ReportView

from ..audit import ACTION_LABELS, may_audit, trail_visible_to
from ..models import Review, ReviewLogEntry


class ReviewAuditFilterSet(HistoryFilterSet):
    """Filters whose choices come from the entries the person may audit, never from all."""

    review = django_filters.ModelChoiceFilter(queryset=Review.objects.none())

    def _trail(self):
        return trail_visible_to(self.request.user)

    def get_action_choices(self):
        return get_actions_for_filter(self._trail())

    def get_users_queryset(self):
        return self._trail().get_users()

    class Meta:
        model = ReviewLogEntry
        fields = ["review", "action", "user", "timestamp"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reviews = self._trail().order_by().values("review_id")
        self.filters["review"].queryset = Review._base_manager.filter(pk__in=reviews).order_by(
            "reference"
        )


class ReviewAuditReportView(ReportView):
    page_title = "Review audit trail"
    header_icon = "history"
    results_template_name = "reviews/audit_report_results.html"
    index_url_name = "reviews_audit_trail"
    index_results_url_name = "reviews_audit_trail_results"
    filterset_class = ReviewAuditFilterSet
    list_export = ["timestamp", "label", "action", "user_display_name", "how"]
    export_headings = {
        "timestamp": "When",
        "label": "Review",
        "action": "Action",
        "user_display_name": "Who",
        "how": "How",
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_audit(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return trail_visible_to(self.request.user).order_by("-timestamp", "-id")

    def decorate_paginated_queryset(self, object_list):
        for entry in object_list:
            entry.how = (entry.data or {}).get("how", "")
            entry.action_label = ACTION_LABELS.get(entry.action) or entry.message
        return object_list
