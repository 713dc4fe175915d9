"""Load the curated theme vocabulary from the project's own copy of the taxonomy."""

import csv
from pathlib import Path

from django.db import migrations

THEMES_CSV = Path(__file__).resolve().parent.parent / "data" / "themes.csv"


def load_themes(apps, schema_editor):
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


class Migration(migrations.Migration):
    dependencies = [("partnership", "0001_initial")]

    operations = [migrations.RunPython(load_themes, migrations.RunPython.noop)]
