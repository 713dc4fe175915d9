"""Log lines never carry record content: Wagtail logs every edit and publish at INFO with the
record's title, which for a review carries the subject's pseudonym. Driven through the admin's
own edit and sign-off views, read from the handler the settings configure."""

import io
import logging

import pytest
from django.urls import reverse

from reviews.models import Review, ReviewStatus
from tests.admin_forms import edit_form_data

from .conftest import SECRET
from .test_signoff import current_task_state

TITLE = "Child Q: bruising in a non-mobile baby"


def configured_handlers():
    """Every handler on the root logger and on every logger created so far."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    return {handler for logger in loggers for handler in logger.handlers}


@pytest.fixture
def log_output():
    """What the settings' console handler writes, as the server's log would show it."""
    (console,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    buffer = io.StringIO()
    previous = console.setStream(buffer)
    try:
        yield buffer
    finally:
        console.setStream(previous)


def edit_url(review):
    return reverse("wagtailsnippets_reviews_review:edit", args=[review.pk])


def assert_no_record_content(text: str):
    for content in (TITLE, "Child Q", "non-mobile", SECRET):
        assert content.lower() not in text.lower(), (content, text)


@pytest.mark.django_db
def test_saving_a_review_in_the_admin_logs_what_happened_but_not_its_title(
    client, signed_in, people, restricted_review, log_output
):
    data = edit_form_data(client, people["reviewer"], edit_url(restricted_review), title=TITLE)
    response = signed_in(people["reviewer"]).post(edit_url(restricted_review), data)
    assert response.status_code == 302
    saved = Review.objects.get(pk=restricted_review.pk).get_latest_revision().as_object()
    assert saved.title == TITLE

    text = log_output.getvalue()
    assert f'Edited: "[withheld]" pk={restricted_review.pk}' in text
    assert_no_record_content(text)


@pytest.mark.django_db
def test_signing_off_publishes_and_logs_no_title(
    client, signed_in, people, restricted_review, log_output
):
    review = restricted_review
    data = edit_form_data(client, people["reviewer"], edit_url(review), title=TITLE)
    data["action-submit"] = "1"  # Submit for sign-off, as the editor's button does
    signed_in(people["reviewer"]).post(edit_url(review), data)
    for username in ("reviewer", "wirral.la.partner", "wirral.police.partner"):
        approve_in_admin(signed_in(people[username]), review)
    approve_in_admin(signed_in(people["wirral.health.partner"]), review)

    review = Review.objects.get(pk=review.pk)
    assert review.status == ReviewStatus.SIGNED_OFF
    assert review.title == TITLE
    text = log_output.getvalue()
    assert f'Published: "[withheld]" pk={review.pk}' in text
    assert_no_record_content(text)


def approve_in_admin(client, review):
    state = current_task_state(review)
    action = reverse(
        "wagtailsnippets_reviews_review:workflow_action", args=[review.pk, "approve", state.pk]
    )
    assert client.post(action).status_code in (200, 302)


def test_every_handler_withholds_record_content():
    """A handler added to LOGGING (or by a library at start-up) without the filter would print
    Wagtail's titles: each one reachable from a logger must carry it."""
    from partnership.log_privacy import WithholdRecordContent

    handlers = configured_handlers()
    assert handlers
    for handler in handlers:
        if type(handler).__module__.startswith("_pytest") or isinstance(
            handler, logging.NullHandler
        ):
            continue  # pytest's own capture, which never leaves the test run; and nothing
        assert any(isinstance(f, WithholdRecordContent) for f in handler.filters), handler


@pytest.mark.parametrize(
    ("name", "msg", "args", "shown"),
    [
        ("wagtail", 'Page moved: "%s" id=%d path=%s', ("Child Q", 7, "/child-q/"), "id=7"),
        ("wagtail.contrib.redirects", "Creating redirects for page: 'Child Q' id=7", (), "id=7"),
        (
            "celery.app.trace",
            "Task %(name)s[%(id)s] succeeded in %(runtime)ss: %(return_value)s",
            {"name": "hub.task", "id": "abc", "runtime": 0.5, "return_value": "Child Q"},
            "Task hub.task[abc] succeeded",
        ),
        (
            "django.db.backends",
            "(%.3f) %s; args=%s; alias=%s",
            (0.01, "UPDATE review SET title = 'Child Q''s review'", ("Child Q",), "default"),
            "UPDATE review SET title = '…'",
        ),
        ("wagtail", 'Edited: "%s" pk=%d', ("Child Q", "not a number"), "[arguments withheld]"),
    ],
)
def test_the_filter_keeps_what_happened_and_withholds_the_content(name, msg, args, shown):
    from partnership.log_privacy import WithholdRecordContent

    record = logging.LogRecord(name, logging.INFO, __file__, 1, msg, None, None)
    record.args = args  # as Logger.makeRecord sets a mapping, unwrapped
    assert WithholdRecordContent().filter(record)
    line = record.getMessage()
    assert shown in line
    assert "Child Q" not in line


def test_the_hubs_own_lines_are_left_alone():
    from partnership.log_privacy import WithholdRecordContent

    record = logging.LogRecord(
        "hub.outbox", logging.INFO, __file__, 1, "outbox batch sent: %s", (3,), None
    )
    WithholdRecordContent().filter(record)
    assert record.getMessage() == "outbox batch sent: 3"
