"""A world worth restoring: reviews and findings, an action with an evidence file, a booking
and a reading, committed (backups read what other connections see) in a media folder of the
test's own, so that CI's two passes side by side never archive each other's files."""

import os
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from hub.models import HomePage
from learning import demo_briefings
from learning.models import Acknowledgement, Action, Evidence, EvidenceKind
from partnership.access import SharingLevel
from reviews.models import Finding, Recommendation, Review, ReviewType
from tests.learning.conftest import make_action  # noqa: F401
from tests.learning.library_world import briefing as make_briefing
from tests.training.conftest import (  # noqa: F401
    course_list,
    make_course,
    make_person,
    make_session,
)
from training.models import Booking, BookingState


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@dataclass
class Estate:
    evidence_bytes: bytes
    evidence_path: str


def inventory(using="default") -> dict:
    """Every record the backup must bring back, as comparable rows."""
    return {
        "reviews": set(Review.objects.using(using).values_list("pk", "reference", "title")),
        "findings": set(Finding.objects.using(using).values_list("pk", "review_id", "text")),
        "recommendations": set(Recommendation.objects.using(using).values_list("pk", "text")),
        "actions": set(Action.objects.using(using).values_list("pk", "reference", "state")),
        "evidence": set(Evidence.objects.using(using).values_list("pk", "document__file")),
        "bookings": set(Booking.objects.using(using).values_list("pk", "user_id", "state")),
        "acknowledgements": set(
            Acknowledgement.objects.using(using).values_list("pk", "user_id", "briefing_id")
        ),
    }


@pytest.fixture
def estate(world, people, media, make_action, make_course, make_session):  # noqa: F811
    wirral = world.partnerships["Wirral"]
    review = Review.objects.create(
        reference="BAK-1",
        title="Fictional review to restore",
        subject_pseudonym="Child B",
        lead_partnership=wirral,
        review_type=ReviewType.RAPID_REVIEW,
    )
    finding = Finding.objects.create(review=review, title="Finding", text="Anonymised finding.")
    recommendation = Recommendation.objects.create(review=review, text="Recommend it.")
    recommendation.findings.add(finding)
    recommendation.save()
    action = make_action(review=review, recommendation=recommendation, description="Audit it")
    evidence_bytes = os.urandom(200_000)
    document = Document.objects.create(
        title="Re-audit", file=ContentFile(evidence_bytes, name="re-audit.bin")
    )
    Evidence.objects.create(
        action=action,
        kind=EvidenceKind.COMPLETION,
        text="Re-audited",
        document=document,
        added_by=people["qa"],
    )
    session = make_session(make_course(), starts_at=None)
    practitioner = people["practitioner"]
    Booking.objects.create(
        session=session,
        user=practitioner,
        agency=practitioner.membership.agency,
        partnership=practitioner.membership.partnership,
        state=BookingState.BOOKED,
    )
    library = demo_briefings.library_for(HomePage.objects.get(), wirral)
    page = make_briefing(library, wirral, SharingLevel.PARTNERSHIP, when=date(2026, 2, 1))
    Acknowledgement.objects.create(user=practitioner, briefing=page)
    return Estate(evidence_bytes=evidence_bytes, evidence_path=document.file.name)
