"""Pages and collections made by a migration's data step, where treebeard's API (`add_child`)
is not on the historical models: the node is written by hand with the materialised path
treebeard would give it (four base-36 digits a level, the next after the last child)."""

from django.utils import timezone

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP_LENGTH = 4


def step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = DIGITS[rest] + digits
    return digits.rjust(STEP_LENGTH, "0")


def next_child_path(model, parent) -> str:
    """The path of a new last child of `parent` (a page or collection of `model`)."""
    last = (
        model.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    return parent.path + step(int(last[-STEP_LENGTH:], 36) + 1 if last else 1)


def child_collection(apps, name: str):
    """The child of the root collection called `name`, made if there is none."""
    Collection = apps.get_model("wagtailcore", "Collection")
    existing = Collection.objects.filter(depth=2, name=name).first()
    if existing:
        return existing
    root = Collection.objects.get(depth=1)
    collection = Collection.objects.create(
        name=name, depth=2, path=next_child_path(Collection, root), numchild=0
    )
    Collection.objects.filter(pk=root.pk).update(numchild=root.numchild + 1)
    return collection


def add_live_child_page(apps, parent, model, *, slug: str, title: str, **fields):
    """A live page of historical `model` under `parent`, published now."""
    Page = apps.get_model("wagtailcore", "Page")
    ContentType = apps.get_model("contenttypes", "ContentType")
    opts = model._meta
    content_type, _ = ContentType.objects.get_or_create(
        app_label=opts.app_label, model=opts.model_name
    )
    now = timezone.now()
    page = model.objects.create(
        title=title,
        draft_title=title,
        slug=slug,
        content_type=content_type,
        path=next_child_path(Page, parent),
        depth=parent.depth + 1,
        numchild=0,
        url_path=f"{parent.url_path}{slug}/",
        locale_id=parent.locale_id,
        live=True,
        first_published_at=now,
        last_published_at=now,
        **fields,
    )
    children = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    Page.objects.filter(pk=parent.pk).update(numchild=children.count())
    return page
