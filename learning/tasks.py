from datetime import date

from celery import shared_task

from . import reminders


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_action_reminders_task(today: str | None = None) -> dict[str, int]:
    """Celery beat's daily job. Thin: the service holds the rules and the once-only guarantee,
    so a retry or a redelivery after a lost worker sends only what is still unsent."""
    day = date.fromisoformat(today) if today else None
    return reminders.send_action_reminders(day).as_dict()
