"""Partnership managers may see and change their partnership's review timescales, and every
existing partnership gets its timescale settings with the defaults."""

from django.db import migrations

from partnership.roles import ensure_permissions, grant, revoke

PERMISSIONS = ["reviews.view_reviewtimescale", "reviews.change_reviewtimescale"]


def forwards(apps, schema_editor):
    from reviews.milestones import settable_specs

    ensure_permissions(apps, "reviews")
    grant(apps, "partnership_manager", PERMISSIONS)
    Partnership = apps.get_model("partnership", "Partnership")
    ReviewTimescale = apps.get_model("reviews", "ReviewTimescale")
    ReviewTimescale.objects.bulk_create(
        [
            ReviewTimescale(
                partnership=partnership, review_type=review_type, kind=spec.kind, amount=spec.amount
            )
            for partnership in Partnership.objects.all()
            for review_type, spec in settable_specs()
        ],
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    revoke(apps, "partnership_manager", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0002_milestones_and_timescales"),
        ("partnership", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
