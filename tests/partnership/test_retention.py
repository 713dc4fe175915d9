"""Nothing is lost by a delete: people whom records name are deactivated, agencies retired, and
evidence is protected in the database, whichever way the delete comes."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse
from wagtail.documents.models import Document

from hub.models import HomePage
from learning import demo_briefings
from learning.models import Acknowledgement, Action, Evidence, EvidenceKind
from partnership.access import SharingLevel
from partnership.models import Agency, Partnership
from partnership.pickers import agencies_of
from reviews.models import Finding, Review, ReviewType
from tests.learning.library_world import briefing as make_briefing

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, people):
    client.force_login(people["admin"])
    return client


@pytest.fixture
def reading(world, people):
    """The demo practitioner has read and understood a Wirral briefing."""
    wirral = world.partnerships["Wirral"]
    library = demo_briefings.library_for(HomePage.objects.get(), wirral)
    page = make_briefing(library, wirral, SharingLevel.PARTNERSHIP)
    return Acknowledgement.objects.create(
        user=people["practitioner"], briefing=page, agency=people["practitioner"].membership.agency
    )


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_deleting_a_reader_in_the_admin_deactivates_them_and_keeps_their_readings(
    admin_client, reading
):
    person = reading.user
    url = reverse("wagtailusers_users:delete", args=[person.pk])

    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert any("will deactivate them instead" in m for m in _messages(confirm))

    response = admin_client.post(url)

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active is False
    assert Acknowledgement.objects.filter(pk=reading.pk, user=person).exists()
    said = _messages(response)
    assert any("deactivated, not deleted" in m and "1 acknowledgement" in m for m in said), said


def test_a_person_whom_no_record_names_is_still_deleted_by_the_admin(admin_client, world):
    person = get_user_model().objects.create_user("mistaken.account", password="x")

    response = admin_client.post(reverse("wagtailusers_users:delete", args=[person.pk]))

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=person.pk).exists()


def test_deleting_a_reader_through_the_orm_is_refused(reading):
    with pytest.raises(ProtectedError):
        reading.user.delete()
    assert Acknowledgement.objects.filter(pk=reading.pk).exists()


def test_deleting_a_panel_member_through_the_orm_is_refused(world, people):
    """A review's panel is a many-to-many link, which PROTECT cannot cover: the guard does."""
    review = Review.objects.create(
        reference="RET-1",
        title="Fictional review",
        subject_pseudonym="Child R",
        lead_partnership=world.partnerships["Wirral"],
        review_type=ReviewType.RAPID_REVIEW,
    )
    sat = get_user_model().objects.create_user("panel.member", password="x")
    review.panel.add(sat)
    review.save()  # parental links are written when the review is saved

    # The guard raises inside Django's delete transaction: a savepoint keeps the test's own.
    with pytest.raises(ProtectedError), transaction.atomic():
        sat.delete()
    assert review.panel.filter(pk=sat.pk).exists()


@pytest.fixture
def named_agency(world):
    """A Wirral agency named by a review and one of its findings, and by nothing else."""
    wirral = world.partnerships["Wirral"]
    agency = Agency.objects.create(partnership=wirral, name="Fictional Trust", sector="health")
    review = Review.objects.create(
        reference="RET-2",
        title="Fictional review",
        subject_pseudonym="Child S",
        lead_partnership=wirral,
        review_type=ReviewType.RAPID_REVIEW,
    )
    review.agencies.add(agency)
    review.save()  # parental links are written when the record is saved
    finding = Finding.objects.create(review=review, title="A finding", text="Anonymised.")
    finding.agencies.add(agency)
    finding.save()
    return agency


def test_deleting_an_agency_in_use_in_the_admin_is_refused_with_the_way_to_retire_it(
    admin_client, named_agency
):
    url = reverse("wagtailsnippets_partnership_agency:delete", args=[named_agency.pk])

    for response in (admin_client.get(url), admin_client.post(url)):
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "wagtailsnippets_partnership_agency:edit", args=[named_agency.pk]
        )
        said = _messages(response)
        assert any("cannot be deleted" in m and "Retire it instead" in m for m in said), said
    assert Agency.objects.filter(pk=named_agency.pk).exists()
    assert named_agency.reviews.count() == 1
    assert named_agency.findings.count() == 1


def test_deleting_an_agency_in_use_through_the_orm_is_refused(named_agency):
    with pytest.raises(ProtectedError), transaction.atomic():
        named_agency.delete()
    assert named_agency.reviews.count() == 1


def test_deleting_a_partnership_cannot_take_its_agencies_off_reviews(named_agency, world):
    """A partnership with no people of its own whose agency a Wirral review names: deleting it
    would cascade to the agency, which the guard refuses."""
    far = Partnership.objects.create(
        region=world.region, name="Far Partnership", short_name="Far", slug="far"
    )
    named_agency.partnership = far
    named_agency.save()

    with pytest.raises(ProtectedError), transaction.atomic():
        far.delete()
    assert named_agency.reviews.count() == 1


def test_an_unused_agency_is_still_deleted_by_the_admin(admin_client, world):
    agency = Agency.objects.create(
        partnership=world.partnerships["Wirral"], name="Never used", sector="voluntary"
    )

    response = admin_client.post(
        reverse("wagtailsnippets_partnership_agency:delete", args=[agency.pk])
    )

    assert response.status_code == 302
    assert not Agency.objects.filter(pk=agency.pk).exists()


def test_a_retired_agency_leaves_the_pickers_but_not_the_records_that_name_it(named_agency):
    named_agency.active = False
    named_agency.save()
    wirral = [named_agency.partnership_id]

    assert named_agency not in agencies_of(wirral)
    assert named_agency in agencies_of(wirral, keep=[named_agency.pk])
    assert named_agency.reviews.count() == 1


def test_evidence_is_protected_in_the_database(world, people):
    action = Action.objects.create(
        reference="RET-ACT-1",
        description="Fictional action",
        due_date=date(2027, 6, 1),
        partnership=world.partnerships["Wirral"],
        owner_agency=world.agencies[("Wirral", "Police")],
    )
    document = Document.objects.create(
        title="Audit", file=ContentFile(b"audit results", name="audit.txt")
    )
    evidence = Evidence.objects.create(
        action=action,
        kind=EvidenceKind.COMPLETION,
        text="Audited",
        document=document,
        added_by=people["qa"],
    )

    for record in (action, document, people["qa"]):
        with pytest.raises(ProtectedError):
            record.delete()
    evidence.refresh_from_db()
    assert evidence.document_id == document.pk and evidence.added_by_id == people["qa"].pk
