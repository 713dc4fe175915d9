"""What a fresh Hub's training app starts with: who may work with training in the admin, and
where courses live.

Trainers and partnership managers add, change and view sessions and view bookings (the admin
narrows both to their own partnership, and a session's delegates to its trainers and managers);
partnership managers change their partnership's training terms. Nobody deletes a session or a
booking: they hold the register and charges.

Courses are pages under the course list page (/courses/), made here under the home page, so that
trainers can be given add, change and publish on that subtree and nothing else of the site.

Kept beside the migrations (the loader skips modules named with a leading underscore) so that
`0001_initial` stays what `makemigrations` writes, plus one call to `forwards` at its end."""

from hub.tree import add_live_child_page
from partnership.roles import ensure_permissions, grant

GRANTS = {
    "trainer": ["add_session", "change_session", "view_session", "view_booking"],
    "partnership_manager": [
        "add_session",
        "change_session",
        "view_session",
        "view_booking",
        "change_trainingterms",
        "view_trainingterms",
    ],
}
PAGE_VERBS = ["add", "change", "publish"]
COURSE_LIST_SLUG = "courses"


def _course_list(apps):
    """The course list page, made under the home page if there is none yet."""
    CourseIndexPage = apps.get_model("training", "CourseIndexPage")
    existing = CourseIndexPage.objects.first()
    if existing is not None:
        return existing
    home = apps.get_model("hub", "HomePage").objects.order_by("path").first()
    if home is None:
        return None
    return add_live_child_page(
        apps,
        home,
        CourseIndexPage,
        slug=COURSE_LIST_SLUG,
        title="Multi-agency training",
        introduction="Multi-agency safeguarding courses run by the region's partnerships: "
        "book a place, join a waiting list, and keep your training in one place.",
    )


def _page_permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    return [
        Permission.objects.get_or_create(
            content_type=page_type, codename=f"{verb}_page", defaults={"name": f"Can {verb} page"}
        )[0]
        for verb in PAGE_VERBS
    ]


def forwards(apps, schema_editor):
    ensure_permissions(apps, "training")
    for role, codenames in GRANTS.items():
        grant(apps, role, [f"training.{c}" for c in codenames])
    course_list = _course_list(apps)
    if course_list is None:
        return
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    trainers, _ = Group.objects.get_or_create(name="Trainer")
    for permission in _page_permissions(apps):
        GroupPagePermission.objects.get_or_create(
            group=trainers, page_id=course_list.pk, permission=permission
        )
