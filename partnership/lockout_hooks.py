"""Failed sign-ins and lock-outs in the Wagtail admin, for partnership managers: who is locked
out, from where and since when, with an Unlock button. Rules live in `partnership.lockouts`.
Registered by importing it from `PartnershipConfig.ready()`."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub.admin_menu import MenuItemFor

from . import lockouts

# A person with a thousand failures is one row; a listing longer than this is an attack, which
# the Hub's administrators handle from the command line (`manage.py axes_list_attempts`).
LISTED = 200


class SignInLockoutsView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "Sign-in lock-outs"
    header_icon = "lock"
    template_name = "partnership/sign_in_lockouts.html"

    def dispatch(self, request, *args, **kwargs):
        if not lockouts.may_unlock(request.user):
            raise PermissionDenied("Only partnership managers see sign-in lock-outs.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        attempts = lockouts.attempts_visible_to(self.request.user)[:LISTED]
        context["attempts"] = [(a, lockouts.is_locked(a, now)) for a in attempts]
        context["failure_limit"] = lockouts.settings.AXES_FAILURE_LIMIT
        context["cool_off_minutes"] = lockouts.cool_off_minutes()
        return context

    def post(self, request, pk):
        attempt = get_object_or_404(lockouts.attempts_visible_to(request.user), pk=pk)
        try:
            lockouts.unlock(attempt, request.user)
        except lockouts.LockoutError as error:
            raise PermissionDenied(error.message) from error
        messages.success(request, f"{attempt.username} can sign in again.")
        return HttpResponseRedirect(reverse("partnership_sign_in_lockouts"))


@hooks.register("register_admin_urls")
def register_lockout_urls():
    return [
        path(
            "sign-in-lockouts/",
            SignInLockoutsView.as_view(),
            name="partnership_sign_in_lockouts",
        ),
        path(
            "sign-in-lockouts/<int:pk>/unlock/",
            SignInLockoutsView.as_view(),
            name="partnership_sign_in_unlock",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_lockouts_menu_item():
    return MenuItemFor(
        "Sign-in lock-outs",
        reverse("partnership_sign_in_lockouts"),
        name="sign-in-lockouts",
        icon_name="lock",
        order=900,
        shown_to=lockouts.may_unlock,
    )


@hooks.register("register_log_actions")
def register_unlock_action(actions):
    actions.register_action(lockouts.UNLOCKED, "Sign-in unlocked", "Unlocked after failed sign-ins")
