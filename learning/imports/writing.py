"""Writing checked action rows in bulk: recommendations the reviews lacked, the actions, their
history events and their themes, in a few statements per thousand rows."""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from hub.importing import WRITE_CHUNK, Writing, chunks
from hub.signals import written_in_bulk
from reviews.models import Recommendation, ReviewType

from ..models import Action, ActionEvent, ActionSource, ActionState
from ..models.action import ActionTheme

SOURCE_BY_REVIEW_TYPE = {
    ReviewType.MULTI_AGENCY_AUDIT: ActionSource.AUDIT,
    ReviewType.SECTION_11_AUDIT: ActionSource.AUDIT,
    ReviewType.SECTION_175_AUDIT: ActionSource.AUDIT,
    ReviewType.PEER_REVIEW: ActionSource.PEER_REVIEW,
}
# The fields an import sets; never the state of an existing action: only the lifecycle
# services move it, and one of them may have moved it since the file was checked.
FIELDS = [
    "review",
    "recommendation",
    "partnership",
    "description",
    "owner_agency",
    "lead",
    "due_date",
    "source",
]


def _add_recommendations(planned, known: dict) -> list[Recommendation]:
    """The recommendations the rows name that their reviews lack, added after the ones they
    have; `known` (review pk: folded text: recommendation) gains them."""
    wanted = {}
    for plan in planned:
        if plan.recommendation_key and plan.recommendation_key not in known.get(plan.review.pk, {}):
            wanted.setdefault((plan.review.pk, plan.recommendation_key), plan)
    if not wanted:
        return []
    last = dict(
        Recommendation.objects.filter(review_id__in={pk for pk, _ in wanted})
        .values("review_id")
        .annotate(last=Max("sort_order"))
        .values_list("review_id", "last")
    )
    new = []
    for (review_pk, key), plan in wanted.items():
        sort_order = (last.get(review_pk) if last.get(review_pk) is not None else -1) + 1
        last[review_pk] = sort_order
        recommendation = Recommendation(
            review_id=review_pk, text=plan.recommendation_text, sort_order=sort_order
        )
        known.setdefault(review_pk, {})[key] = recommendation
        new.append(recommendation)
    Recommendation.objects.bulk_create(new, batch_size=WRITE_CHUNK)
    return new


def _fields(plan, known: dict) -> dict:
    return {
        "review": plan.review,
        "recommendation": (
            known[plan.review.pk][plan.recommendation_key] if plan.recommendation_key else None
        ),
        "partnership": plan.review.lead_partnership,
        "description": plan.description,
        "owner_agency": plan.agency,
        "lead": plan.lead,
        "due_date": plan.due_date,
        "source": SOURCE_BY_REVIEW_TYPE.get(plan.review.review_type, ActionSource.RECOMMENDATION),
    }


def _set_themes(actions: list[Action], planned, updated_pks: list[int]) -> None:
    """Each action's themes exactly as its row says, through the tag table."""
    have: dict[int, dict[int, int]] = {}
    for chunk in chunks(updated_pks, 500):
        for link_pk, owner, tag in ActionTheme.objects.filter(
            content_object_id__in=chunk
        ).values_list("pk", "content_object_id", "tag_id"):
            have.setdefault(owner, {})[tag] = link_pk
    stale, fresh = [], []
    for action, plan in zip(actions, planned, strict=True):
        current = have.get(action.pk, {})
        wanted = {theme.pk for theme in plan.themes}
        stale.extend(link for tag, link in current.items() if tag not in wanted)
        fresh.extend(
            ActionTheme(content_object_id=action.pk, tag_id=theme.pk)
            for theme in plan.themes
            if theme.pk not in current
        )
    for chunk in chunks(stale, 500):
        ActionTheme.objects.filter(pk__in=chunk).delete()
    ActionTheme.objects.bulk_create(fresh, batch_size=WRITE_CHUNK)


def write_actions(planned, resolver, user, note: str, writing: Writing) -> dict:
    """Write the checked rows; the records written, by model, for the search indexes."""
    known = resolver.recommendations
    added = _add_recommendations(planned, known)
    now = timezone.now()
    existing = {
        a.reference: a for a in Action.objects.filter(reference__in=[p.reference for p in planned])
    }
    actions, new, changed, events = [], [], [], []
    for plan in planned:
        action = existing.get(plan.reference)
        if action is None:
            action = Action(reference=plan.reference, **_fields(plan, known))
            action.state = plan.state or ActionState.OPEN
            action.state_changed_at = now
            new.append(action)
        else:
            for name, value in _fields(plan, known).items():
                setattr(action, name, value)
            action.updated_at = now
            changed.append(action)
        actions.append(action)
    for chunk in chunks(new):
        Action.objects.bulk_create(chunk)
        writing.saved(len(chunk))
    for chunk in chunks(changed, 200):
        Action.objects.bulk_update(chunk, [*FIELDS, "updated_at"])
        writing.saved(len(chunk))
    new_ones = {id(action) for action in new}
    for action in actions:
        created = id(action) in new_ones
        events.append(
            ActionEvent(
                action=action,
                kind=ActionEvent.Kind.CREATED if created else ActionEvent.Kind.EDITED,
                to_state=action.state if created else "",
                user=user,
                note=note,
                at=now,
            )
        )
    ActionEvent.objects.bulk_create(events, batch_size=WRITE_CHUNK)
    _set_themes(actions, planned, [a.pk for a in changed])
    writing.result.created, writing.result.updated = len(new), len(changed)
    writing.result.added["recommendation"] = len(added)
    pending = {Action: {a.pk for a in actions}, Recommendation: {r.pk for r in added}}
    records = [(model, pk) for model, pks in pending.items() for pk in sorted(pks)]
    written_in_bulk.send(sender=Action, records=records)
    return pending
