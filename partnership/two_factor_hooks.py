"""Two factors in the Wagtail admin: each person's own page (new recovery codes, a new phone) in
their account's More actions, and for partnership managers a list of their people with a Reset
button, as they unlock sign-ins (`partnership.lockout_hooks`). Rules live in
`partnership.two_factor`. Registered by importing it from `PartnershipConfig.ready()`."""

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.generic import TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub.admin_menu import MenuItemFor

from . import two_factor

# As for lock-outs: a partnership's admin users fit many times over; more is a listing to page.
LISTED = 500


def _step_url(url_name: str, then: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': then})}"


class OwnTwoFactorView(WagtailAdminTemplateMixin, TemplateView):
    """A person's own second factor: how many recovery codes are left, new ones, a new phone."""

    page_title = "Two-factor authentication"
    header_icon = "key"
    template_name = "partnership/two_factor_account.html"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailadmin_account"), "label": "Account"},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        here = reverse("partnership_two_factor_account")
        context["authenticator"] = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        context["codes_left"] = two_factor.recovery_codes_left(user)
        context["set_up_url"] = _step_url("two-factor-set-up", here)
        return context

    def post(self, request):
        codes = two_factor.renew_recovery_codes(request.user)
        two_factor.keep_new_codes(request, codes)
        here = reverse("partnership_two_factor_account")
        return HttpResponseRedirect(_step_url("two-factor-recovery-codes", here))


class TwoFactorPeopleView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "Two-factor authentication"
    header_icon = "key"
    template_name = "partnership/two_factor_people.html"

    def dispatch(self, request, *args, **kwargs):
        if not two_factor.may_reset(request.user):
            raise PermissionDenied("Only partnership managers reset two-factor authentication.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        people = list(two_factor.admin_people_visible_to(self.request.user)[:LISTED])
        set_up = {
            device.user_id: device
            for device in TOTPDevice.objects.filter(user__in=people, confirmed=True)
        }
        context["people"] = [(person, set_up.get(person.pk)) for person in people]
        return context

    def post(self, request, pk):
        person = get_object_or_404(two_factor.people_visible_to(request.user), pk=pk)
        try:
            two_factor.reset(person, request.user)
        except two_factor.TwoFactorError as error:
            raise PermissionDenied(error.message) from error
        name = person.get_full_name() or person.get_username()
        messages.success(
            request, f"{name} will set up two-factor authentication again when they next sign in."
        )
        return HttpResponseRedirect(reverse("partnership_two_factor_people"))


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path(
            "account/two-factor/",
            OwnTwoFactorView.as_view(),
            name="partnership_two_factor_account",
        ),
        path(
            "two-factor/",
            TwoFactorPeopleView.as_view(),
            name="partnership_two_factor_people",
        ),
        path(
            "two-factor/<int:pk>/reset/",
            TwoFactorPeopleView.as_view(),
            name="partnership_two_factor_reset",
        ),
    ]


@hooks.register("register_account_menu_item")
def register_own_two_factor_item(request):
    return {
        "url": reverse("partnership_two_factor_account"),
        "label": "Two-factor authentication",
        "help_text": "Get new recovery codes, or set up the authenticator app on a new phone.",
    }


@hooks.register("register_reports_menu_item")
def register_two_factor_menu_item():
    return MenuItemFor(
        "Two-factor authentication",
        reverse("partnership_two_factor_people"),
        name="two-factor-authentication",
        icon_name="key",
        order=901,
        shown_to=two_factor.may_reset,
    )


@hooks.register("register_log_actions")
def register_two_factor_actions(actions):
    actions.register_action(
        two_factor.ENROLLED, "Two-factor set up", "Set up two-factor authentication"
    )
    actions.register_action(
        two_factor.RECOVERY_CODE_USED, "Recovery code used", "Signed in with a recovery code"
    )
    actions.register_action(
        two_factor.RECOVERY_CODES_RENEWED, "Recovery codes renewed", "Got new recovery codes"
    )
    actions.register_action(
        two_factor.RESET, "Two-factor reset", "Two-factor authentication reset by a manager"
    )
