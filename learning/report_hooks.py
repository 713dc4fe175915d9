"""Admin registrations of the action reports, the action listing and the export audit name.

Imported from `LearningConfig.ready()` rather than living in `wagtail_hooks.py`, so that the
reports stay one concern apart from the rest of the learning admin."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from hub.admin_menu import MenuItemFor

from . import reports
from .action_admin import ActionViewSet
from .views import reports as views

register_snippet(ActionViewSet)

report_urls = (
    [
        path("actions/", views.ActionReportView.as_view(), name="actions"),
        path(
            "actions/results/",
            views.ActionReportView.as_view(results_only=True),
            name="actions_results",
        ),
        path("learning-embedded/", views.FunnelView.as_view(), name="funnel"),
        path("evidence-pack/<int:pk>/", views.EvidencePackView.as_view(), name="evidence_pack"),
    ],
    "learning_reports",
)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("reports/learning/", include(report_urls))]


@hooks.register("register_reports_menu_item")
def register_actions_report():
    return MenuItemFor(
        "Follow-up actions",
        reverse("learning_reports:actions"),
        name="follow-up-actions",
        icon_name="tasks",
        order=100,
        shown_to=reports.can_see_action_reports,
    )


@hooks.register("register_reports_menu_item")
def register_funnel_report():
    return MenuItemFor(
        "Learning embedded",
        reverse("learning_reports:funnel"),
        name="learning-embedded",
        icon_name="tick-inverse",
        order=110,
        shown_to=reports.can_see_action_reports,
    )


@hooks.register("register_log_actions")
def register_export_action(actions):
    actions.register_action(
        reports.EXPORTED, _("Export action"), _("Exported in a report, list or evidence pack")
    )
