"""Admin viewsets whose records a person may manage only within their own partnership.

A partnership manager keeps their own partnership's agencies and people; they must not edit
another partnership's. Hub administrators (superusers) manage every partnership."""

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .access import membership_of, sees_everything
from .models import Agency, Partnership


def own_partnership_id(user):
    membership = membership_of(user)
    return membership.partnership_id if membership else None


class OwnPartnershipMixin:
    """404 for an object outside the person's partnership, before Wagtail loads it."""

    scoped_viewset = None

    def setup(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            queryset = self.scoped_viewset.scope(
                request.user, self.scoped_viewset.model._base_manager
            )
            if not queryset.filter(pk=unquote(str(pk))).exists():
                raise Http404("Not found in your partnership.")
        super().setup(request, *args, **kwargs)


class PartnershipScopedPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model permissions, narrowed to the records of the person's own partnership, so
    that Wagtail's own per-record callers (bulk actions, the snippets API) ask the viewset's
    scope too, as its views do."""

    def __init__(self, model, viewset):
        super().__init__(model)
        self.viewset = viewset

    def may_open(self, user, instance) -> bool:
        rows = self.model._base_manager.filter(pk=instance.pk)
        return self.viewset.scope(user, rows).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self.may_open(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.viewset.scope(
            user, super().instances_user_has_any_permission_for(user, actions)
        )


class ScopedChoices:
    """A chooser view that lists, finds and returns only the records of the person's own
    partnership (`scope` is the snippet viewset's)."""

    scope = None

    def get_object_list(self):
        return self.scope(self.request.user, super().get_object_list())

    def get_object(self, pk):
        return self.scope(self.request.user, self.model_class._default_manager.all()).get(pk=pk)

    def get_objects(self, pks):
        return self.scope(self.request.user, super().get_objects(pks))


class ScopedChooserViewSet(SnippetChooserViewSet):
    scope = None

    def construct_view(self, view_class, **kwargs):
        scoped = type(
            view_class.__name__,
            (ScopedChoices, view_class),
            {"scope": staticmethod(self.scope), "__module__": __name__},
        )
        return super().construct_view(scoped, **kwargs)


class PartnershipScopedViewSet(SnippetViewSet):
    #: Lookup from the model to its partnership's primary key.
    partnership_lookup = "partnership_id"
    chooser_viewset_class = ScopedChooserViewSet

    @property
    def chooser_viewset(self):
        viewset = super().chooser_viewset
        viewset.scope = self.scope
        return viewset

    def register_permissions(self):
        if not policy_registry.get_by_type(self.model, fallback=False):
            register_permission_policy(
                self.model, PartnershipScopedPermissionPolicy(self.model, self)
            )
        super().register_permissions()

    def scope(self, user, queryset):
        if sees_everything(user):
            return queryset
        return queryset.filter(**{self.partnership_lookup: own_partnership_id(user)})

    def get_queryset(self, request):
        return self.scope(request.user, self.model._default_manager.all())

    def construct_view(self, view_class, **kwargs):
        guarded = type(
            view_class.__name__,
            (OwnPartnershipMixin, view_class),
            {"scoped_viewset": self, "__module__": __name__},
        )
        return super().construct_view(guarded, **kwargs)


class OwnPartnershipForm(WagtailAdminModelForm):
    """Offers only the person's own partnership and its agencies to choose from."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None or sees_everything(for_user):
            return
        own = own_partnership_id(for_user)
        if "partnership" in self.fields:
            self.fields["partnership"].queryset = Partnership.objects.filter(pk=own)
        if "agency" in self.fields:
            current = [self.instance.agency_id] if getattr(self.instance, "agency_id", None) else []
            self.fields["agency"].queryset = Agency.objects.filter(partnership_id=own).filter(
                Q(active=True) | Q(pk__in=current)
            )
        if "user" in self.fields:
            # A manager adds people who belong to no partnership yet, or keeps their own: the
            # people of other partnerships are not theirs to list.
            current = [self.instance.user_id] if self.instance.pk else []
            self.fields["user"].queryset = get_user_model().objects.filter(
                Q(membership__isnull=True) | Q(membership__partnership_id=own) | Q(pk__in=current)
            )
