"""Sign-in lock-outs: what people see when django-axes locks them out, which failed sign-ins a
partnership manager may see, and unlocking.

Axes counts failed sign-ins per username and client address (settings AXES_*), on the site's
sign-in page and the admin's alike, since both go through `authenticate()`. A lock-out lasts
AXES_COOLOFF_TIME; a partnership manager can end it sooner for their own partnership's people,
and the Hub's administrators for anyone (or with `manage.py axes_reset_username`)."""

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.utils import timezone
from wagtail.log_actions import log

from .access import is_partnership_manager, membership_of, sees_everything

UNLOCKED = "hub.sign_in.unlocked"


class LockoutError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return (
        "You have tried to sign in too many times with the wrong password. "
        f"Wait {cool_off_minutes()} minutes and try again, or ask your partnership's business "
        "unit to unlock your account."
    )


def lockout_response(request, original_response, credentials):
    """The sign-in page again (the site's or the admin's, whichever was used) with the lock-out
    as its error, answered 429: a person sees why, in the page they know, and a script sees a
    refusal. Axes calls this (AXES_LOCKOUT_CALLABLE) in place of its bare message."""
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if isinstance(original_response, TemplateResponse) and form is not None:
        form.errors.clear()
        form.add_error(None, ValidationError(lockout_message(), code="locked_out"))
        response = TemplateResponse(
            request, original_response.template_name, context, status=429
        ).render()
    else:
        response = render(request, "429.html", {"message": lockout_message()}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def may_unlock(user) -> bool:
    return sees_everything(user) or (
        membership_of(user) is not None and is_partnership_manager(user)
    )


def attempts_visible_to(user):
    """Failed sign-ins as recorded by axes: every one for the Hub's administrators; for a
    partnership manager, those naming their own partnership's people (a guess at an unknown
    username names nobody, and another partnership's people are not theirs to see)."""
    attempts = AccessAttempt.objects.order_by("-attempt_time")
    if sees_everything(user):
        return attempts
    membership = membership_of(user)
    if membership is None or not is_partnership_manager(user):
        return attempts.none()
    usernames = get_user_model().objects.filter(
        membership__partnership_id=membership.partnership_id
    )
    return attempts.filter(username__in=usernames.values("username"))


def is_locked(attempt: AccessAttempt, now=None) -> bool:
    now = now or timezone.now()
    return (
        attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
        and attempt.attempt_time > now - settings.AXES_COOLOFF_TIME
    )


def unlock(attempt: AccessAttempt, by) -> int:
    """Forget every failed sign-in for the attempt's username, so its person can sign in at
    once; recorded against the person unlocked."""
    if not attempts_visible_to(by).filter(pk=attempt.pk).exists():
        raise LockoutError("You can unlock only your own partnership's people.")
    person = get_user_model().objects.filter(username=attempt.username).first()
    with transaction.atomic():
        removed = reset(username=attempt.username)
        if person is not None:
            log(person, UNLOCKED, user=by)
    return removed
