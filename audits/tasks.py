from datetime import date

from celery import shared_task

from . import reminders


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_return_notices_task(today: str | None = None) -> dict[str, int]:
    """Celery beat's daily job, and the invitation when a cycle opens. Thin: the outbox's keys
    make a retry or a redelivery send only what is still unsent."""
    day = date.fromisoformat(today) if today else None
    return reminders.send_return_notices(day).as_dict()
