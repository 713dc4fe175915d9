"""Audits in the admin and in Wagtail's hooks: standards sets as guarded snippets (edited by the
partnership that owns them, read-only elsewhere, frozen once a cycle uses them), the audit log's
labels, the privacy of return evidence, and a way from the admin to the self-assessment pages."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet

from partnership.admin_access import AccessGuardedViewSet
from partnership.documents import HIDDEN_DOCUMENTS_HOOK
from partnership.pickers import offer_partnerships

from . import case_audits, cycles, events, evidence, home
from .models import StandardSet
from .templatetags.audits_tags import offers_self_assessment


class StandardSetForm(WagtailAdminModelForm):
    """Filed under the editor's own partnership; a version a cycle uses takes no change, since
    agencies' answers were given against its words: a change is imported as a new version."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            current = [self.instance.partnership_id] if self.instance.partnership_id else []
            offer_partnerships(self, "partnership", current)

    def clean(self):
        data = super().clean()
        if self.instance.in_use and self.has_changed_anything():
            raise self.in_use_error()
        return data

    def has_changed_anything(self) -> bool:
        return self.has_changed() or any(
            formset.has_changed() for formset in getattr(self, "formsets", {}).values()
        )

    @staticmethod
    def in_use_error():
        from django.core.exceptions import ValidationError

        return ValidationError(
            "A self-assessment cycle uses this version, so its standards stay as agencies "
            "answered them: import the changed standards as a new version."
        )


STANDARD_PANELS = [
    FieldPanel("code"),
    FieldPanel("text"),
    FieldPanel("good_looks_like"),
    FieldPanel("evidence_expected"),
]


class StandardSetViewSet(AccessGuardedViewSet):
    model = StandardSet
    icon = "list-ol"
    menu_label = "Standards"
    menu_name = "standards"
    add_to_admin_menu = True
    menu_order = 230
    search_fields = ["name"]
    list_display = [
        "name",
        Column("version", label="Version"),
        Column("kind", label="Kind", accessor="get_kind_display"),
        Column("partnership", label="Partnership"),
        Column("sharing_level", label="Shared", accessor="get_sharing_level_display"),
    ]
    list_export = ["partnership", "name", "version", "kind", "scale", "sharing_level"]
    export_filename = "standards-sets"
    inspect_view_fields = ["partnership", "name", "version", "kind", "scale", "sharing_level"]
    edit_handler = ObjectList(
        [
            FieldPanel("partnership"),
            FieldRowPanel([FieldPanel("name"), FieldPanel("version")]),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("scale")]),
            FieldPanel("sharing_level"),
            InlinePanel("standards", panels=STANDARD_PANELS, label="Standard"),
        ],
        base_form_class=StandardSetForm,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partnership")


register_snippet(StandardSetViewSet)


@hooks.register("register_log_actions")
def register_audit_log_actions(actions):
    for action, label in {
        **cycles.LOG_ACTIONS,
        **events.LOG_ACTIONS,
        **case_audits.LOG_ACTIONS,
    }.items():
        actions.register_action(action, label, label)


@hooks.register("before_serve_document")
def refuse_evidence_of_hidden_returns(document, request):
    """Return evidence goes only to people who may see a return that cites it; decides nothing
    for other documents."""
    allowed = evidence.RETURN_EVIDENCE.may_download(request.user, document)
    if allowed is None or allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied("This document is evidence for a self-assessment you cannot see.")


@hooks.register(HIDDEN_DOCUMENTS_HOOK)
def hide_evidence_of_hidden_returns(user):
    return evidence.RETURN_EVIDENCE.hidden_from(user)


class SelfAssessmentMenuItem(MenuItem):
    def is_shown(self, request):
        return offers_self_assessment(request.user)


@hooks.register("register_admin_menu_item")
def self_assessment_menu_item():
    return SelfAssessmentMenuItem("Self-assessment", reverse("audits"), icon_name="form", order=235)


@hooks.register("register_admin_menu_item")
def case_audits_menu_item():
    return SelfAssessmentMenuItem(
        "Case audits", reverse("case-audits"), icon_name="table", order=236
    )


hooks.register("hub_home_sections", home.return_sections)
