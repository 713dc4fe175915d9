"""Every admin page of the Hub's own that names a record in its URL (`.../<pk>/...`), outside the
snippet viewsets (their matrices are test_admin_scoped_matrix and test_admin_write_matrix), as
another partnership's manager, another partnership's reviewer and staff of no partnership: a GET
shows nothing of Wirral's record and a POST changes nothing.

The URLs come from the resolver: a new page of this kind without a maker below fails the first
test, so it is covered the day it exists."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.documents.models import Document
from wagtail.models import Collection

from hub.models import ImportJob
from learning.models import Action, ActionState, ExtensionRequest
from partnership.access import SharingLevel
from partnership.models import PartnershipApiToken
from reviews.models import Milestone, ReviewDocument
from tests.url_routes import routes
from training.models import Booking, BookingState, Course, CourseIndexPage, Session

from .test_admin_write_matrix import _subject, fingerprint

# The Hub's own apps: those installed from this repository rather than from a package, so that
# a new app is walked too.
HUB_APPS = frozenset(
    config.name.split(".")[0]
    for config in django_apps.get_app_configs()
    if Path(config.path).is_relative_to(settings.BASE_DIR)
    and "site-packages" not in Path(config.path).parts
)
# Pages whose URL takes a key that names no record, with why.
NOT_RECORDS = {
    "hub_guide_page": "a guide from docs/guides, the same for everyone in the admin",
}
OUTSIDERS = ("liverpool.manager", "halton.reviewer", "no.partnership")
MARKER = "Zanzibar-7731"  # in every record below; nowhere else in the Hub


def record_pages() -> list[str]:
    """URL names of the Hub's own admin pages that take a record's key."""
    names = set()
    for found in routes():
        name, route, callback = found.name, found.path, found.callback
        view = getattr(callback, "view_class", callback)
        app = (getattr(view, "__module__", "") or "").split(".")[0]
        if (
            route.startswith("admin/")
            and not route.startswith("admin/snippets/")
            and "<" in route
            and app in HUB_APPS
            and name not in NOT_RECORDS
        ):
            names.add(name)
    return sorted(names)


@dataclass
class Target:
    pk: int
    state: Callable[[], object]
    post: dict = field(default_factory=dict)
    # Wirral people who must not reach it either (a page only its owner may open).
    also_refused: tuple[str, ...] = ()
    # The control: who of Wirral may use the page, and whether it shows the record ("read") or
    # changes it ("change"). Without it a maker could build a record no one reaches.
    insider: str = "manager"
    insider_does: str = "read"
    # The URL's arguments when they are more than the record's key.
    args: tuple = ()


def _restricted_review(world, people):
    from tests.reviews.conftest import make_admin_review

    return make_admin_review(
        world.partnerships["Wirral"],
        f"WIR-RR-{MARKER}",
        SharingLevel.RESTRICTED,
        panel=[people["reviewer"]],
        aware_date=timezone.localdate() - timedelta(days=10),
        notification_date=timezone.localdate() - timedelta(days=10),
    )


def _action(world, **fields):
    return Action.objects.create(
        reference=f"WIR-ACT-{MARKER}",
        description=f"Fictional action {MARKER}",
        due_date=date(2027, 6, 1),
        partnership=world.partnerships["Wirral"],
        owner_agency=world.agencies[("Wirral", "Police")],
        sharing_level=SharingLevel.PARTNERSHIP,
        **fields,
    )


def _document(world, people):
    review = _restricted_review(world, people)
    document = Document.objects.create(
        title=f"Chronology {MARKER}",
        collection=Collection.objects.get(name="Review documents"),
        file=ContentFile(b"chronology", name="matrix-chronology.txt"),
    )
    ReviewDocument.objects.create(review=review, document=document, kind="chronology")
    return Target(document.pk, lambda: fingerprint(Document, document.pk), insider="reviewer")


def _lockout(world, people):
    attempt = AccessAttempt.objects.create(
        username=people["reviewer"].username,
        ip_address="192.0.2.31",
        user_agent=MARKER,
        failures_since_start=50,
        attempt_time=timezone.now(),
        get_data="",
        post_data="",
        http_accept="",
        path_info="/admin/login/",
    )
    return Target(
        attempt.pk,
        lambda: list(AccessAttempt.objects.values_list("pk", flat=True)),
        insider_does="change",
    )


def _api_token(world, people):
    token = PartnershipApiToken.objects.create(
        partnership=world.partnerships["Wirral"],
        name=f"Intranet {MARKER}",
        key_hash="0" * 64,
        prefix="abcdefgh",
        created_by=people["manager"],
    )
    return Target(
        token.pk, lambda: fingerprint(PartnershipApiToken, token.pk), insider_does="change"
    )


def _two_factor(world, people):
    person = people["reviewer"]
    person.first_name = MARKER
    person.save(update_fields=["first_name"])
    TOTPDevice.objects.create(user=person, name="Authenticator app", confirmed=True)
    return Target(
        person.pk,
        lambda: list(TOTPDevice.objects.filter(user=person).values("pk", "confirmed")),
        insider_does="change",
    )


def _milestone(world, people):
    milestone = Milestone.objects.get(
        review=_restricted_review(world, people), kind="agency_letters"
    )
    assert milestone is not None, "a review has statutory milestones"
    return Target(
        milestone.pk,
        lambda: fingerprint(Milestone, milestone.pk),
        post={"day": timezone.localdate().strftime("%d/%m/%Y")},
        insider="reviewer",
        insider_does="change",
    )


def _import_job(world, people):
    job = ImportJob.objects.create(
        user=people["manager"], kind="reviews", file_name=f"reviews-{MARKER}.csv"
    )
    return Target(job.pk, lambda: fingerprint(ImportJob, job.pk), also_refused=("reviewer", "qa"))


def _extension(world, people):
    action = _action(world, state=ActionState.IN_PROGRESS)
    request = ExtensionRequest.objects.create(
        action=action,
        requested_due_date=date(2027, 9, 1),
        reason=f"Waiting for {MARKER}",
        requested_by=people["reviewer"],
    )
    return Target(
        request.pk,
        lambda: (fingerprint(ExtensionRequest, request.pk), fingerprint(Action, action.pk)),
        post={"decision": "approve", f"decision-{request.pk}-note": "Agreed."},
        insider="qa",
        insider_does="change",
    )


def _embed(world, people):
    action = _action(world, state=ActionState.IMPACT_EVIDENCED)
    return Target(action.pk, lambda: fingerprint(Action, action.pk), insider="qa")


def _evidence_pack(world, people):
    review = _restricted_review(world, people)
    return Target(review.pk, lambda: None)


def _session(world, people):
    course = Course(
        title=f"Course {MARKER}",
        slug="matrix-course",
        partnership=world.partnerships["Wirral"],
        summary="A fictional course.",
        description="<p>About it.</p>",
        learning_outcomes="<ul><li>Know</li></ul>",
        audience="Everyone.",
        level="foundation",
        duration="half_day",
    )
    CourseIndexPage.objects.get().add_child(instance=course)
    starts = timezone.now() - timedelta(hours=4)
    session = Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        venue=f"Hall {MARKER}",
        capacity=10,
    )
    person = people["practitioner"]
    membership = person.membership
    booking = Booking.objects.create(
        session=session,
        user=person,
        agency=membership.agency,
        partnership=membership.partnership,
        state=BookingState.BOOKED,
        access_needs=f"Needs {MARKER}",
    )
    return session, booking


def _session_bookings(world, people):
    session, booking = _session(world, people)
    return Target(session.pk, lambda: fingerprint(Booking, booking.pk))


def _register(world, people):
    session, booking = _session(world, people)
    return Target(
        session.pk,
        lambda: fingerprint(Booking, booking.pk),
        post={f"mark-{booking.pk}": "attended"},
        insider_does="change",
    )


def _session_export(world, people):
    session, booking = _session(world, people)
    return Target(session.pk, lambda: fingerprint(Booking, booking.pk), args=(session.pk, "csv"))


def _sign_in_sheet(world, people):
    session, booking = _session(world, people)
    # A PDF's text is compressed: the control reads a file, the outsiders get none.
    return Target(session.pk, lambda: fingerprint(Booking, booking.pk), insider_does="file")


def _session_email(world, people):
    from training.models import SessionMessage

    session, _ = _session(world, people)
    return Target(
        session.pk,
        lambda: SessionMessage.objects.filter(session=session).count(),
        post={"subject": "Room change", "body": "It has moved."},
        insider_does="change",
    )


MAKERS = {
    "wagtailadmin_api:documents:detail": _document,
    "partnership_sign_in_unlock": _lockout,
    "partnership_api_token_revoke": _api_token,
    "partnership_two_factor_reset": _two_factor,
    "reviews_milestone_done": _milestone,
    "hub_imports:job": _import_job,
    "action_extension_decide": _extension,
    "action_embed": _embed,
    "learning_reports:evidence_pack": _evidence_pack,
    "training_session_bookings": _session_bookings,
    "training_register": _register,
    "training_session_export": _session_export,
    "training_session_sign_in_sheet": _sign_in_sheet,
    "training_session_email": _session_email,
}


def test_every_record_page_of_the_admin_has_a_maker():
    missing = [name for name in record_pages() if name not in MAKERS]
    assert not missing, f"add a maker to MAKERS for {missing}"
    gone = [name for name in MAKERS if name not in record_pages()]
    assert not gone, f"these pages no longer exist: {gone}"


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(MAKERS))
def test_no_one_outside_reads_or_changes_a_record_through_its_admin_page(
    client, world, people, name
):
    target = MAKERS[name](world, people)
    url = reverse(name, args=target.args or [target.pk])
    before = target.state()
    failures = []
    for username in (*OUTSIDERS, *target.also_refused):
        client.force_login(_subject(people, username))
        for method in ("get", "post"):
            response = getattr(client, method)(url, target.post if method == "post" else None)
            if response.status_code == 200 and MARKER in _body(response):
                failures.append(f"{username} {method.upper()} read it")
            if response.status_code >= 500:
                failures.append(f"{username} {method.upper()} answered {response.status_code}")
            if target.state() != before:
                failures.append(f"{username} {method.upper()} changed it")
                before = target.state()
        client.logout()
    assert not failures, failures


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(MAKERS))
def test_the_partnership_itself_uses_the_page(client, world, people, name):
    """The control: the record each maker builds is one Wirral's own people reach."""
    target = MAKERS[name](world, people)
    url = reverse(name, args=target.args or [target.pk])
    client.force_login(_subject(people, target.insider))
    if target.insider_does == "read":
        response = client.get(url)
        assert response.status_code == 200 and MARKER in _body(response)
    elif target.insider_does == "file":
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    else:
        before = target.state()
        client.post(url, target.post)
        assert target.state() != before
