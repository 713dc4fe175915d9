"""Celery tasks for the evaluation emails. Thin: `training.follow_ups` holds the rules and the
once-only guarantee, so a retry or a redelivery sends only what is still owed."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from . import follow_ups
from .models import TrainingNoticeKind


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_training_follow_ups_task(self, today: str | None = None) -> dict[str, int]:
    """Celery beat's daily job: enqueue one send per booking owed an email, after commit.

    The sends go to the queue this job came on, so a worker that serves one queue (a test's,
    or a deployment's dedicated one) runs both."""
    day = date.fromisoformat(today) if today else None
    queue = (self.request.delivery_info or {}).get("routing_key") or None
    owed = follow_ups.due(day or timezone.localdate())
    for kind, booking_ids in owed.items():
        for booking_id in booking_ids:
            send_training_notice_task.apply_async_on_commit(
                args=[booking_id, str(kind)], queue=queue
            )
    return {
        "evaluations": len(owed[TrainingNoticeKind.EVALUATION]),
        "follow_ups": len(owed[TrainingNoticeKind.FOLLOW_UP]),
    }


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_training_notice_task(booking_id: int, kind: str) -> bool:
    return follow_ups.send_notice(booking_id, kind)
