"""Documents, the audit trail and the sign-off workflow of reviews, and what each role may do
with reviews in the admin."""

import django.core.serializers.json
import django.db.models.deletion
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models

from partnership.roles import ensure_permissions, grant

EDITING_ROLES = ["reviewer", "quality_assurance", "partnership_manager"]
REVIEW_DOCUMENTS_COLLECTION = "Review documents"
SIGN_OFF_WORKFLOW = "Review sign-off"
PARTNER_TASKS = [
    ("Sign-off: local authority", "childrens_social_care"),
    ("Sign-off: police", "police"),
    ("Sign-off: health", "health"),
]
STEPS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


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


def _child_collection(apps, name):
    """A child of the root collection, made by hand: treebeard's API is not on migration models."""
    Collection = apps.get_model("wagtailcore", "Collection")
    existing = Collection.objects.filter(depth=2, name=name).first()
    if existing:
        return existing
    root = Collection.objects.get(depth=1)
    last = Collection.objects.filter(depth=2).order_by("-path").values_list("path", flat=True)
    number = 0
    if last:
        number = int(last[0][-4:], 36) + 1
    step = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        step = STEPS[digit] + step
    collection = Collection.objects.create(name=name, depth=2, path=root.path + step, numchild=0)
    root.numchild += 1
    root.save(update_fields=["numchild"])
    return collection


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
    review_perms = [f"reviews.{verb}_review" for verb in ("add", "change", "view", "publish")]
    for role in EDITING_ROLES:
        grant(apps, role, review_perms + ["reviews.lock_review"])
    grant(apps, "partnership_manager", ["reviews.unlock_review"])
    grant(apps, "independent_scrutineer", ["reviews.view_review"])
    grant(apps, "delegated_safeguarding_partner", ["reviews.view_review"])

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    collection = _child_collection(apps, REVIEW_DOCUMENTS_COLLECTION)
    from partnership.roles import ROLE_GROUPS

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


def tear_down_admin(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=SIGN_OFF_WORKFLOW).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reviews', '0003_timescale_settings'),
        ('partnership', '0004_delegated_safeguarding_partner'),
        ('wagtailadmin', '0001_create_admin_access_permissions'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtaildocs', '0014_alter_document_file_size'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PanelApprovalTask',
            fields=[
                ('task_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.task')),
            ],
            options={
                'verbose_name': 'panel approval task',
            },
            bases=('wagtailcore.task',),
        ),
        migrations.CreateModel(
            name='StatutoryPartnerSignOffTask',
            fields=[
                ('task_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.task')),
                ('sector', models.CharField(choices=[('childrens_social_care', 'Local authority'), ('police', 'Police'), ('health', 'Health')], help_text='The partner that signs: its delegates are people of the lead partnership in an agency of this sector who hold the delegated safeguarding partner role.', max_length=30)),
            ],
            options={
                'verbose_name': 'statutory partner sign-off task',
            },
            bases=('wagtailcore.task',),
        ),
        migrations.CreateModel(
            name='ReviewDocument',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sort_order', models.IntegerField(blank=True, editable=False, null=True)),
                ('kind', models.CharField(choices=[('chronology', 'Agency chronology'), ('report', 'Report'), ('minutes', 'Minutes'), ('terms_of_reference', 'Terms of reference'), ('other', 'Other')], max_length=30)),
                ('title', models.CharField(help_text='e.g. Police chronology. No names of children or families.', max_length=255)),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='review_links', to='wagtaildocs.document')),
                ('review', modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='reviews.review')),
            ],
            options={
                'verbose_name': 'review document',
                'ordering': ['sort_order'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='ReviewLogEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.TextField()),
                ('action', models.CharField(blank=True, db_index=True, max_length=255)),
                ('data', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('timestamp', models.DateTimeField(db_index=True, verbose_name='timestamp (UTC)')),
                ('uuid', models.UUIDField(blank=True, editable=False, help_text='Log entries that happened as part of the same user action are assigned the same UUID', null=True)),
                ('content_changed', models.BooleanField(db_index=True, default=False)),
                ('deleted', models.BooleanField(default=False)),
                ('content_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype', verbose_name='content type')),
                ('review', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.review')),
                ('revision', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='wagtailcore.revision')),
                ('user', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'review log entry',
                'verbose_name_plural': 'review log entries',
                'ordering': ['-timestamp', '-id'],
                'abstract': False,
                'indexes': [models.Index(fields=['uuid', 'action', '-timestamp'], name='reviews_rev_uuid_d7e14a_idx')],
            },
        ),
        migrations.RunPython(set_up_admin, tear_down_admin),
    ]
