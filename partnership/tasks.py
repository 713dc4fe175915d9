from celery import shared_task

from . import notifications


@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification(self, user_id: int, subject: str, body: str) -> bool:
    """Email one person. Thin: loads by key and calls the service, so it can run anywhere."""
    return notifications.send_to_user(user_id, subject, body)
