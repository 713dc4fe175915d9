"""Celery tasks for training: thin, taking primary keys; the services hold the rules and the
once-only guarantee (training.notices), so a retry or a redelivery sends nothing twice."""

from datetime import date

from celery import shared_task

from . import booking, notices


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_booking_notice_task(booking_pk: int, kind: str, key: str = "") -> bool:
    return notices.send_notice(booking_pk, kind, key)


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_session_reminders_task(today: str | None = None) -> int:
    """Celery beat's daily job: the reminder N working days before each session."""
    return notices.send_session_reminders(date.fromisoformat(today) if today else None)


@shared_task
def expire_offers_task() -> int:
    """Celery beat's frequent job: offers not taken in time go to the next person waiting."""
    return booking.expire_offers()


@shared_task(autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def send_session_message_task(message_pk: int) -> int:
    """A trainer's message to a session's delegates: once to each (training.session_messages)."""
    from . import session_messages

    return session_messages.send(message_pk)
