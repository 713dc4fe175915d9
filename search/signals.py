"""Keeping the index current as records change: every save, delete, relation change and page
publication of a searchable record (or of a record its document reads, such as a finding's review)
enqueues `search.tasks.index_records` for the affected keys once the transaction commits.

The task reads the record as it is then, so it does not matter which signal fired or how often:
a record that is no longer searchable (deleted, unpublished, its review back in draft) is
removed. Enqueueing is `robust`: if the broker is down, the editor's save still succeeds and the
failure is logged (`search_index --rebuild` puts the index right).
"""

from __future__ import annotations

import logging
from functools import partial

from django.apps import apps
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import sources

logger = logging.getLogger(__name__)

# Tag rows (taggit through models) name the tagged record in `content_object_id`.
TAG_MODELS = {
    "reviews.ReviewTheme": "reviews.Review",
    "learning.BriefingTheme": "learning.LearningBriefing",
    "learning.ActionTheme": "learning.Action",
    "training.CourseTheme": "training.Course",
}
# Models a document reads that are not sources themselves: model -> the many-to-many fields
# (and their owners) whose changes matter.
M2M_FIELDS = {
    "reviews.Finding": ("themes", "agencies"),
    "reviews.Recommendation": ("findings",),
    "reviews.Review": ("panel", "participating_partnerships", "agencies"),
    "learning.LearningBriefing": ("audiences", "source_reviews"),
}


def enqueue(keys) -> None:
    keys = sorted({key for key in keys if key})
    if not keys:
        return
    from .tasks import index_records

    # `delay_on_commit`, made robust: a failure to enqueue is logged, never raised into the save.
    transaction.on_commit(partial(index_records.delay, keys), robust=True)


def _record_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return  # loading fixtures: the rebuild indexes them
    enqueue([sources.key_for(instance)])


def _tag_changed(owner_label, sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    owner = apps.get_model(owner_label)
    enqueue([sources.key_for(owner(pk=instance.content_object_id))])


def _m2m_changed(owner_label, sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        enqueue([sources.key_for(instance)])
        return
    owner = apps.get_model(owner_label)
    enqueue([sources.key_for(owner(pk=pk)) for pk in pk_set or ()])


def _page_published(sender, instance, **kwargs):
    enqueue([sources.key_for(instance)])


def _theme_changed(sender, instance, **kwargs):
    from .service import forget_labels
    from .synonyms import forget_synonyms
    from .tasks import synonyms_changed, theme_changed

    forget_labels()
    forget_synonyms()
    if kwargs.get("raw"):
        return
    if kwargs.get("signal") is post_delete:
        transaction.on_commit(synonyms_changed.delay, robust=True)
        return
    transaction.on_commit(partial(theme_changed.delay, instance.pk), robust=True)


def _partnership_changed(sender, instance, **kwargs):
    from .service import forget_labels

    forget_labels()


def _model(label):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _written_in_bulk(sender, records, **kwargs):
    """An import wrote these (model, pk) in bulk: index them once it commits, in batches."""
    keys = [sources.key_for(model(pk=pk)) for model, pk in records]
    for start in range(0, len(keys), 500):
        enqueue(keys[start : start + 500])


def connect() -> None:
    from wagtail.signals import page_published, page_unpublished

    from hub.signals import written_in_bulk

    written_in_bulk.connect(_written_in_bulk, dispatch_uid="search:written-in-bulk")

    models = {source.model_label for source in sources.registry().values()}
    for label in models:
        model = _model(label)
        uid = f"search:{label}"
        post_save.connect(_record_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_record_changed, sender=model, dispatch_uid=uid)
        if model is not None and hasattr(model, "get_url_parts"):
            page_published.connect(_page_published, sender=model, dispatch_uid=uid)
            page_unpublished.connect(_page_published, sender=model, dispatch_uid=uid)
    for tag_label, owner_label in TAG_MODELS.items():
        tag_model = _model(tag_label)
        if tag_model is None or owner_label not in models:
            continue
        handler = partial(_tag_changed, owner_label)
        uid = f"search:{tag_label}"
        post_save.connect(handler, sender=tag_model, dispatch_uid=uid, weak=False)
        post_delete.connect(handler, sender=tag_model, dispatch_uid=uid, weak=False)
    for owner_label, fields in M2M_FIELDS.items():
        owner = _model(owner_label)
        if owner is None:
            continue
        for name in fields:
            through = owner._meta.get_field(name).remote_field.through
            m2m_changed.connect(
                partial(_m2m_changed, owner_label),
                sender=through,
                dispatch_uid=f"search:{owner_label}.{name}",
                weak=False,
            )
    theme = apps.get_model("partnership", "Theme")
    post_save.connect(_theme_changed, sender=theme, dispatch_uid="search:theme")
    post_delete.connect(_theme_changed, sender=theme, dispatch_uid="search:theme-deleted")
    partnership = apps.get_model("partnership", "Partnership")
    post_save.connect(_partnership_changed, sender=partnership, dispatch_uid="search:partnership")
