import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

# Frozen here, as migrations must be: `MilestoneSpec.signed_off` in reviews/milestones.py when
# this migration was written.
SIGNED_OFF_KINDS = {
    "rapid_review": [
        "tell_partners",
        "agency_letters",
        "agency_summaries",
        "panel_meeting",
        "partner_sign_off",
        "rapid_review",
    ],
    "lcspr": ["final_report"],
    "sar": ["final_report"],
    "dardr": ["final_report"],
    "child_death_review": ["review_meeting", "cdop_review"],
    "multi_agency_audit": ["audit_report"],
    "section_11_audit": ["self_assessment"],
    "section_175_audit": ["self_assessment"],
    "peer_review": ["report"],
    "learning_review": ["final_report"],
}
# Signed off, published, not published, or embargoed after sign-off.
AFTER_SIGN_OFF = [
    "signed_off",
    "published",
    "published_improvements_only",
    "not_published",
    "embargoed",
]


def close_signed_off_milestones(apps, schema_editor):
    """Reviews signed off before the Hub closed milestones at sign-off: close the milestones
    their sign-off completed, dated by the sign-off's audit entry or, lacking one, the day the
    review was last changed. Later milestones move at the review's next save."""
    Milestone = apps.get_model("reviews", "Milestone")
    Review = apps.get_model("reviews", "Review")
    ReviewLogEntry = apps.get_model("reviews", "ReviewLogEntry")
    for review in Review.objects.filter(status__in=AFTER_SIGN_OFF).iterator():
        kinds = SIGNED_OFF_KINDS.get(review.review_type, [])
        open_ones = Milestone.objects.filter(review=review, kind__in=kinds, done_date=None)
        if not open_ones.exists():
            continue
        entry = (
            ReviewLogEntry.objects.filter(review_id=review.pk, action="hub.review.signed_off")
            .order_by("-timestamp")
            .first()
        )
        when = entry.timestamp if entry else review.updated_at
        open_ones.update(
            done_date=timezone.localtime(when).date(),
            completed_at=when,
            completed_by_id=entry.user_id if entry else None,
            done_source="sign_off",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0005_publish_only_by_sign_off"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="milestone",
            name="completed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When it was marked done, which may be after the day.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="milestone",
            name="done_source",
            field=models.CharField(
                blank=True,
                choices=[
                    ("marked", "Marked done"),
                    ("recorded", "Recorded by the date on the review"),
                    ("sign_off", "Closed when the review was signed off"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="milestone",
            name="completed_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Who marked it done, or whose sign-off closed it.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(close_signed_off_milestones, migrations.RunPython.noop),
    ]
