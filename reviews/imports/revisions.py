"""A new published revision of each review a findings import changed, written in bulk.

The review itself is unchanged but for its revision pointers, so the revisions are built from
the saved review (modelcluster's serialisation, with the findings and recommendations read by
plain queries) and written in bulk, with Wagtail's `wagtail.edit` and `wagtail.publish` log
entries, as the admin's edit action would write them."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.importing import WRITE_CHUNK, RowProblems, chunks, errors_from_validation

from ..models import Review, ReviewLogEntry
from .reviews import run_action

# The children a findings import writes: serialised for the revisions from plain queries, since
# loading them through prefetched cluster managers costs a manager per finding and field.
BULK_CHILDREN = ("findings", "recommendations")
# Columns whose database value is the value modelcluster writes into a revision.
PLAIN_FIELDS = {
    "AutoField",
    "BigAutoField",
    "BooleanField",
    "CharField",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}
PUBLISHED_FIELDS = [
    "latest_revision",
    "live_revision",
    "live",
    "expired",
    "has_unpublished_changes",
    "last_published_at",
    "first_published_at",
    "updated_at",
]


def _m2m_pairs(model, parent: str, review_pks) -> dict[str, dict[int, list[int]]]:
    from modelcluster.models import get_all_child_m2m_relations

    m2m: dict[str, dict[int, list[int]]] = {}
    for many in get_all_child_m2m_relations(model):
        if not many.serialize:
            continue
        through = many.remote_field.through
        source, target = f"{many.m2m_field_name()}_id", f"{many.m2m_reverse_field_name()}_id"
        pairs = m2m[many.name] = {}
        for owner, item in (
            through.objects.filter(**{f"{many.m2m_field_name()}__{parent}__in": review_pks})
            .order_by("pk")
            .values_list(source, target)
        ):
            pairs.setdefault(owner, []).append(item)
    return m2m


def _children_data(relation, review_pks) -> dict[int, list[dict]]:
    """A child relation's records as modelcluster serialises them in a revision, by review."""
    from modelcluster.models import get_all_child_relations

    model = relation.related_model
    parent = relation.field.attname
    m2m = _m2m_pairs(model, parent, review_pks)
    by_review: dict[int, list[dict]] = {pk: [] for pk in review_pks}
    children = model._default_manager.filter(**{f"{parent}__in": review_pks})
    fields = [f for f in model._meta.fields if f.serialize]
    if get_all_child_relations(model) or any(
        f.remote_field is None and f.get_internal_type() not in PLAIN_FIELDS for f in fields
    ):
        # Anything but plain columns: as modelcluster itself serialises it.
        for child in children:
            by_review[getattr(child, parent)].append(child.serializable_data())
        return by_review
    pk_name = model._meta.pk.attname
    for row in children.values(pk_name, *(f.attname for f in fields)):
        data = {"pk": row[pk_name]}
        data.update((f.name, row[f.attname]) for f in fields)
        for name, pairs in m2m.items():
            data[name] = pairs.get(row[pk_name], [])
        by_review[row[parent]].append(data)
    return by_review


def _revision_content(review, children: dict[str, dict[int, list[dict]]]) -> dict:
    """`review.serializable_data()`, with the bulk children taken from `children`."""
    from modelcluster.models import (
        get_all_child_m2m_relations,
        get_all_child_relations,
        get_serializable_data_for_fields,
    )

    content = get_serializable_data_for_fields(review)
    for relation in get_all_child_relations(review):
        name = relation.get_accessor_name()
        if name in children:
            content[name] = children[name][review.pk]
            continue
        items = getattr(review, name).all()
        if hasattr(relation.related_model, "serializable_data"):
            content[name] = [item.serializable_data() for item in items]
        else:
            content[name] = [get_serializable_data_for_fields(item) for item in items]
    for many in get_all_child_m2m_relations(review):
        if many.serialize:
            content[many.name] = [item.pk for item in getattr(review, many.name).all()]
    return content


