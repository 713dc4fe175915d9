"""The group of the delegated safeguarding partners, who sign off reviews in the admin."""

from django.db import migrations

from partnership.roles import ROLE_GROUPS, grant


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=ROLE_GROUPS["delegated_safeguarding_partner"])
    grant(
        apps,
        "delegated_safeguarding_partner",
        ["wagtailadmin.access_admin", "partnership.view_theme", "partnership.view_agency"],
    )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name=ROLE_GROUPS["delegated_safeguarding_partner"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("partnership", "0003_role_groups")]

    operations = [migrations.RunPython(create_group, remove_group)]
