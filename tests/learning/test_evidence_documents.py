"""Action evidence in the admin's document library and admin API: listed only to people who may
see an action citing it, as it is downloaded (`learning.qa_hooks`)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Collection, GroupCollectionPermission

from learning import actions as services
from learning.models import Evidence, EvidenceKind
from partnership.access import SharingLevel

pytestmark = pytest.mark.django_db

API = "/admin/api/main/documents/"


@pytest.fixture
def librarians(people):
    """No role holds permissions on the evidence collection; a partnership that gave a group
    the whole library (the root collection) must still not list another's evidence."""
    group = Group.objects.create(name="Document librarians")
    for codename in ("change_document", "choose_document"):
        GroupCollectionPermission.objects.create(
            group=group,
            collection=Collection.get_first_root_node(),
            permission=Permission.objects.get(codename=codename),
        )
    for username in ("manager", "liverpool.manager"):
        people[username].groups.add(group)
    return people


@pytest.fixture
def evidence_document(make_action):
    action = make_action(reference="WIR-EV-1", sharing_level=SharingLevel.PARTNERSHIP)
    document = Document.objects.create(
        title="Re-audit of contacts",
        collection=services.evidence_collection(),
        file=ContentFile(b"re-audit", name="re-audit-contacts.txt"),
    )
    Evidence.objects.create(
        action=action, kind=EvidenceKind.COMPLETION, text="Re-audit.", document=document
    )
    return document


def listed(client):
    bodies = [
        client.get(reverse("wagtaildocs:index")),
        client.get(reverse("wagtaildocs_chooser:choose_results"), {"q": "audit"}),
        client.get(API),
    ]
    assert all(response.status_code == 200 for response in bodies)
    return "".join(response.content.decode() for response in bodies)


def test_evidence_is_listed_only_to_those_who_see_its_action(client, librarians, evidence_document):
    client.force_login(librarians["liverpool.manager"])
    page = listed(client)
    assert "Re-audit of contacts" not in page and "re-audit-contacts" not in page
    client.force_login(librarians["manager"])
    assert "Re-audit of contacts" in listed(client)


def test_evidence_cited_by_no_action_is_listed_to_no_one_but_administrators(
    client, librarians, people
):
    Document.objects.create(
        title="Stray evidence",
        collection=services.evidence_collection(),
        file=ContentFile(b"stray", name="stray.txt"),
    )
    client.force_login(librarians["manager"])
    assert "Stray evidence" not in listed(client)
    client.force_login(people["admin"])
    assert "Stray evidence" in listed(client)
