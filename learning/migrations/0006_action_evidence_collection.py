"""The private collection that keeps the documents agencies upload as evidence for actions.

No group is given any permission on it, so it is hidden from the admin's document library, and
it is restricted to signed-in people, so that even without the Hub's own check
(`learning.qa_hooks`) no anonymous visitor could download from it."""

from django.db import migrations

EVIDENCE_COLLECTION = "Action evidence"
STEPS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _child_collection(apps, name):
    """A child of the root collection, made by hand: treebeard's API is not on migration models."""
    Collection = apps.get_model("wagtailcore", "Collection")
    existing = Collection.objects.filter(depth=2, name=name).first()
    if existing:
        return existing
    root = Collection.objects.get(depth=1)
    last = Collection.objects.filter(depth=2).order_by("-path").values_list("path", flat=True)
    number = int(last[0][-4:], 36) + 1 if last else 0
    step = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        step = STEPS[digit] + step
    collection = Collection.objects.create(name=name, depth=2, path=root.path + step, numchild=0)
    root.numchild += 1
    root.save(update_fields=["numchild"])
    return collection


def create_collection(apps, schema_editor):
    collection = _child_collection(apps, EVIDENCE_COLLECTION)
    Restriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    Restriction.objects.get_or_create(collection=collection, restriction_type="login")


def remove_collection(apps, schema_editor):
    """Leave the collection if documents are still in it: they are someone's evidence."""
    Collection = apps.get_model("wagtailcore", "Collection")
    Document = apps.get_model("wagtaildocs", "Document")
    collection = Collection.objects.filter(depth=2, name=EVIDENCE_COLLECTION).first()
    if collection is None or Document.objects.filter(collection=collection).exists():
        return
    apps.get_model("wagtailcore", "CollectionViewRestriction").objects.filter(
        collection=collection
    ).delete()
    root = Collection.objects.get(depth=1)
    collection.delete()
    root.numchild = max(root.numchild - 1, 0)
    root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0005_action_notices"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_collection, remove_collection)]
