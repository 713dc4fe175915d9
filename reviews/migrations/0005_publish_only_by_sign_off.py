"""Sign-off is the only way to publish a review: no role holds the permission to publish one
by hand. The last statutory partner's approval publishes it (reviews.signoff.mark_signed_off),
and system administrators keep every permission."""

from django.db import migrations

from partnership.roles import grant, revoke

EDITING_ROLES = ["reviewer", "quality_assurance", "partnership_manager"]


def revoke_publish(apps, schema_editor):
    for role in EDITING_ROLES:
        revoke(apps, role, ["reviews.publish_review"])


def grant_publish(apps, schema_editor):
    for role in EDITING_ROLES:
        grant(apps, role, ["reviews.publish_review"])


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_review_admin")]

    operations = [migrations.RunPython(revoke_publish, grant_publish)]
