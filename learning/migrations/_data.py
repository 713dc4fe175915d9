"""What a fresh Hub's learning app starts with: who may work with actions in the admin
(quality assurance and partnership managers add, change and view; reviewers and the independent
scrutineer view; no role deletes, as an action's history is evidence), and the private
collection of the documents agencies upload as evidence. No group holds any permission on that
collection, so it is hidden from the admin's document library, and it is restricted to signed-in
people, so that even without the Hub's own check (`learning.qa_hooks`) no anonymous visitor
could download from it. Each partnership's library editors are made after migrating, by
`learning.library_editors.sync_all`.

Kept beside the migrations (the loader skips modules named with a leading underscore) so that
`0001_initial` stays what `makemigrations` writes, plus one call to `forwards` at its end."""

from hub.tree import child_collection
from partnership.roles import ensure_permissions, grant

GRANTS = {
    "quality_assurance": ["add", "change", "view"],
    "partnership_manager": ["add", "change", "view"],
    "reviewer": ["view"],
    "independent_scrutineer": ["view"],
}


EVIDENCE_COLLECTION = "Action evidence"


def create_collection(apps, schema_editor):
    collection = child_collection(apps, EVIDENCE_COLLECTION)
    Restriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    Restriction.objects.get_or_create(collection=collection, restriction_type="login")


def forwards(apps, schema_editor):
    ensure_permissions(apps, "learning")
    for role, verbs in GRANTS.items():
        grant(apps, role, [f"learning.{verb}_action" for verb in verbs])
    create_collection(apps, schema_editor)
