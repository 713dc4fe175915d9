"""Wagtail's own reports, narrowed by the access policy: the Hub's subclasses of each report
view, served at Wagtail's own addresses (`config/urls.py` routes them ahead of Wagtail's admin),
so that every link, menu item and export Wagtail builds from `wagtailadmin_reports:` names
reaches the narrowed list. Which records pass is `partnership.admin_visibility`'s to say."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import F, IntegerField, Value
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.log_actions import registry as log_registry
from wagtail.models import Page, WorkflowState
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .admin_visibility import (
    narrow_pages,
    narrow_workflow_states,
    viewable_log_entries,
)


def _log_entries(user):
    return [viewable_log_entries(user, model) for model in log_registry.get_log_entry_models()]


class HubSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    """The filters offer only the people, types and actions of entries the reader may see."""

    object_type = ContentTypeFilter(
        label="Type",
        method="filter_object_type",
        queryset=lambda request: ContentType.objects.filter(
            pk__in=set().union(*(e.get_content_type_ids() for e in _log_entries(request.user)))
        ).order_by("model"),
    )

    def get_action_choices(self):
        used = set().union(*(e.get_actions() for e in _log_entries(self.request.user)))
        return [choice for choice in log_registry.get_choices() if choice[0] in used]

    def get_user_choices(self):
        ids = set().union(*(e.get_user_ids() for e in _log_entries(self.request.user)))
        User = get_user_model()
        return User.objects.filter(pk__in=ids).order_by(User.USERNAME_FIELD)


class HubLogEntriesView(LogEntriesView):
    filterset_class = HubSiteHistoryFilterSet

    def get_filtered_queryset(self):
        # Wagtail's union of every log model's entries (see LogEntriesView), each narrowed first.
        self.log_models = list(log_registry.get_log_entry_models())
        queryset = None
        for index, log_model in enumerate(self.log_models):
            entries = (
                viewable_log_entries(self.request.user, log_model)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            entries = self.filter_queryset(entries).order_by()
            queryset = entries if queryset is None else queryset.union(entries, all=True)
        return queryset.order_by("-timestamp")


def _requested_by(request):
    User = get_user_model()
    states = narrow_workflow_states(request.user, WorkflowState.objects.all())
    return User.objects.filter(pk__in=states.values("requested_by")).order_by(User.USERNAME_FIELD)


class HubWorkflowReportFilterSet(WorkflowReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["requested_by"].queryset = _requested_by


class HubWorkflowView(WorkflowView):
    filterset_class = HubWorkflowReportFilterSet

    def get_queryset(self):
        return narrow_workflow_states(self.request.user, super().get_queryset())


class HubWorkflowTasksView(WorkflowTasksView):
    def get_queryset(self):
        return narrow_workflow_states(
            self.request.user, super().get_queryset(), prefix="workflow_state__"
        )


class HubAgingPagesView(AgingPagesView):
    def get_queryset(self):
        return narrow_pages(self.request.user, super().get_queryset())


class HubLockedPagesView(LockedPagesView):
    def get_queryset(self):
        return narrow_pages(self.request.user, super().get_queryset())


class HubPageTypesUsageReportView(PageTypesUsageReportView):
    """Counts stay Wagtail's; the page named as last edited is the latest the reader may see."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        visible = narrow_pages(self.request.user, Page.objects.all())
        for item in page_types:
            shown = getattr(item, "last_edited_page", None)
            if shown is not None and not visible.filter(pk=shown.pk).exists():
                item.last_edited_page = (
                    visible.filter(content_type=item)
                    .order_by(F("latest_revision_created_at").desc(nulls_last=True), "title")
                    .specific()
                    .first()
                )
        return page_types


def _report(view_class, route, name):
    return [
        path(route, view_class.as_view(), name=f"hub_{name}"),
        path(
            f"{route}results/",
            view_class.as_view(results_only=True),
            name=f"hub_{name}_results",
        ),
    ]


# The same paths as wagtail.admin.urls.reports, under `admin/reports/`, guarded as Wagtail
# guards its admin.
urlpatterns = decorate_urlpatterns(
    [
        *_report(HubLockedPagesView, "locked/", "locked_pages"),
        *_report(HubWorkflowView, "workflow/", "workflow"),
        *_report(HubWorkflowTasksView, "workflow_tasks/", "workflow_tasks"),
        *_report(HubLogEntriesView, "site-history/", "site_history"),
        *_report(HubAgingPagesView, "aging-pages/", "aging_pages"),
        *_report(HubPageTypesUsageReportView, "page-types-usage/", "page_types_usage"),
    ],
    lambda view: never_cache(require_admin_access(view)),
)
