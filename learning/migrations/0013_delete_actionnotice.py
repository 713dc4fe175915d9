# The action notices move to the outbox's one ledger (hub.Notice): every notice already sent is
# copied under the key learning/reminders.py builds, so nobody hears it again after the move; a
# claim never marked sent is left behind, so the next run sends it (as the old stale-claim
# takeover would have).

from django.db import migrations


def copy_to_outbox(apps, schema_editor):
    ActionNotice = apps.get_model("learning", "ActionNotice")
    Notice = apps.get_model("hub", "Notice")
    ContentType = apps.get_model("contenttypes", "ContentType")
    sent = ActionNotice.objects.filter(sent_at__isnull=False).order_by("pk")
    if not sent.exists():
        return
    action_type, _ = ContentType.objects.get_or_create(app_label="learning", model="action")
    agency_type, _ = ContentType.objects.get_or_create(app_label="partnership", model="agency")
    rows = []
    for notice in sent.iterator(chunk_size=2000):
        day = notice.period.isoformat()
        if notice.stage == "digest":
            key = f"learning.digest:agency={notice.agency_id}:to={notice.recipient_id}:week={day}"
            content_type, object_id = agency_type, notice.agency_id
        else:
            key = (
                f"learning.{notice.stage}:action={notice.action_id}:to={notice.recipient_id}"
                f":due={day}"
            )
            content_type, object_id = action_type, notice.action_id
        rows.append(
            Notice(
                key=key,
                kind=notice.stage,
                content_type=content_type,
                object_id=object_id,
                recipient_id=notice.recipient_id,
                occasion=day,
                claimed_at=notice.claimed_at,
                sent_at=notice.sent_at,
            )
        )
        if len(rows) == 2000:
            Notice.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Notice.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('learning', '0012_protect_evidence_and_acknowledgements'),
        ('hub', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(copy_to_outbox, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='ActionNotice',
        ),
    ]
