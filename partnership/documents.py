"""Wagtail's documents in the admin, narrowed by the access policy.

A document is as private as the records that hold it: a review's chronology, an action's
evidence. Wagtail decides who may list, choose, edit or delete a document from collection
permissions alone, so a reviewer of one partnership would see the titles and file names of every
partnership's review documents. This policy keeps Wagtail's collection rules and takes away the
documents that belong to records the person may not see.

The partnership app knows no reviews or actions: the apps that hold documents answer through the
`HIDDEN_DOCUMENTS_HOOK` Wagtail hook, each registering a function `(user) -> queryset of
document primary keys hidden from user`, asked only for people who do not see everything."""

from dataclasses import dataclass

from django.db.models import Q
from wagtail import hooks
from wagtail.documents import get_document_model, get_document_model_string
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permissions import policy_registry

from .access import sees_everything, visible_to

HIDDEN_DOCUMENTS_HOOK = "hub_documents_hidden_from"


@dataclass(frozen=True)
class HeldDocuments:
    """Documents as private as the records that hold them, for an app to answer the hooks with:
    `link` rows tie a document (`document`) to a record (through `record_field`), and the
    app keeps them in `collection`. A document a visible record holds is for the person; one that
    only hidden records hold, or in the collection and held by no record they see, is not."""

    record: type
    link: type
    record_field: str
    collection: str

    def holders(self, document):
        held = self.link._base_manager.filter(document=document).values(self.record_field)
        return self.record._base_manager.filter(pk__in=held)

    def may_download(self, user, document) -> bool | None:
        """None when the document is none of these (another hook decides)."""
        holders = self.holders(document)
        if document.collection.name != self.collection and not holders.exists():
            return None
        return sees_everything(user) or visible_to(user, holders).exists()

    def hidden_from(self, user):
        """Ids of the documents `user` may not see, for the `HIDDEN_DOCUMENTS_HOOK`."""
        links = self.link._base_manager.filter(document__isnull=False)
        visible = visible_to(user, self.record._base_manager.all()).values("pk")
        seen = links.filter(**{f"{self.record_field}__in": visible}).values("document_id")
        return (
            get_document_model()
            ._base_manager.filter(
                Q(pk__in=links.values("document_id")) | Q(collection__name=self.collection)
            )
            .exclude(pk__in=seen)
            .values("pk")
        )


def hidden_documents_q(user) -> Q:
    """The condition a document meets when some app hides it from `user`; empty when none do."""
    q = Q()
    if sees_everything(user):
        return q
    for hidden_from in hooks.get_hooks(HIDDEN_DOCUMENTS_HOOK):
        q |= Q(pk__in=hidden_from(user))
    return q


def without_hidden(user, queryset):
    hidden = hidden_documents_q(user)
    return queryset.exclude(hidden) if hidden else queryset


class DocumentPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Wagtail's document policy (collections and ownership), less the documents of records the
    person may not see. Every document view asks it: listing, chooser and its search, multiple
    upload, edit, delete, usage and bulk actions."""

    def __init__(self):
        super().__init__(
            get_document_model_string(),
            auth_model="wagtaildocs.Document",
            owner_field_name="uploaded_by_user",
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return without_hidden(user, super().instances_user_has_any_permission_for(user, actions))

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        if instance.pk is None:
            return True
        return without_hidden(user, self.model._base_manager.filter(pk=instance.pk)).exists()


class VisibleDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """`/admin/api/main/documents/`: Wagtail's endpoint lists every document outside restricted
    collections, asking no permission policy; this one lists what the person may choose or
    change, as the chooser does."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(self.model)
        allowed = policy.instances_user_has_any_permission_for(
            self.request.user, ["choose", "change"]
        )
        return super().get_queryset().filter(pk__in=allowed.values("pk"))
