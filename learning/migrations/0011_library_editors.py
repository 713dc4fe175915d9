"""Each partnership's library editors, replacing the grant on the home page that let every
partnership's editors write in every library. The groups and their grants on each library are
made by `learning.library_editors.sync_all` after migrating (post_migrate), from the live models,
and kept in step by signals from then on."""

import django.db.models.deletion
from django.db import migrations, models

ROLES = ["Partnership manager", "Reviewer", "Quality assurance"]


def remove_home_grants(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    home = Page.objects.filter(depth=2, content_type__app_label="learning").first()
    if home is not None:
        GroupPagePermission.objects.filter(group__name__in=ROLES, page=home).delete()


def restore_home_grants(apps, schema_editor):
    from importlib import import_module

    previous = import_module("learning.migrations.0008_briefing_page_permissions")
    previous.forwards(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("learning", "0010_sharing_tokens"),
        ("partnership", "0005_executive_group"),
    ]

    operations = [
        migrations.CreateModel(
            name="LibraryEditors",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "group",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="auth.group",
                    ),
                ),
                (
                    "partnership",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="library_editors",
                        to="partnership.partnership",
                    ),
                ),
            ],
            options={"verbose_name": "library editors group"},
        ),
        migrations.RunPython(remove_home_grants, restore_home_grants),
    ]
