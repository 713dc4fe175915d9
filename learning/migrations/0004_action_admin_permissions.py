"""Who may work with actions in the admin: quality assurance and partnership managers add, change
and view; reviewers and the independent scrutineer view. The access policy still narrows what
each sees; no role deletes (an action's history is evidence)."""

from django.db import migrations

from partnership.roles import ensure_permissions, grant, revoke

GRANTS = {
    "quality_assurance": ["add", "change", "view"],
    "partnership_manager": ["add", "change", "view"],
    "reviewer": ["view"],
    "independent_scrutineer": ["view"],
}


def _permissions(verbs):
    return [f"learning.{verb}_action" for verb in verbs]


def forwards(apps, schema_editor):
    ensure_permissions(apps, "learning")
    for role, verbs in GRANTS.items():
        grant(apps, role, _permissions(verbs))


def backwards(apps, schema_editor):
    for role, verbs in GRANTS.items():
        revoke(apps, role, _permissions(verbs))


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0003_actions"),
        ("partnership", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
