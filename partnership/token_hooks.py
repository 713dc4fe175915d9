"""Partnership API tokens in the Wagtail admin: a partnership's managers make keys for partner
systems (each key shown once, on the page that made it) and revoke them.

A custom page rather than a snippet: a key exists in plain text only in the response that made
it, which a generic create view cannot show. Rules live in `partnership.readers`.
Registered by importing it from `PartnershipConfig.ready()`."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub.admin_menu import MenuItemFor

from . import readers
from .access import is_partnership_manager, membership_of, sees_everything
from .models import PartnershipApiToken


def _may_manage(user) -> bool:
    return sees_everything(user) or (
        membership_of(user) is not None and is_partnership_manager(user)
    )


class ApiTokensView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "API tokens"
    header_icon = "key"
    template_name = "partnership/api_tokens.html"

    def dispatch(self, request, *args, **kwargs):
        if not _may_manage(request.user):
            raise PermissionDenied("Only partnership managers manage API tokens.")
        self.membership = membership_of(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def tokens(self):
        tokens = PartnershipApiToken.objects.select_related("partnership", "created_by")
        if sees_everything(self.request.user) and self.membership is None:
            return tokens
        return tokens.filter(partnership_id=self.membership.partnership_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tokens"] = self.tokens()
        context["membership"] = self.membership
        return context

    def post(self, request, pk=None):
        if pk is not None:
            token = get_object_or_404(self.tokens(), pk=pk)
            try:
                readers.revoke_api_token(token, request.user)
            except readers.TokenError as error:
                raise PermissionDenied(str(error)) from error
            messages.success(request, f"{token.name}: the token is revoked.")
            return HttpResponseRedirect(reverse("partnership_api_tokens"))
        if self.membership is None:
            raise PermissionDenied("Tokens are made by a partnership's own managers.")
        try:
            token, key = readers.create_api_token(
                self.membership.partnership, request.POST.get("name", ""), request.user
            )
        except readers.TokenError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("partnership_api_tokens"))
        # Rendered, not redirected: the key must never pass through a session or a log.
        response = self.render_to_response(self.get_context_data(new_token=token, new_key=key))
        response["Cache-Control"] = "no-store"
        return response


@hooks.register("register_admin_urls")
def register_api_token_urls():
    return [
        path("api-tokens/", ApiTokensView.as_view(), name="partnership_api_tokens"),
        path(
            "api-tokens/<int:pk>/revoke/",
            ApiTokensView.as_view(),
            name="partnership_api_token_revoke",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_api_tokens_menu_item():
    return MenuItemFor(
        "API tokens",
        reverse("partnership_api_tokens"),
        icon_name="key",
        order=900,
        shown_to=_may_manage,
    )
