"""Create a group for every role and give it what the partnership app lets it do."""

from django.db import migrations

from partnership.roles import ROLE_GROUPS, ensure_permissions, grant

ADMIN_ROLES = [
    "partnership_manager",
    "reviewer",
    "quality_assurance",
    "trainer",
    "independent_scrutineer",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS.values():
        Group.objects.get_or_create(name=name)
    ensure_permissions(apps, "partnership")
    for role in ADMIN_ROLES:
        grant(apps, role, ["wagtailadmin.access_admin"])
    grant(
        apps,
        "partnership_manager",
        [
            f"partnership.{verb}_{model}"
            for model in ("theme", "agency", "membership", "partnership")
            for verb in ("add", "change", "delete", "view")
        ],
    )
    for role in ("reviewer", "quality_assurance", "trainer", "independent_scrutineer"):
        grant(apps, role, ["partnership.view_theme", "partnership.view_agency"])


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_GROUPS.values()).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0002_themes"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
