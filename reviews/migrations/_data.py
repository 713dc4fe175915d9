"""What a fresh Hub's reviews app starts with: who may do what with reviews and their
timescales in the admin, the collection that keeps review documents, and the sign-off workflow
(panel approval, then each statutory partner).

Kept beside the migrations (the loader skips modules named with a leading underscore) so that
`0001_initial` stays what `makemigrations` writes, plus one call to `forwards` at its end."""

from hub.tree import child_collection
from partnership.roles import ROLE_GROUPS, ensure_permissions, grant

TIMESCALE_PERMISSIONS = ["reviews.view_reviewtimescale", "reviews.change_reviewtimescale"]
EDITING_ROLES = ["reviewer", "quality_assurance", "partnership_manager"]
REVIEW_DOCUMENTS_COLLECTION = "Review documents"
SIGN_OFF_WORKFLOW = "Review sign-off"
PARTNER_TASKS = [
    ("Sign-off: local authority", "childrens_social_care"),
    ("Sign-off: police", "police"),
    ("Sign-off: health", "health"),
]


def _ensure_extra_permissions(apps):
    """Wagtail adds publish, lock and unlock for draftable, lockable snippets after migrating
    (wagtail.snippets.models.create_extra_permissions); a grant needs them now. Same codenames
    and names as Wagtail's, so its later pass finds them present."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    ct, _ = ContentType.objects.get_or_create(app_label="reviews", model="review")
    for name in ("publish", "lock", "unlock"):
        Permission.objects.get_or_create(
            content_type=ct, codename=f"{name}_review", defaults={"name": f"Can {name} review"}
        )


def _task(apps, model_name, name, **fields):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Model = apps.get_model("reviews", model_name)
    ct, _ = ContentType.objects.get_or_create(app_label="reviews", model=model_name.lower())
    task, _ = Model.objects.get_or_create(
        name=name, defaults={"content_type": ct, "active": True, **fields}
    )
    return task


def set_up_admin(apps, schema_editor):
    ensure_permissions(apps, "reviews", "wagtaildocs")
    _ensure_extra_permissions(apps)
    # No role publishes a review by hand: the last statutory partner's approval publishes it
    # (reviews.signoff.mark_signed_off), and system administrators keep every permission.
    review_perms = [f"reviews.{verb}_review" for verb in ("add", "change", "view")]
    for role in EDITING_ROLES:
        grant(apps, role, review_perms + ["reviews.lock_review"])
    grant(apps, "partnership_manager", ["reviews.unlock_review"])
    grant(apps, "independent_scrutineer", ["reviews.view_review"])
    grant(apps, "delegated_safeguarding_partner", ["reviews.view_review"])

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    collection = child_collection(apps, REVIEW_DOCUMENTS_COLLECTION)
    for role in EDITING_ROLES:
        group = Group.objects.get(name=ROLE_GROUPS[role])
        for codename in ("add_document", "change_document", "choose_document"):
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label="wagtaildocs", codename=codename
                ),
            )

    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    ContentType = apps.get_model("contenttypes", "ContentType")
    workflow, _ = Workflow.objects.get_or_create(name=SIGN_OFF_WORKFLOW, defaults={"active": True})
    tasks = [_task(apps, "PanelApprovalTask", "Panel approval")]
    tasks += [
        _task(apps, "StatutoryPartnerSignOffTask", name, sector=sector)
        for name, sector in PARTNER_TASKS
    ]
    for order, task in enumerate(tasks):
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task_id=task.pk, defaults={"sort_order": order}
        )
    review_ct, _ = ContentType.objects.get_or_create(app_label="reviews", model="review")
    WorkflowContentType.objects.update_or_create(
        content_type=review_ct, defaults={"workflow": workflow}
    )



def forwards(apps, schema_editor):
    set_up_admin(apps, schema_editor)
    # Partnership managers see and change their partnership's timescales; a partnership made
    # later gets its timescale settings from reviews' own post_save.
    grant(apps, "partnership_manager", TIMESCALE_PERMISSIONS)