def _revision_prefetches(model) -> list[str]:
    """What a revision of a review reads besides the bulk children: its other child relations
    and its many-to-many fields."""
    from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations

    names = [
        relation.get_accessor_name()
        for relation in get_all_child_relations(model)
        if relation.get_accessor_name() not in BULK_CHILDREN
    ]
    return names + [many.name for many in get_all_child_m2m_relations(model)]


def _in_workflow(pks) -> set[str]:
    from wagtail.models import WorkflowState

    return set(
        WorkflowState.objects.filter(
            base_content_type=Review.get_base_content_type(),
            object_id__in=[str(pk) for pk in pks],
            status__in=(WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES),
        ).values_list("object_id", flat=True)
    )


def _build_revisions(first_row: dict[int, int], user, now):
    """(reviews to publish in bulk, their unsaved revisions, reviews for Wagtail's own edit
    action): a review scheduled to go live later, or in a sign-off workflow that publishing
    cancels, is one Wagtail's publish treats specially."""
    from modelcluster.models import get_all_child_relations
    from wagtail.models import Revision

    in_workflow = _in_workflow(first_row)
    relations = {
        relation.get_accessor_name(): relation
        for relation in get_all_child_relations(Review)
        if relation.get_accessor_name() in BULK_CHILDREN
    }
    published, revisions, by_hand = [], [], []
    for chunk in chunks(list(first_row), 200):
        children = {name: _children_data(relation, chunk) for name, relation in relations.items()}
        for review in Review.objects.filter(pk__in=chunk).prefetch_related(
            *_revision_prefetches(Review)
        ):
            try:
                review.full_clean()
            except ValidationError as exc:
                raise RowProblems(errors_from_validation(exc, first_row[review.pk])) from exc
            if str(review.pk) in in_workflow or (review.go_live_at and review.go_live_at > now):
                by_hand.append(review)
                continue
            revisions.append(
                Revision(
                    content_type=Review.get_content_type(),
                    base_content_type=Review.get_base_content_type(),
                    object_id=str(review.pk),
                    content=_revision_content(review, children),
                    object_str=str(review),
                    user=user,
                    created_at=now,
                )
            )
            published.append(review)
    return published, revisions, by_hand


def _mark_published(published, revisions, now) -> None:
    from wagtail.models import Revision

    for review, revision in zip(published, revisions, strict=True):
        review.latest_revision = review.live_revision = revision
        review.live = True
        review.expired = False
        review.has_unpublished_changes = False
        review.last_published_at = review.updated_at = now
        review.first_published_at = review.first_published_at or now
    Review.objects.bulk_update(published, PUBLISHED_FIELDS, batch_size=WRITE_CHUNK)
    Revision.objects.filter(
        base_content_type=Review.get_base_content_type(),
        object_id__in=[str(review.pk) for review in published],
        approved_go_live_at__isnull=False,
    ).update(approved_go_live_at=None)


def _log_published(published, revisions, user, now) -> None:
    content_type = Review.get_content_type()
    shared = uuid.uuid4()
    entries = [
        ReviewLogEntry(
            content_type=content_type,
            label=ReviewLogEntry.objects.get_instance_title(review),
            action=action,
            timestamp=now,
            data={},
            uuid=shared,
            user=user,
            revision=revision,
            content_changed=True,
            review_id=review.pk,
        )
        for review, revision in zip(published, revisions, strict=True)
        for action in ("wagtail.edit", "wagtail.publish")
    ]
    ReviewLogEntry.objects.bulk_create(entries, batch_size=WRITE_CHUNK)


def publish_reviews(first_row: dict[int, int], user) -> None:
    """Publish a new revision of each review in `first_row` (review pk: the first row that
    named it, where a problem with the review is reported)."""
    from wagtail.models import Revision

    now = timezone.now()
    published, revisions, by_hand = _build_revisions(first_row, user, now)
    for chunk in chunks(revisions):
        Revision.objects.bulk_create(chunk)
    _mark_published(published, revisions, now)
    _log_published(published, revisions, user, now)
    for review in by_hand:
        run_action(review, "edit", user, first_row[review.pk])
