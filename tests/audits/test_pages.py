"""The self-assessment pages, driven as people use them: the agency's lead rates, adds evidence
and submits; quality assurance challenges and agrees; the heat map and its export show what the
reader may see. Every audits page that names a record is walked from the URL resolver for people
who may not see it: they get 404, and their POSTs change nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audits.models import (
    AgencyReturn,
    Assessment,
    AuditCase,
    CaseAudit,
    CaseGrading,
    ReturnEvidence,
    ReturnState,
)
from learning.models import Action
from partnership.models import Agency, Sector
from tests.url_routes import routes

from .conftest import graded_case, open_cycle, submitted

pytestmark = pytest.mark.django_db
LATER = timezone.localdate() + timedelta(days=60)


def _as(client, people, name):
    client.force_login(people[name])
    return client


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_the_agency_lead_rates_each_standard_and_submits(client, people, police_return):
    lead = _as(client, people, "agencylead")
    page = lead.get(f"/self-assessment/returns/{police_return.pk}/")
    assert page.status_code == 200 and b"Submit the return" in page.content
    for assessment in police_return.assessments.all():
        response = lead.post(
            f"/self-assessment/assessments/{assessment.pk}/rate/",
            {"rate-rating": "3", "rate-narrative": "Audit shows it", "rate-improvement": ""},
        )
        assert response.status_code == 302
    response = lead.post(
        f"/self-assessment/returns/{police_return.pk}/submit/",
        {"submit-signed_by_name": "Dr A Example", "submit-signed_by_role": "Chief constable"},
    )
    assert response.status_code == 302
    police_return.refresh_from_db()
    assert police_return.state == ReturnState.SUBMITTED
    assert police_return.signed_by_role == "Chief constable"


def test_a_bad_rating_form_keeps_what_was_typed_and_says_why(client, people, police_return):
    assessment = police_return.assessments.first()
    response = _as(client, people, "agencylead").post(
        f"/self-assessment/assessments/{assessment.pk}/rate/",
        {"rate-narrative": "Typed words stay", "rate-improvement": ""},
    )
    assert response.status_code == 400
    assert b"Choose a rating" in response.content and b"Typed words stay" in response.content
    assert Assessment.objects.get(pk=assessment.pk).narrative == ""


def test_submitting_early_is_refused_in_words(client, people, police_return):
    response = _as(client, people, "agencylead").post(
        f"/self-assessment/returns/{police_return.pk}/submit/",
        {"submit-signed_by_name": "Dr A Example"},
    )
    assert response.status_code == 400 and b"Rate every standard" in response.content
    assert AgencyReturn.objects.get(pk=police_return.pk).state == ReturnState.NOT_STARTED


def test_evidence_is_private_to_those_who_see_the_return(client, people, police_return):
    response = _as(client, people, "agencylead").post(
        f"/self-assessment/returns/{police_return.pk}/evidence/",
        {
            "evidence-description": "Supervision audit",
            "evidence-document": SimpleUploadedFile("audit.txt", b"supervision audit figures"),
        },
    )
    assert response.status_code == 302
    document = ReturnEvidence.objects.get().document
    assert document.title.endswith("Police") and "audit.txt" not in document.title
    assert client.get(document.url).status_code == 200
    for outsider in ("healthlead", "practitioner", "liverpool.manager"):
        client.force_login(people[outsider])
        assert client.get(document.url).status_code == 403, outsider
    client.logout()
    assert client.get(document.url).status_code == 302
    client.force_login(people["qa"])
    assert client.get(document.url).status_code == 200


def test_quality_assurance_challenges_the_lead_answers_quality_assurance_agrees(
    client, people, police_return
):
    submitted(police_return, people["agencylead"], ratings=(3, 3, 3))
    assessment = police_return.assessments.get(standard__code="1")
    url = f"/self-assessment/assessments/{assessment.pk}/"
    qa = _as(client, people, "qa")
    assert b"Challenge the rating" in qa.get(url).content
    qa.post(url + "challenge/", {"challenge-text": "What shows leaders are committed?"})
    lead = _as(client, people, "agencylead")
    page = lead.get(url)
    assert b"Answer the challenge" in page.content and b"Challenge the rating" not in page.content
    lead.post(url + "answer/", {"respond-text": "Fair: partially met.", "respond-rating": "2"})
    qa = _as(client, people, "qa")
    response = qa.post(url + "agree/", {"agree-rating": "2", **_date("agree-due_date", LATER)})
    assert response.status_code == 302
    agreed = Assessment.objects.get(pk=assessment.pk)
    assert (agreed.agreed_rating, agreed.action.due_date) == (2, LATER)
    heat = qa.get(f"/self-assessment/cycles/{police_return.cycle.reference}/").content.decode()
    assert "Merseyside Police" in heat
    # The Police row's first cell: the agreed amber 2, said to be agreed.
    assert (
        '<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--orange">2</strong>'
        '<span class="govuk-visually-hidden"> agreed</span></td>'
    ) in heat


def test_an_amber_without_a_due_date_is_refused_and_makes_no_action(client, people, police_return):
    submitted(police_return, people["agencylead"], ratings=(2, 3, 3))
    assessment = police_return.assessments.get(standard__code="1")
    response = _as(client, people, "qa").post(
        f"/self-assessment/assessments/{assessment.pk}/agree/", {"agree-rating": "2"}
    )
    assert (
        response.status_code == 400
        and b"Enter when the improvement action is due" in response.content
    )
    assert not Action.objects.exists()


def test_the_heat_map_shows_each_reader_what_they_may_see(client, people, cycle, police_return):
    url = f"/self-assessment/cycles/{cycle.reference}/"
    qa_page = _as(client, people, "qa").get(url).content.decode()
    assert "Merseyside Police" in qa_page and "NHS Trust" in qa_page
    lead_page = _as(client, people, "agencylead").get(url).content.decode()
    assert "Merseyside Police" in lead_page and "Hospital NHS Trust" not in lead_page
    practitioner = _as(client, people, "practitioner").get(url).content.decode()
    assert "cannot see any of this cycle" in practitioner
    assert _as(client, people, "liverpool.manager").get(url).status_code == 404


def test_the_heat_map_exports_the_same_rows(client, people, cycle, police_return):
    submitted(police_return, people["agencylead"], ratings=(1, 2, 4))
    response = _as(client, people, "agencylead").get(
        f"/self-assessment/cycles/{cycle.reference}/heat-map.csv"
    )
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "agency,state,standard 1,standard 2,standard 3"
    assert lines[1:] == ["Merseyside Police,Submitted,1,2,4"]
    xlsx = client.get(f"/self-assessment/cycles/{cycle.reference}/heat-map.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(f"/self-assessment/cycles/{cycle.reference}/heat-map.pdf").status_code == 404


def test_opening_a_cycle_on_the_site(client, people, standard_set, world):
    page = _as(client, people, "manager").get("/self-assessment/cycles/new/")
    assert page.status_code == 200
    police = world.agencies[("Wirral", "Police")]
    due = timezone.localdate() + timedelta(days=40)
    response = client.post(
        "/self-assessment/cycles/new/",
        {
            "standard_set": standard_set.pk,
            "title": "Section 11 2027",
            "agencies": [police.pk],
            **_date("due_date", due),
        },
    )
    assert response.status_code == 302
    assert AgencyReturn.objects.get().agency == police
    assert _as(client, people, "agencylead").get("/self-assessment/cycles/new/").status_code == 403


# Every audits page that names a record, for people who may not see it.


AUDIT_PAGES = sorted(
    route.path
    for route in routes()
    if getattr(route.callback, "__module__", "").startswith("audits.")
    and route.converters - {"fmt"}
)
OUTSIDERS = ("liverpool.manager", "halton.reviewer", "no.partnership")


def test_the_walk_finds_the_audit_pages():
    assert len(AUDIT_PAGES) >= 10


def _url(path, police_return, assessment, standard_set, case):
    values = {
        "self-assessment/returns/": police_return.pk,
        "self-assessment/assessments/": assessment.pk,
        "self-assessment/cycles/": police_return.cycle.reference,
        "standards/": standard_set.pk,
        "self-assessment/regional/": standard_set.pk,
        "case-audits/cases/": case.pk,
        "case-audits/": case.audit.reference,
    }
    path = path.replace("<str:fmt>", "csv")
    prefix = next(p for p in values if path.startswith(p))
    head, _, rest = path.partition("<")
    return "/" + head + str(values[prefix]) + rest.split(">", 1)[1]


def _snapshot():
    return (
        list(Assessment.objects.order_by("pk").values()),
        list(AgencyReturn.objects.order_by("pk").values()),
        ReturnEvidence.objects.count(),
        Action.objects.count(),
        list(CaseAudit.objects.order_by("pk").values()),
        list(AuditCase.objects.order_by("pk").values()),
        CaseGrading.objects.count(),
    )


@pytest.mark.parametrize("path", AUDIT_PAGES)
def test_outsiders_find_nothing_and_change_nothing(
    client, people, police_return, standard_set, path
):
    from tests.partnership.test_admin_write_matrix import _subject

    submitted(police_return, people["agencylead"], ratings=(1, 3, 3))
    assessment = police_return.assessments.get(standard__code="1")
    case = graded_case(people, police_return.cycle.partnership)
    url = _url(path, police_return, assessment, standard_set, case)
    before = _snapshot()
    for name in OUTSIDERS:
        client.force_login(_subject(people, name))
        assert client.get(url).status_code in (404, 405), (name, url)
        posted = {
            "rate-rating": "4",
            "challenge-text": "x",
            "respond-text": "x",
            "agree-rating": "1",
            **_date("agree-due_date", LATER),
            "submit-signed_by_name": "X",
            "grade-grade": "1",
            "case-identifier": "Case Z",
            "case-level_of_need": "1",
            "case-age_band": "1_4",
        }
        assert client.post(url, posted).status_code in (404, 405), (name, url)
    assert _snapshot() == before
    # The control: Wirral's quality assurance reaches the page.
    client.force_login(get_user_model().objects.get(pk=people["qa"].pk))
    assert client.get(url).status_code in (200, 405), url


def test_a_big_cycle_pages_its_heat_map_and_counts_every_return(
    client, people, standard_set, wirral
):
    schools = Agency.objects.bulk_create(
        Agency(
            partnership=wirral,
            name=f"School {n:02d}",
            short_name=f"S{n:02d}",
            sector=Sector.EDUCATION,
        )
        for n in range(55)
    )
    cycle = open_cycle(standard_set, people, schools)
    url = f"/self-assessment/cycles/{cycle.reference}/"
    first = _as(client, people, "qa").get(url).content.decode()
    assert "agencies 1 to 50 of 55" in first
    assert "School 49" in first and "School 50" not in first
    assert 'href="?page=2"' in first
    second = client.get(url + "?page=2").content.decode()
    assert "School 50" in second and "School 54" in second and "School 00" not in second
    # The figures above the table count every return, not the page's.
    assert ">55</dd>" in "".join(second.split())
    export = client.get(url + "heat-map.csv").content.decode("utf-8-sig").splitlines()
    assert len(export) == 56


def test_the_cycle_page_shows_its_timeline(client, people, cycle, police_return):
    url = f"/self-assessment/cycles/{cycle.reference}/"
    page = " ".join(_as(client, people, "qa").get(url).content.decode().split())
    assert "Returns due, " in page and "30 days left: 2 of 2 outstanding" in page
    submitted(police_return, people["agencylead"])
    later = cycle.due_date + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        page = " ".join(_as(client, people, "qa").get(url).content.decode().split())
    assert "3 days overdue: 1 of 2 outstanding" in page
    assert "0 of 2 returns agreed" in page
