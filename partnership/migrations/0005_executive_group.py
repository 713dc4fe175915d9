"""The executive group's role: its members receive escalations of long-overdue actions."""

from django.db import migrations

GROUP_NAME = "Executive group member"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP_NAME)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partnership", "0004_delegated_safeguarding_partner"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
