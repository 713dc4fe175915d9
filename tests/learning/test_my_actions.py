"""My actions on the site, through the test client: who sees which actions, who may change them,
the forms, evidence downloads and the cost of the list."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning import actions as services
from learning.models import Action, ActionState, EvidenceKind, ImpactType
from partnership.access import SharingLevel

from .actions_world import PSEUDONYM, RECOMMENDATION, SECRET, make_action, make_review


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def police_action(world, wirral):
    _, recommendation = make_review(wirral)
    return make_action(
        world,
        "WIR-ACT-POL-1",
        sharing_level=SharingLevel.RESTRICTED,
        recommendation=recommendation,
    )


@pytest.fixture
def health_action(world):
    return make_action(world, "WIR-ACT-NHS-1", agency="NHS trust")


@pytest.fixture
def shared_action(world):
    """A partnership-level police action: every Wirral member may read it."""
    return make_action(world, "WIR-ACT-POL-2")


def signed_in(client, people, username):
    client.force_login(people[username])
    return client


def test_my_actions_asks_people_to_sign_in(client, world):
    response = client.get("/my-actions/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=/my-actions/")


def test_an_agency_lead_lists_their_agencys_actions_only(
    client, people, police_action, health_action, shared_action
):
    response = signed_in(client, people, "agencylead").get("/my-actions/")
    assert response.status_code == 200
    listed = [a.reference for a in response.context["actions"]]
    assert listed == sorted(["WIR-ACT-POL-1", "WIR-ACT-POL-2"])
    assert "WIR-ACT-NHS-1" not in response.content.decode()
    assert "My actions" in response.content.decode()  # the navigation offers the page


def test_a_lead_lists_the_actions_they_lead_in_any_agency(client, world, people, police_action):
    led = make_action(world, "WIR-ACT-CSC-1", agency="CSC", lead=people["practitioner"])
    response = signed_in(client, people, "practitioner").get("/my-actions/")
    assert [a.reference for a in response.context["actions"]] == [led.reference]
    assert 'href="/my-actions/"' in response.content.decode()


def test_the_navigation_offers_my_actions_only_to_those_who_have_some(client, people, world):
    page = signed_in(client, people, "practitioner").get("/my-actions/").content.decode()
    assert 'href="/my-actions/"' not in page


def test_the_list_filters_by_state_and_rating_without_javascript(client, world, people):
    today = __import__("django.utils.timezone", fromlist=["localdate"]).localdate()
    make_action(world, "WIR-ACT-RED", due_date=today - timedelta(days=3))
    make_action(world, "WIR-ACT-AMBER", due_date=today + timedelta(days=5))
    make_action(world, "WIR-ACT-DONE", state=ActionState.COMPLETED)
    client = signed_in(client, people, "agencylead")

    def refs(query):
        return [a.reference for a in client.get(f"/my-actions/?{query}").context["actions"]]

    assert refs("rag=red") == ["WIR-ACT-RED"]
    assert refs("rag=amber") == ["WIR-ACT-AMBER"]
    assert refs("state=completed") == ["WIR-ACT-DONE"]
    assert refs("state=open&rag=blue") == []
    page = client.get("/my-actions/?rag=red").content.decode()
    assert "Red: overdue" in page  # the rating is named in words, not shown by colour alone
    assert '<option value="red" selected>' in page


def test_the_list_pages_and_keeps_the_filters(client, world, people):
    for n in range(25):
        make_action(world, f"WIR-ACT-P{n:02d}")
    client = signed_in(client, people, "agencylead")
    first = client.get("/my-actions/?state=open")
    assert len(first.context["actions"]) == 20
    assert "?state=open&amp;page=2" in first.content.decode()
    second = client.get("/my-actions/?state=open&page=2")
    assert len(second.context["actions"]) == 5


def _count_list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/my-actions/")
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries], response


def test_the_list_costs_the_same_number_of_queries_for_5_and_50_actions(client, world, people):
    def add(first, last):
        for n in range(first, last):
            make_action(world, f"WIR-ACT-Q{n:03d}", lead=people["agencylead"] if n % 2 else None)

    client = signed_in(client, people, "agencylead")
    add(0, 5)
    client.get("/my-actions/")  # warm: the session's first use
    few, few_sql, response = _count_list_queries(client)
    assert len(response.context["actions"]) == 5
    add(5, 50)
    many, many_sql, response = _count_list_queries(client)
    assert len(response.context["actions"]) == 20
    assert few == many, (few_sql, many_sql)
    # Session, user, membership, roles, the header's two permission look-ups, the count, the
    # page of actions, the navigation's check.
    assert many <= 9, many_sql


def test_another_agencys_lead_gets_404_for_a_restricted_action(client, people, police_action):
    client = signed_in(client, people, "healthlead")
    assert client.get("/my-actions/WIR-ACT-POL-1/").status_code == 404
    assert client.post("/my-actions/WIR-ACT-POL-1/start/").status_code == 404
    police_action.refresh_from_db()
    assert police_action.state == ActionState.OPEN


def test_the_action_page_shows_the_recommendation_but_nothing_confidential(
    client, people, police_action
):
    page = signed_in(client, people, "agencylead").get("/my-actions/WIR-ACT-POL-1/")
    text = page.content.decode()
    assert page.status_code == 200
    assert RECOMMENDATION in text
    assert police_action.review.reference in text
    assert SECRET not in text and PSEUDONYM not in text
    assert 'action="/my-actions/WIR-ACT-POL-1/progress/"' in text


def test_a_reader_who_may_not_update_sees_no_forms_and_gets_403(client, people, shared_action):
    client = signed_in(client, people, "practitioner")
    page = client.get("/my-actions/WIR-ACT-POL-2/")
    assert page.status_code == 200
    assert "<form" not in page.content.decode().split("<main", 1)[1]
    assert "can read this action but not update it" in page.content.decode()
    for path, data in [
        ("start/", {}),
        ("complete/", {}),
        ("impact/", {}),
        ("progress/", {"progress-text": "Not mine."}),
        ("evidence/", {"evidence-kind": "completion", "evidence-text": "Not mine."}),
        ("extension/", {"extension-reason": "Not mine."}),
    ]:
        assert client.post(f"/my-actions/WIR-ACT-POL-2/{path}", data).status_code == 403, path
    shared_action.refresh_from_db()
    assert (
        shared_action.state == ActionState.OPEN
        and not shared_action.events.filter(kind="progress").exists()
    )


def test_buttons_show_only_what_is_allowed_now(client, people, police_action):
    client = signed_in(client, people, "agencylead")
    text = client.get("/my-actions/WIR-ACT-POL-1/").content.decode()
    assert "Mark as started" in text
    assert "Mark as completed" not in text and "first add evidence of completion" in text
    response = client.post("/my-actions/WIR-ACT-POL-1/start/")
    assert response.status_code == 302
    after = client.get(response["Location"]).content.decode()
    assert "The action is in progress" in after
    assert "Mark as started" not in after


def test_a_refused_change_is_explained_on_the_page(client, people, police_action):
    response = signed_in(client, people, "agencylead").post("/my-actions/WIR-ACT-POL-1/complete/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and "needs evidence of completion" in text
    assert "<title>Error: " in text


def test_a_progress_update_is_saved_and_shown(client, people, police_action):
    client = signed_in(client, people, "agencylead")
    response = client.post(
        "/my-actions/WIR-ACT-POL-1/progress/", {"progress-text": "All sergeants briefed."}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Your progress update is saved" in page and "All sergeants briefed." in page


def test_a_failed_form_shows_its_errors_and_keeps_what_was_typed(client, people, police_action):
    client = signed_in(client, people, "agencylead")
    response = client.post(
        "/my-actions/WIR-ACT-POL-1/evidence/",
        {"evidence-kind": "impact", "evidence-text": "Survey of 52 practitioners."},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert '<a href="#id_evidence-impact_type">Select the type of impact evidence</a>' in text
    assert "Survey of 52 practitioners.</textarea>" in text
    assert 'value="impact" checked' in text
    response = client.post(
        "/my-actions/WIR-ACT-POL-1/extension/",
        {
            "extension-new_date_day": "31",
            "extension-new_date_month": "2",
            "extension-new_date_year": "2030",
        },
    )
    text = response.content.decode()
    assert '<a href="#id_extension-new_date_day">The new due date must be a real date' in text
    assert 'value="31"' in text and 'value="2030"' in text


def test_an_extension_is_requested_from_the_page(client, people, police_action):
    new = police_action.due_date + timedelta(days=45)
    response = signed_in(client, people, "agencylead").post(
        "/my-actions/WIR-ACT-POL-1/extension/",
        {
            "extension-new_date_day": new.day,
            "extension-new_date_month": new.month,
            "extension-new_date_year": new.year,
            "extension-reason": "Training dates moved.",
        },
    )
    assert response.status_code == 302
    assert police_action.extension_requests.get().requested_due_date == new
    page = client.get("/my-actions/WIR-ACT-POL-1/").content.decode()
    assert "waiting for quality assurance" in page


def _upload(client, reference, name="audit.pdf"):
    return client.post(
        f"/my-actions/{reference}/evidence/",
        {
            "evidence-kind": "impact",
            "evidence-impact_type": "re_audit",
            "evidence-text": "Re-audit of 20 records.",
            "evidence-document": SimpleUploadedFile(name, b"%PDF-1.4 fictional", "application/pdf"),
        },
    )


def test_evidence_documents_go_only_to_people_who_may_see_the_action(
    client, people, police_action, django_user_model
):
    lead = signed_in(client, people, "agencylead")
    assert _upload(lead, "WIR-ACT-POL-1").status_code == 302
    document = police_action.evidence.get().document
    url = document.url
    assert url in lead.get("/my-actions/WIR-ACT-POL-1/").content.decode()
    download = lead.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 fictional"
    lead.logout()

    # Another agency's lead may not see the restricted action, so not its evidence either.
    assert signed_in(client, people, "healthlead").get(url).status_code == 403
    client.logout()
    # The partnership's manager may see every action of the partnership.
    assert signed_in(client, people, "manager").get(url).status_code == 200
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/sign-in/")


def test_an_evidence_document_of_a_partnership_level_action_goes_to_its_members(
    client, people, shared_action
):
    assert _upload(signed_in(client, people, "agencylead"), "WIR-ACT-POL-2").status_code == 302
    url = shared_action.evidence.get().document.url
    client.logout()
    assert signed_in(client, people, "practitioner").get(url).status_code == 200
    client.logout()
    assert signed_in(client, people, "liverpool.practitioner").get(url).status_code == 403


def test_an_upload_of_the_wrong_kind_is_refused_with_a_message(client, people, police_action):
    response = _upload(signed_in(client, people, "agencylead"), "WIR-ACT-POL-1", "run.exe")
    assert response.status_code == 200
    assert "The document must be a" in response.content.decode()
    assert not police_action.evidence.exists()


def test_documents_that_are_not_evidence_are_left_to_other_hooks(client, people, world):
    """The evidence hook decides only for evidence: an ordinary document is served as before."""
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document
    from wagtail.models import Collection

    document = Document.objects.create(
        title="Public leaflet",
        file=ContentFile(b"leaflet", name="leaflet.pdf"),
        collection=Collection.get_first_root_node(),
    )
    assert services.EVIDENCE_DOCUMENTS.may_download(people["practitioner"], document) is None
    assert signed_in(client, people, "practitioner").get(document.url).status_code == 200


def test_the_list_shows_actions_the_lead_completes(client, world, people):
    action = make_action(world, "WIR-ACT-FLOW")
    services.add_evidence(action, people["agencylead"], EvidenceKind.COMPLETION, "Done.")
    services.complete(action, people["agencylead"])
    services.add_evidence(
        action, people["agencylead"], EvidenceKind.IMPACT, "Survey.", ImpactType.OTHER
    )
    text = signed_in(client, people, "agencylead").get("/my-actions/").content.decode()
    assert "Blue: complete" in text and "Completed" in text
    assert Action.objects.get(pk=action.pk).state == ActionState.COMPLETED


# Quality assurance's queues in the admin


def test_quality_assurance_decides_extension_requests_in_the_admin(client, people, shared_action):
    first_due = shared_action.due_date
    services.request_extension(
        shared_action, people["agencylead"], first_due + timedelta(days=30), "Dates moved."
    )
    request = shared_action.extension_requests.get()
    client = signed_in(client, people, "qa")
    page = client.get("/admin/actions/extension-requests/")
    assert page.status_code == 200 and "WIR-ACT-POL-2" in page.content.decode()
    refused = client.post(
        f"/admin/actions/extension-requests/{request.pk}/",
        {"decision": "refuse", f"decision-{request.pk}-note": ""},
    )
    assert refused.status_code == 302
    request.refresh_from_db()
    assert request.decision == "pending"  # a refusal needs a note
    client.post(
        f"/admin/actions/extension-requests/{request.pk}/",
        {"decision": "approve", f"decision-{request.pk}-note": "Agreed."},
    )
    shared_action.refresh_from_db()
    assert shared_action.due_date == first_due + timedelta(days=30)
    assert shared_action.original_due_date == first_due
    after = client.get("/admin/actions/extension-requests/")
    assert list(after.context["requests"]) == []
    assert "Enter why the extension is refused" in after.content.decode()  # the earlier refusal


@pytest.mark.parametrize("who", ["manager", "reviewer", "liverpool.manager"])
def test_only_quality_assurance_open_the_decision_queues(client, people, who, world):
    client = signed_in(client, people, who)
    # Wagtail answers a refusal in the admin by sending the person to the dashboard.
    for path in ("/admin/actions/extension-requests/", "/admin/actions/sign-off/"):
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_quality_assurance_signs_off_an_action_as_embedded_in_the_admin(client, world, people):
    action = make_action(world, "WIR-ACT-EMBED", state=ActionState.COMPLETED)
    services.add_evidence(
        action, people["agencylead"], EvidenceKind.IMPACT, "Re-audit: 9 of 10.", ImpactType.RE_AUDIT
    )
    services.evidence_impact(action, people["agencylead"])
    client = signed_in(client, people, "qa")
    page = client.get("/admin/actions/sign-off/").content.decode()
    assert "WIR-ACT-EMBED" in page and "Re-audit: 9 of 10." in page
    assert client.post(f"/admin/actions/sign-off/{action.pk}/").status_code == 302
    action.refresh_from_db()
    assert action.state == ActionState.EMBEDDED and action.embedded_by == people["qa"]
