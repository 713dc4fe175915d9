"""The second sign-in step, as pages of the site beside its sign-in page: set up an authenticator
app (scan or type the secret, confirm with a code), see the recovery codes once, or give a code.
Rules live in `partnership.two_factor`."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from . import two_factor
from .forms import RecoveryCodeForm, TwoFactorCodeForm


def _next(request) -> str:
    """Where to go once the step is done: the page the person asked for, if it is the Hub's."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("wagtailadmin_home")


def _with_next(url_name: str, request) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': _next(request)})}"


@method_decorator(login_required, name="dispatch")
class SetUpView(View):
    """Set up an authenticator app: first sign-in, after a manager's reset, or (once verified)
    to replace the app on a new phone."""

    template_name = "partnership/two_factor/set_up.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if two_factor.has_second_factor(user) and not two_factor.is_verified(user):
            # Replacing a device takes the one in use: otherwise a password would be enough.
            return redirect(_with_next("two-factor-verify", request))
        return super().dispatch(request, *args, **kwargs)

    def render(self, request, form, status=200):
        device = two_factor.pending_authenticator(request.user)
        context = {
            "form": form,
            "next": _next(request),
            "qr_code": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_text(device),
            "replacing": two_factor.has_second_factor(request.user),
        }
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request):
        return self.render(request, TwoFactorCodeForm())

    def post(self, request):
        form = TwoFactorCodeForm(request.POST)
        if form.is_valid():
            try:
                codes = two_factor.confirm_authenticator(request, form.cleaned_data["code"])
            except two_factor.TwoFactorError as error:
                form.add_error("code", error.message)
                return self.render(request, form, status=error.status)
            two_factor.keep_new_codes(request, codes)
            return redirect(_with_next("two-factor-recovery-codes", request))
        return self.render(request, form)


@method_decorator(login_required, name="dispatch")
class VerifyView(View):
    """Give a code from the authenticator app, or a recovery code instead."""

    template_name = "partnership/two_factor/verify.html"

    def dispatch(self, request, *args, **kwargs):
        if not two_factor.has_second_factor(request.user):
            return redirect(_with_next("two-factor-set-up", request))
        if two_factor.is_verified(request.user):
            return redirect(_next(request))
        return super().dispatch(request, *args, **kwargs)

    def uses_recovery_code(self, request) -> bool:
        return (request.POST.get("use") or request.GET.get("use")) == "recovery-code"

    def render(self, request, form, status=200):
        context = {
            "form": form,
            "next": _next(request),
            "recovery": self.uses_recovery_code(request),
        }
        return TemplateResponse(request, self.template_name, context, status=status)

    def form_class(self, request):
        return RecoveryCodeForm if self.uses_recovery_code(request) else TwoFactorCodeForm

    def get(self, request):
        return self.render(request, self.form_class(request)())

    def post(self, request):
        form = self.form_class(request)(request.POST)
        if form.is_valid():
            try:
                two_factor.verify(request, form.cleaned_data["code"])
            except two_factor.TwoFactorError as error:
                form.add_error("code", error.message)
                return self.render(request, form, status=error.status)
            return redirect(_next(request))
        return self.render(request, form)


@method_decorator(login_required, name="dispatch")
class RecoveryCodesView(View):
    """The new recovery codes, once: the page takes them out of the session as it shows them."""

    template_name = "partnership/two_factor/recovery_codes.html"

    def get(self, request):
        codes = two_factor.take_new_codes(request)
        if not codes:
            return redirect(_next(request))
        context = {"codes": codes, "next": _next(request)}
        return TemplateResponse(request, self.template_name, context)
