"""The access policy inside Wagtail's admin: one permission policy and one view guard.

Wagtail's generic views check the model permission of the person's role ("may reviewers change
reviews at all?") and nothing about the record in hand; its edit, copy, lock and unpublish views
never ask which review. The Hub's answer to "which?" is `partnership.access`, so:

- `AccessPermissionPolicy` is registered for every record type that carries an access rule. Its
  per-record answers (`user_has_permission_for_instance`, `instances_user_has_*`) are
  `can_view` / `can_change` and `visible_to` / `changeable_by`, so Wagtail's own callers (bulk
  actions, listing buttons, the snippets API, history) ask the Hub's question.
- `AccessGuardedViewSet` wraps every view a snippet viewset builds in `RecordAccessGuard`, which
  asks that policy before Wagtail loads the record: a record the person may not see answers 404
  (its existence is not told), one they may see but not change opens read-only (the inspect
  view) and refuses every write with 403.
"""

from __future__ import annotations

from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import classproperty
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import get_snippet_models
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import SnippetViewSet

from .access import (
    can_change,
    can_view,
    changeable_by,
    rule_for,
    sees_everything,
    value_at,
    visible_to,
)
from .pickers import partnerships_for

# Every action that alters a record; anything else (view, inspect, history) only reads it.
CHANGING_ACTIONS = frozenset({"add", "change", "delete", "publish", "unpublish", "lock", "unlock"})


def has_access_rule(model) -> bool:
    return hasattr(model, "access_rule")


