# The booking notices move to the outbox's one ledger (hub.Notice): every notice sent is copied
# under the key training/models/notice.py builds, so nobody hears it again after the move.

from django.db import migrations


def copy_to_outbox(apps, schema_editor):
    TrainingNotice = apps.get_model("training", "TrainingNotice")
    Notice = apps.get_model("hub", "Notice")
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = TrainingNotice.objects.select_related("booking").order_by("pk")
    if not old.exists():
        return
    booking_type, _ = ContentType.objects.get_or_create(app_label="training", model="booking")
    rows = []
    for notice in old.iterator(chunk_size=2000):
        key = f"training.{notice.kind}:booking={notice.booking_id}"
        rows.append(
            Notice(
                key=f"{key}:{notice.key}" if notice.key else key,
                kind=notice.kind,
                content_type=booking_type,
                object_id=notice.booking_id,
                # The line manager asked to approve is an address, not an account.
                recipient_id=None if notice.kind == "approval" else notice.booking.user_id,
                occasion=notice.key,
                claimed_at=notice.sent_at,
                sent_at=notice.sent_at,
            )
        )
        if len(rows) == 2000:
            Notice.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Notice.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0004_protect_booking_marked_by'),
        ('hub', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(copy_to_outbox, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='TrainingNotice',
        ),
    ]
