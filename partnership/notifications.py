"""Email to people in the Hub.

Messages say what happened and link to the Hub; they never carry confidential review detail, so
callers pass text built from shareable fields only."""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail

logger = logging.getLogger(__name__)


def send_to_user(user_id: int, subject: str, body: str) -> bool:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        logger.info("notification skipped: user %s has no active address", user_id)
        return False
    send_mail(subject, body, None, [user.email])
    logger.info("notification sent to user %s", user_id)
    return True
