"""The outbox's ledger: one row for every email the Hub has sent that must go only once.

Every domain writes here through `hub.outbox` and reads here to skip what is done; the core
knows no domain's words, so what a notice is about is a content type and an object id, what kind
it is is the domain's own word, and the unique `key` the domain builds is the whole guard."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class NoticeQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True)

    def about(self, record):
        """Notices about one record, or (given a model class) about any record of that model."""
        content_type = ContentType.objects.get_for_model(record)
        notices = self.filter(content_type=content_type)
        if isinstance(record, models.Model):
            notices = notices.filter(object_id=record.pk)
        return notices


class Notice(models.Model):
    """One email about one record to one person, claimed and sent in one transaction.

    A committed row means its email went: the claim (the insert) and the send commit together or
    not at all (see `hub.outbox`). A record's model gives it a `GenericRelation("hub.Notice")` so
    that deleting the record deletes its notices. `occasion` says which time of a recurring kind
    this was (a due date, a week, a session day) so a domain can ask "told for this one yet?" in
    one indexed query; `key` holds everything that makes the notice one of its kind."""

    kind = models.CharField(max_length=40, help_text="The domain's word for what the email says.")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notices",
        help_text="Empty when the address is not a Hub account's (a line manager asked to "
        "approve a booking).",
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    about = GenericForeignKey("content_type", "object_id")
    occasion = models.CharField(max_length=40, blank=True, default="")
    key = models.CharField(max_length=200, unique=True)
    claim = models.UUIDField(
        null=True, blank=True, help_text="The batch that claimed it, so it can find its own rows."
    )
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-claimed_at", "pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "kind", "occasion"], name="notice_about"
            ),
            models.Index(fields=["claim"], name="notice_claim"),
        ]

    def __str__(self):
        return f"{self.kind} about {self.content_type_id}/{self.object_id} ({self.key})"