class AccessPermissionPolicy(ModelPermissionPolicy):
    """Wagtail's model permissions (what a role may do at all), narrowed to the records the
    access policy lets this person see, or change."""

    #: Actions nobody but a system administrator takes, whatever their role: a review is
    #: published only by finishing its sign-off, never by a button.
    administrators_only: frozenset[str] = frozenset()

    def user_has_permission(self, user, action):
        if action in self.administrators_only:
            return sees_everything(user)
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def may_open(self, user, instance) -> bool:
        """May `user` read this record in the admin? Subclasses widen it for a reason of their
        own (the partner asked to sign a review off reads what they sign)."""
        return can_view(user, instance)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action in CHANGING_ACTIONS:
            return can_change(user, instance)
        return self.may_open(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = [action for action in actions if self.user_has_permission(user, action)]
        queryset = self.model._default_manager.all()
        if not allowed:
            return queryset.none()
        if all(action in CHANGING_ACTIONS for action in allowed):
            return changeable_by(user, queryset)
        return visible_to(user, queryset)


def permission_policy_for(model) -> ModelPermissionPolicy:
    return policy_registry.get_by_type(model)


class RecordAccessGuard:
    """Mixed into every view of a guarded viewset (see `AccessGuardedViewSet.construct_view`).

    `guard_action` is what the view does to the record: "view" for reading views, Wagtail's
    action name ("change", "delete", "lock", "unpublish", ...) for the rest."""

    guard_action = "view"
    #: The inspect view's URL name, where a reader who may not change the record is sent.
    read_only_url_name = None

    def setup(self, request, *args, **kwargs):
        # Before Wagtail's own setup, which loads (and for some views renders) the record.
        self.guarded_object = None
        pk = kwargs.get("pk")
        if pk is not None:
            model = self.guarded_model
            obj = model._base_manager.filter(pk=unquote(str(pk))).first()
            if obj is None or not permission_policy_for(model).may_open(request.user, obj):
                raise Http404(f"No {model._meta.verbose_name} found.")
            self.guarded_object = obj
        super().setup(request, *args, **kwargs)

    def dispatch(self, request, *args, **kwargs):
        obj = self.guarded_object
        if obj is not None and self.guard_action != "view":
            policy = permission_policy_for(self.guarded_model)
            if not policy.user_has_permission_for_instance(request.user, self.guard_action, obj):
                if request.method == "GET" and self.read_only_url_name:
                    # Someone who may read but not change a record reads it; they are never
                    # given a form that saves.
                    return redirect(self.read_only_url_name, quote(obj.pk))
                name = obj._meta.verbose_name
                raise PermissionDenied(f"You may read this {name}, not change it.")
        return super().dispatch(request, *args, **kwargs)

    def save_instance(self):
        # A new record, or an edit, must leave a record the person may change: nobody creates
        # a review or an action in another partnership, whatever the form was sent.
        instance = self.form.instance
        action = "change" if instance.pk else "add"
        policy = permission_policy_for(self.guarded_model)
        allowed = policy.user_has_permission_for_instance(self.request.user, action, instance)
        if not allowed or not self._owner_is_allowed(instance):
            name = instance._meta.verbose_name
            raise PermissionDenied(f"You may not save this {name} under that partnership.")
        return super().save_instance()

    def _owner_is_allowed(self, instance) -> bool:
        """The owner the form gives the record is one the person may file it under (their own
        partnership, or the one it already has): the forms offer no other (`partnership.pickers`),
        and this holds whatever was posted."""
        path = rule_for(type(instance)).partnership
        owner_id = value_at(instance, f"{path}_id")
        if owner_id is None:
            return True
        saved = (
            type(instance)._base_manager.filter(pk=instance.pk).values_list(f"{path}_id", flat=True)
        )
        current = [saved.first()] if instance.pk else []
        return partnerships_for(self.request.user, current).filter(pk=owner_id).exists()


class VisibleChooseView(snippet_chooser.ChooseView):
    def get_object_list(self):
        return visible_to(self.request.user, super().get_object_list())


class VisibleChooseResultsView(snippet_chooser.ChooseResultsView):
    def get_object_list(self):
        return visible_to(self.request.user, super().get_object_list())


class VisibleChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return visible_to(self.request.user, self.model_class._default_manager.all()).get(pk=pk)


class VisibleChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return visible_to(self.request.user, super().get_objects(pks))


class VisibleChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    """The snippet chooser of a guarded model: it lists, finds and returns only what the person
    may see (a hidden record's chosen URL answers 404, as its edit view does)."""

    choose_view_class = VisibleChooseView
    choose_results_view_class = VisibleChooseResultsView
    chosen_view_class = VisibleChosenView
    chosen_multiple_view_class = VisibleChosenMultipleView


class AccessGuardedViewSet(SnippetViewSet):
    """A snippet viewset whose every view asks the access policy, with the queryset, choosers
    and exports narrowed to what the person may see. Copying is off: a copy of a case review
    or an action would duplicate its reference and its history, and nobody needs one."""

    copy_view_enabled = False
    inspect_view_enabled = True
    search_backend_name = None  # plain database lookups over the visible records
    chooser_viewset_class = VisibleChooserViewSet
    #: The model's permission policy, registered with Wagtail when the viewset is.
    permission_policy_class = AccessPermissionPolicy

    def register_permissions(self):
        if not policy_registry.get_by_type(self.model, fallback=False):
            register_permission_policy(self.model, self.permission_policy_class(self.model))
        super().register_permissions()

    def get_queryset(self, request):
        return visible_to(request.user, self.model._default_manager.all())

    def guard_actions(self) -> dict:
        """Each view class this viewset builds, and what it does to the record."""
        return {
            self.edit_view_class: "change",
            self.delete_view_class: "delete",
            self.lock_view_class: "lock",
            self.unlock_view_class: "unlock",
            self.unpublish_view_class: "unpublish",
            self.revisions_revert_view_class: "change",
            self.revisions_unschedule_view_class: "publish",
            self.copy_view_class: "add",
        }

    def guard_mixins(self, view_class) -> tuple:
        """Mixins a subclass adds before the guard (the review's audit of reads)."""
        return ()

    def construct_view(self, view_class, **kwargs):
        guarded = type(
            view_class.__name__,
            (*self.guard_mixins(view_class), RecordAccessGuard, view_class),
            {
                "guard_action": self.guard_actions().get(view_class, "view"),
                "guarded_model": self.model,
                "read_only_url_name": (
                    self.get_url_name("inspect")
                    if self.inspect_view_enabled and view_class is self.edit_view_class
                    else None
                ),
                "__module__": view_class.__module__,
            },
        )
        return super().construct_view(guarded, **kwargs)


class GuardedDeleteBulkAction(DeleteBulkAction):
    """Bulk delete for records whose permission policy answers per record (an access rule, or a
    partnership-scoped admin): ids of records the person may not see are dropped before
    anything is listed, so the confirmation page never names them; the rest are deleted only
    where the policy lets the person delete them."""

    @classproperty
    def models(cls):
        return [
            model
            for model in get_snippet_models()
            if hasattr(policy_registry.get_by_type(model, fallback=False), "may_open")
        ]

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        user = self.request.user
        policy = permission_policy_for(self.model)
        extra["items_with_no_access"] = [
            obj for obj in extra["items_with_no_access"] if policy.may_open(user, obj)
        ]
        return objects, extra
