"""The register in the Wagtail admin: the sessions a trainer or manager may mark, and one page
per session with one form, a radio group per delegate, saved at once.

Registered through `training/wagtail_hooks.py` (Wagtail discovers only that module). The rules
live in `training.register`; this module only shows and posts."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from hub.admin_menu import MenuItemFor
from partnership.access import has_role, sees_everything
from partnership.models import Role

from . import register
from .models import BookingState, Session

KEEPERS = (Role.TRAINER, Role.PARTNERSHIP_MANAGER)
MARKS = [(state.value, state.label) for state in map(BookingState, BookingState.register())]


def _may_open(user) -> bool:
    return sees_everything(user) or has_role(user, *KEEPERS)


class KeeperMixin:
    def dispatch(self, request, *args, **kwargs):
        if not _may_open(request.user):
            raise PermissionDenied("Registers are kept by trainers and partnership managers.")
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class RegisterListView(KeeperMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Registers"
    header_icon = "list-ul"
    template_name = "training/register/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sessions = (
            register.registers_for(self.request.user)
            .select_related("course")
            .with_place_counts()[:100]
        )
        context["sessions"] = sessions
        return context


class RegisterView(KeeperMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "list-ul"
    template_name = "training/register/session.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.session = get_object_or_404(
            Session.objects.select_related("course", "course__partnership"), pk=kwargs["pk"]
        )

    def dispatch(self, request, *args, **kwargs):
        # Someone who may not keep this register is told it is not there, as for any record
        # they may not see.
        if _may_open(request.user) and not register.may_keep_register(request.user, self.session):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Register: {self.session}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("training_registers"), "label": "Registers"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, chosen=None, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = []
        delegates = list(register.delegates(self.session))
        # "Mark everyone attended, then adjust": those not yet marked start as attended; nothing
        # is saved until the trainer saves the register.
        everyone = chosen is None and self.request.GET.get("all") == "attended"
        if everyone:
            chosen = {
                b.pk: BookingState.ATTENDED
                for b in delegates
                if b.state not in BookingState.register()
            }
        for booking in delegates:
            value = (chosen or {}).get(booking.pk, booking.state)
            rows.append(
                {
                    "booking": booking,
                    "name": booking.user.get_full_name() or booking.user.get_username(),
                    "choices": [
                        {
                            "value": v,
                            "label": label,
                            "id": f"mark-{booking.pk}-{v}",
                            "checked": value == v,
                        }
                        for v, label in MARKS
                    ],
                }
            )
        context.update(
            session=self.session,
            rows=rows,
            started=register.has_started(self.session),
            cancelled=self.session.cancelled_at is not None,
            list_url=reverse("training_registers"),
            everyone=everyone,
        )
        return context

    def post(self, request, pk):
        marks = {}
        for booking_id in register.delegates(self.session).values_list("pk", flat=True):
            value = request.POST.get(f"mark-{booking_id}")
            if value:
                marks[booking_id] = value
        if not marks:
            messages.error(request, "Choose a mark for at least one delegate.")
            return self.render_to_response(self.get_context_data(chosen=marks), status=400)
        try:
            result = register.mark(self.session, request.user, marks, now=timezone.now())
        except register.RegisterPermissionError as error:
            raise PermissionDenied(error.message) from error
        except register.RegisterError as error:
            messages.error(request, error.message)
            return self.render_to_response(self.get_context_data(chosen=marks), status=400)
        messages.success(
            request,
            f"Register saved: {result.changed} changed, {result.unchanged} as before.",
        )
        return HttpResponseRedirect(reverse("training_register", args=[self.session.pk]))


@hooks.register("register_admin_urls")
def register_register_urls():
    return [
        path("training/registers/", RegisterListView.as_view(), name="training_registers"),
        path("training/registers/<int:pk>/", RegisterView.as_view(), name="training_register"),
    ]


@hooks.register("register_admin_menu_item")
def register_registers_menu_item():
    return MenuItemFor(
        "Registers",
        reverse("training_registers"),
        icon_name="list-ul",
        order=420,
        shown_to=_may_open,
    )


@hooks.register("register_log_actions")
def register_register_log_actions(actions):
    actions.register_action(register.MARKED, "Register marked", "Marked on a session's register")
