"""Which records a person may see in the lists that Wagtail itself ships: site history, the
workflow reports, the page reports and the dashboard panels.

Wagtail narrows those by model permissions only (a reviewer may see reviews, so every review's
log entries); the Hub narrows each record through the rule its own admin applies:

- a model with an `access_rule`: `partnership.access.visible_to`;
- a model whose snippet admin is a `PartnershipScopedViewSet`: that viewset's `scope`;
- a model an app narrows itself (training's bookings): a function registered under
  `SCOPE_HOOK`, returning `(model, scope)` with `scope(user, queryset) -> queryset`;
- a model whose registered Wagtail permission policy answers per record: that policy too, so
  that records given a policy later are narrowed with no change here.

The rules only ever narrow: a record passes when every rule that applies to it lets it through.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from wagtail import hooks
from wagtail.models import Page, TaskState
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from .access import sees_everything, visible_to
from .admin_scoping import PartnershipScopedViewSet

SCOPE_HOOK = "register_hub_admin_scope"

# What "may see" means of a permission policy: any of the actions Wagtail's history asks of.
SEEING_ACTIONS = ("add", "change", "delete", "view")


def _scopes(model) -> list:
    return [
        scope for scoped, scope in (fn() for fn in hooks.get_hooks(SCOPE_HOOK)) if scoped is model
    ]


def _record_policy(model):
    """The model's registered permission policy, when it decides per record.

    Never the fallback (asking for one would stop anyone registering a policy later), and not
    Wagtail's page policy, which the page lists and page history apply already."""
    policy = policy_registry.get_by_type(model, fallback=False)
    if policy is None or isinstance(policy, PagePermissionPolicy):
        return None
    method = type(policy).instances_user_has_any_permission_for
    if method is ModelPermissionPolicy.instances_user_has_any_permission_for:
        return None
    return policy


def _scoped_viewset(model):
    viewset = getattr(model, "snippet_viewset", None)
    return viewset if isinstance(viewset, PartnershipScopedViewSet) else None


def narrows(model) -> bool:
    """Does the Hub decide per record who sees `model`, beyond Wagtail's model permissions?"""
    if model is None:
        return False
    return bool(
        hasattr(model, "access_rule")
        or _scoped_viewset(model)
        or _scopes(model)
        or _record_policy(model)
    )


def visible_records(user, model):
    """The records of `model` that `user` may see in the admin's lists, as a queryset; None when
    the Hub leaves `model` to Wagtail's model permissions (themes, workflows, images)."""
    if not narrows(model):
        return None
    records = model._base_manager.all()
    if sees_everything(user):
        return records
    if hasattr(model, "access_rule"):
        records = visible_to(user, records)
    if viewset := _scoped_viewset(model):
        records = viewset.scope(user, records)
    for scope in _scopes(model):
        records = scope(user, records)
    if policy := _record_policy(model):
        allowed = policy.instances_user_has_any_permission_for(user, SEEING_ACTIONS)
        records = records.filter(pk__in=allowed.values("pk"))
    return records


def may_see(user, obj) -> bool:
    """May `user` see `obj` listed? Its record's policy may let them open more than the lists
    show: the partner asked to sign a restricted review off opens the review to sign it."""
    if obj is None:
        return False
    model = type(obj)
    visible = visible_records(user, model)
    if visible is None or visible.filter(pk=obj.pk).exists():
        return True
    policy = _record_policy(model)
    return bool(policy and policy.user_has_permission_for_instance(user, "view", obj))


def _narrowed_models(content_type_ids) -> list:
    models = []
    for content_type_id in content_type_ids:
        if content_type_id is None:
            continue
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if narrows(model):
            models.append(model)
    return models


def _as_text(pks):
    # Generic relations keep the object's key as text (Wagtail casts the same way).
    return pks.values_list(Cast("pk", output_field=CharField()), flat=True)


def _object_key(log_model):
    """The field a log entry model names its object by: a foreign key (pages, reviews) or
    Wagtail's text `object_id`."""
    names = {f.name for f in log_model._meta.concrete_fields}
    if "object_id" in names:
        return "object_id", None
    ignored = {"content_type", "user", "revision"}
    keys = [f for f in log_model._meta.concrete_fields if f.is_relation and f.name not in ignored]
    return (keys[0].attname, keys[0].related_model) if len(keys) == 1 else (None, None)


def narrow_log_entries(user, entries):
    """Leave out of `entries` those about a record `user` may not see (a deleted record of a
    narrowed model included: nobody can say any more who saw it)."""
    if sees_everything(user):
        return entries
    log_model = entries.model
    key, target = _object_key(log_model)
    present = log_model._base_manager.order_by().values_list("content_type_id", flat=True)
    models = set(_narrowed_models(set(present)))
    if target is not None:
        # A page's entries may carry the base page type; its own type is on the page.
        models |= {
            m for m in apps.get_models() if issubclass(m, target) and m is not target and narrows(m)
        }
    for model in models:
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        about = Q(content_type_id=content_type.pk)
        visible = visible_records(user, model)
        if target is not None and issubclass(model, target):
            about |= Q(**{f"{key}__in": model._base_manager.values("pk")})
            entries = entries.filter(~about | Q(**{f"{key}__in": visible.values("pk")}))
        elif key == "object_id":
            entries = entries.filter(~about | Q(object_id__in=_as_text(visible)))
        else:
            entries = entries.filter(~about)
    return entries


def viewable_log_entries(user, log_model):
    """What Wagtail's site history lists of `log_model` for `user`, narrowed per record."""
    return narrow_log_entries(user, log_model.objects.viewable_by_user(user))


def _asked_to_act_on(user) -> list[int]:
    """Workflow states whose current task `user` is asked to act on and whose record's policy
    lets them open it (a statutory partner asked to sign a review off)."""
    asked = []
    states = TaskState.objects.reviewable_by(user).select_related("workflow_state")
    for task_state in states:
        workflow_state = task_state.workflow_state
        obj = workflow_state.content_object
        policy = _record_policy(type(obj)) if obj is not None else None
        if policy and policy.user_has_permission_for_instance(user, "view", obj):
            asked.append(workflow_state.pk)
    return asked


def narrow_workflow_states(user, queryset, prefix: str = ""):
    """Leave out of `queryset` (workflow states, or task states with `prefix="workflow_state__"`)
    those of records `user` may not see, keeping those they are asked to act on."""
    if sees_everything(user):
        return queryset
    from wagtail.models import WorkflowState

    present = WorkflowState.objects.order_by().values_list("content_type_id", flat=True)
    asked = Q(**{f"{prefix}pk__in": _asked_to_act_on(user)})
    for model in _narrowed_models(set(present)):
        content_type = ContentType.objects.get_for_model(model)
        visible = _as_text(visible_records(user, model))
        queryset = queryset.filter(
            ~Q(**{f"{prefix}content_type_id": content_type.pk})
            | Q(**{f"{prefix}object_id__in": visible})
            | asked
        )
    return queryset


def narrowed_page_models() -> list:
    return [m for m in apps.get_models() if issubclass(m, Page) and m is not Page and narrows(m)]


def narrow_pages(user, pages):
    """Leave out of `pages` those of a narrowed type (briefings, courses) `user` may not see."""
    if sees_everything(user):
        return pages
    for model in narrowed_page_models():
        content_type = ContentType.objects.get_for_model(model)
        visible = visible_records(user, model).values("pk")
        pages = pages.filter(~Q(content_type_id=content_type.pk) | Q(pk__in=visible))
    return pages
