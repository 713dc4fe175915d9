"""What a fresh Hub's audits app starts with: who may work with standards sets in the admin
(partnership managers and quality assurance add, change and view; the independent scrutineer
views; no role deletes: answers were given against them; cycles and returns are worked on the
site's self-assessment pages, whose rules are roles and the access policy, not admin grants), and
the private collection of the documents agencies upload as evidence for their returns, which no
group holds a permission on and only signed-in people could ever be served from.

Kept beside the migrations (the loader skips modules named with a leading underscore) so that
`0001_initial` stays what `makemigrations` writes, plus one call to `forwards` at its end."""

from hub.tree import child_collection
from partnership.roles import ensure_permissions, grant

GRANTS = {
    "partnership_manager": ["add", "change", "view"],
    "quality_assurance": ["add", "change", "view"],
    "independent_scrutineer": ["view"],
}
MODELS = ["standardset"]
EVIDENCE_COLLECTION = "Self-assessment evidence"


def forwards(apps, schema_editor):
    ensure_permissions(apps, "audits")
    for role, verbs in GRANTS.items():
        grant(apps, role, [f"audits.{verb}_{model}" for verb in verbs for model in MODELS])
    collection = child_collection(apps, EVIDENCE_COLLECTION)
    Restriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    Restriction.objects.get_or_create(collection=collection, restriction_type="login")
