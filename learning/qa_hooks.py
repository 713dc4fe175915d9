"""Quality assurance's decisions on actions, in the Wagtail admin, and the hooks that keep action
evidence private.

QA decide in the admin rather than on the site: they already work there (reviews, the action
listing, the reports), and their decisions cover every agency of the partnership, so they need
a queue of what waits for them across all agencies, not an agency lead's own list. The pages
are two queues: extension requests to approve or refuse, and actions whose impact is evidenced,
to sign off as embedded. Each decision is a service call in `learning.actions`, which holds the
rules; this module only shows and posts.

Registered by importing it from `LearningConfig.ready()`.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub.admin_menu import MenuItemFor
from partnership.access import has_role
from partnership.documents import HIDDEN_DOCUMENTS_HOOK
from partnership.models import Role

from . import actions as services
from .forms import DecisionForm
from .models import Action, Evidence, EvidenceKind


def _is_qa(user) -> bool:
    return has_role(user, Role.QUALITY_ASSURANCE)


class QAOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not _is_qa(request.user):
            raise PermissionDenied("Only quality assurance make these decisions.")
        return super().dispatch(request, *args, **kwargs)


class ExtensionRequestsView(QAOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Extension requests"
    header_icon = "date"
    template_name = "learning/my_actions/qa/extension_requests.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requests = services.extension_requests_awaiting_decision(self.request.user)
        context["requests"] = requests.select_related(
            "action", "action__owner_agency", "requested_by"
        ).order_by("requested_at")
        context["forms"] = kwargs.get("forms", {})
        return context

    def post(self, request, pk):
        extension = get_object_or_404(
            services.extension_requests_awaiting_decision(request.user), pk=pk
        )
        form = DecisionForm(request.POST, prefix=f"decision-{pk}")
        approve = request.POST.get("decision") == "approve"
        if form.is_valid():
            try:
                services.decide_extension(
                    extension, request.user, approve=approve, note=form.cleaned_data["note"]
                )
            except services.ActionStateError as error:
                messages.error(request, f"{extension.action.reference}: {error.message}")
            else:
                verb = "approved" if approve else "refused"
                messages.success(request, f"{extension.action.reference}: the extension is {verb}.")
        return HttpResponseRedirect(reverse("action_extension_requests"))


class EmbedSignOffView(QAOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Actions to sign off as embedded"
    header_icon = "tasks"
    template_name = "learning/my_actions/qa/embed_sign_off.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        actions = (
            services.actions_awaiting_sign_off(self.request.user)
            .select_related("owner_agency")
            .order_by("state_changed_at")
        )
        impact = {}
        for item in Evidence.objects.filter(action__in=actions, kind=EvidenceKind.IMPACT):
            impact.setdefault(item.action_id, []).append(item)
        context["actions"] = [(action, impact.get(action.pk, [])) for action in actions]
        return context

    def post(self, request, pk):
        action = get_object_or_404(Action.objects.visible_to(request.user), pk=pk)
        try:
            services.embed(action, request.user)
        except services.ActionStateError as error:
            messages.error(request, f"{action.reference}: {error.message}")
        else:
            messages.success(request, f"{action.reference} is signed off as embedded.")
        return HttpResponseRedirect(reverse("action_embed_sign_off"))


@hooks.register("register_admin_urls")
def register_qa_urls():
    return [
        path(
            "actions/extension-requests/",
            ExtensionRequestsView.as_view(),
            name="action_extension_requests",
        ),
        path(
            "actions/extension-requests/<int:pk>/",
            ExtensionRequestsView.as_view(),
            name="action_extension_decide",
        ),
        path("actions/sign-off/", EmbedSignOffView.as_view(), name="action_embed_sign_off"),
        path("actions/sign-off/<int:pk>/", EmbedSignOffView.as_view(), name="action_embed"),
    ]


@hooks.register("register_admin_menu_item")
def register_extension_requests_menu_item():
    return MenuItemFor(
        "Extension requests",
        reverse("action_extension_requests"),
        icon_name="date",
        order=310,
        shown_to=_is_qa,
    )


@hooks.register("register_admin_menu_item")
def register_embed_menu_item():
    return MenuItemFor(
        "Embed sign-off",
        reverse("action_embed_sign_off"),
        icon_name="tasks",
        order=311,
        shown_to=_is_qa,
    )


@hooks.register("register_log_actions")
def register_action_log_actions(actions):
    for action, label in services.LOG_ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("before_serve_document")
def refuse_evidence_of_hidden_actions(document, request):
    """Evidence documents go only to people who may see an action citing them. Decides only for
    documents that are action evidence and returns None for all others, so that the reviews'
    hook (and Wagtail's own) decide for theirs."""
    allowed = services.EVIDENCE_DOCUMENTS.may_download(request.user, document)
    if allowed is None or allowed:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied("This document is evidence for an action you cannot see.")


@hooks.register(HIDDEN_DOCUMENTS_HOOK)
def hide_evidence_of_hidden_actions(user):
    """The same evidence leaves the document library, choosers and admin API."""
    return services.EVIDENCE_DOCUMENTS.hidden_from(user)
