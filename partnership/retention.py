"""Nothing is lost by a delete: people and agencies that records name stay on record.

A person who read a briefing, booked training, added evidence or took part in a review's
history is deactivated, never deleted; an agency that reviews, findings, actions, readings or
people name is retired (`Agency.active`), never deleted. Foreign keys enforce this with
`on_delete=PROTECT`; many-to-many links cannot, so `refuse_delete_while_named` refuses those
deletes with the same `ProtectedError`, and the admin offers deactivation or retirement instead
(`partnership.wagtail_hooks`)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models.deletion import ProtectedError
from wagtail.log_actions import log

from .models import Agency


@dataclass(frozen=True)
class Holding:
    """Some records that name a person or agency: `count` of `label` (a verbose name)."""

    label: str
    count: int
    records: models.QuerySet

    def __str__(self):
        return f"{self.count} {self.label}"


def _wagtail_history(user):
    """Wagtail's own records of what a person did: sign-off decisions and revisions. Wagtail
    sets them to nobody when the person goes, which would erase who signed a review off."""
    from wagtail.models import Revision, TaskState, WorkflowState

    return [
        ("sign-off decisions", TaskState.objects.filter(finished_by=user)),
        ("sign-offs started", WorkflowState.objects.filter(requested_by=user)),
        ("revisions", Revision.objects.filter(user=user)),
    ]


def _relations(obj):
    """The Hub's relations that point at `obj`'s model and keep it: protecting foreign keys
    and every many-to-many link (which `on_delete` cannot protect)."""
    for relation in obj._meta.related_objects:
        if relation.related_model._meta.app_label not in HUB_APPS:
            continue
        protecting = getattr(relation, "on_delete", None) is models.PROTECT
        if relation.many_to_many or protecting:
            yield relation


HUB_APPS = {"partnership", "reviews", "learning", "training"}


def holdings(obj) -> list[Holding]:
    """What names `obj` (a person or an agency) and would be lost or broken by deleting it."""
    found = []
    for relation in _relations(obj):
        model = relation.related_model
        records = model._base_manager.filter(**{relation.field.name: obj})
        found.append((str(model._meta.verbose_name_plural), records))
    if isinstance(obj, get_user_model()):
        found += _wagtail_history(obj)
    result = []
    for label, records in found:
        count = records.count()
        if count:
            result.append(Holding(label=label, count=count, records=records))
    return result


def describe(held: list[Holding]) -> str:
    return ", ".join(str(h) for h in held)


def refuse_delete_while_named(sender, instance, **kwargs):
    """`pre_delete` for people and agencies: what a protecting foreign key would do, for the
    links it cannot cover (a review's panel and agencies, a finding's agencies, ...). It raises
    inside the delete's transaction, which an enclosing atomic block must then roll back."""
    held = holdings(instance)
    if held:
        raise ProtectedError(
            f"{instance} cannot be deleted: named by {describe(held)}. "
            + ("Deactivate them instead." if sender is not Agency else "Retire it instead."),
            set().union(*(set(h.records[:20]) for h in held)),
        )


@dataclass(frozen=True)
class Outcome:
    """What a delete request did: `deleted`, or kept (deactivated or retired) because of
    `held`."""

    deleted: bool
    held: list[Holding]
    changed: bool = False


def deactivate_instead_of_delete(person, by) -> Outcome:
    """Deactivate `person` if records name them, so that they can no longer sign in and their
    acknowledgements, bookings, evidence and history stay theirs; else report nothing held
    (the caller deletes)."""
    held = holdings(person)
    if not held:
        return Outcome(deleted=True, held=[])
    with transaction.atomic():
        changed = person.is_active
        if changed:
            person.is_active = False
            person.save(update_fields=["is_active"])
            log(person, "hub.person.deactivated", user=by)
    return Outcome(deleted=False, held=held, changed=changed)


def retire(agency, by) -> Outcome:
    """Retire `agency`: it leaves the pickers and stays on every record that names it."""
    with transaction.atomic():
        changed = agency.active
        if changed:
            agency.active = False
            agency.save(update_fields=["active"])
            log(agency, "hub.agency.retired", user=by)
    return Outcome(deleted=False, held=holdings(agency), changed=changed)
