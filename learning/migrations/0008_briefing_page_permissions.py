"""Who may write learning briefings: partnership managers, reviewers and quality assurance add,
change and publish pages under the home page (the libraries and their briefings). Wagtail's page
permissions are per subtree, and the libraries are made later (by the demo or by hand), so the
grant sits on the home page; the access policy still decides who reads each briefing."""

from django.db import migrations

ROLES = ["Partnership manager", "Reviewer", "Quality assurance"]
VERBS = ["add", "change", "publish"]


def _home_and_permissions(apps):
    Page = apps.get_model("wagtailcore", "Page")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    home = Page.objects.filter(depth=2, content_type__app_label="learning").first()
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    permissions = []
    for verb in VERBS:
        permission, _ = Permission.objects.get_or_create(
            content_type=page_type,
            codename=f"{verb}_page",
            defaults={"name": f"Can {verb} page"},
        )
        permissions.append(permission)
    return home, permissions


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    home, permissions = _home_and_permissions(apps)
    if home is None:
        return
    for name in ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=home, permission=permission
            )


def backwards(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    home, permissions = _home_and_permissions(apps)
    GroupPagePermission.objects.filter(
        group__name__in=ROLES, page=home, permission__in=permissions
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0007_briefings"),
        ("partnership", "0005_executive_group"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
