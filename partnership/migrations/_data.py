"""What a fresh Hub's partnership app starts with: the curated theme vocabulary and a group for
every role, with what the partnership app lets each do.

Kept beside the migrations (the loader skips modules named with a leading underscore) so that
`0001_initial` stays what `makemigrations` writes, plus one call to `forwards` at its end."""

import csv
from pathlib import Path

from partnership.roles import ROLE_GROUPS, ensure_permissions, grant

THEMES_CSV = Path(__file__).resolve().parent.parent / "data" / "themes.csv"
ADMIN_ROLES = [
    "partnership_manager",
    "reviewer",
    "quality_assurance",
    "trainer",
    "independent_scrutineer",
    "delegated_safeguarding_partner",
]


def load_themes(apps):
    Theme = apps.get_model("partnership", "Theme")
    with THEMES_CSV.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Theme.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "synonyms": row["synonyms"],
                    "description": row["description"],
                },
            )


def create_groups(apps):
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
    for role in ADMIN_ROLES[1:]:
        grant(apps, role, ["partnership.view_theme", "partnership.view_agency"])


def forwards(apps, schema_editor):
    load_themes(apps)
    create_groups(apps)
