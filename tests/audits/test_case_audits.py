"""Multi-agency case audits through the pages people use: quality assurance plans an audit and
its sample, each agency's lead grades the cases, moderation agrees the grades; a re-audit of an
embedded action's theme puts its comparison on the action as evidence of impact. Who may do each
step, what each person sees, and that nothing names a child."""

from datetime import date

import pytest

from audits import case_audits
from audits.cycles import AuditError
from audits.models import AuditCase, CaseAudit, CaseAuditState, CaseGrading, Grade
from learning.models import ActionState, EvidenceKind, ImpactType
from partnership.models import Theme
from reviews.models import Finding, ReviewType
from tests.learning.actions_world import make_action

pytestmark = pytest.mark.django_db
QUARTER = date(2027, 4, 1)


@pytest.fixture
def neglect():
    theme, _ = Theme.objects.get_or_create(slug="neglect", defaults={"name": "Neglect"})
    return theme


@pytest.fixture
def police(world):
    return world.agencies[("Wirral", "Police")]


@pytest.fixture
def health(world):
    return world.agencies[("Wirral", "NHS trust")]


def plan(people, wirral, theme, agencies, **extra):
    return case_audits.plan_audit(
        people["qa"],
        wirral,
        title=extra.pop("title", "Neglect: children on child in need plans"),
        theme=theme,
        quarter=extra.pop("quarter", date(2027, 5, 12)),
        questions="Was the child seen and heard?\nWas the plan clear?",
        agencies=agencies,
        **extra,
    )


def moderated(people, audit, grades):
    """The sample with these agreed grades, graded by the Police lead, moderated."""
    for n in range(len(grades)):
        case_audits.add_case(
            audit, people["qa"], identifier=f"Case {chr(65 + n)}", level_of_need=3, age_band="5_10"
        )
    case_audits.start_grading(audit, people["qa"])
    for case, grade in zip(audit.cases.order_by("identifier"), grades, strict=True):
        case_audits.grade_case(case, people["agencylead"], grade=grade)
        case_audits.agree_grade(case, people["qa"], grade=grade)
    return case_audits.close_moderation(audit, people["qa"])


@pytest.fixture
def audit(people, wirral, neglect, police, health):
    return plan(people, wirral, neglect, [police, health])


def test_planning_opens_a_review_for_the_findings_on_the_quarter(audit, wirral, neglect):
    review = audit.review
    assert review.review_type == ReviewType.MULTI_AGENCY_AUDIT
    assert review.reference == f"{wirral.short_name[:3].upper()}-MAA-2027-01"
    assert list(review.themes.all()) == [neglect] and review.live
    assert audit.quarter == QUARTER and audit.quarter_label == "April to June 2027"
    assert audit.question_list == ["Was the child seen and heard?", "Was the plan clear?"]


def test_only_the_partnerships_qa_and_managers_plan(people, wirral, neglect, police):
    for name in ("agencylead", "practitioner", "reviewer", "liverpool.manager"):
        with pytest.raises(AuditError):
            case_audits.plan_audit(
                people[name],
                wirral,
                title="Not theirs",
                theme=neglect,
                quarter=QUARTER,
                questions="Q",
                agencies=[police],
            )
    assert not CaseAudit.objects.exists()


@pytest.mark.parametrize("identifier", ["Jane Smith", "Mary-Ann Jones", "Case 12/03/2019"])
def test_a_case_identifier_that_names_a_child_is_refused(audit, people, identifier):
    with pytest.raises(AuditError, match="pseudonymised identifier"):
        case_audits.add_case(
            audit, people["qa"], identifier=identifier, level_of_need=2, age_band="1_4"
        )
    assert not audit.cases.exists()


def test_agency_leads_grade_only_for_their_own_agency_and_only_while_grading(audit, people, world):
    case = case_audits.add_case(
        audit, people["qa"], identifier="Case A", level_of_need=4, age_band="under_1"
    )
    with pytest.raises(AuditError, match="not taking gradings"):
        case_audits.grade_case(case, people["agencylead"], grade=Grade.GOOD)
    case_audits.start_grading(audit, people["qa"])
    case_audits.grade_case(case, people["agencylead"], grade=Grade.GOOD, worked_well="Seen")
    case_audits.grade_case(case, people["healthlead"], grade=Grade.INADEQUATE)
    # Changing a grading replaces the agency's own; it never writes another agency's.
    case_audits.grade_case(case, people["agencylead"], grade=Grade.OUTSTANDING)
    by_agency = dict(CaseGrading.objects.values_list("agency__short_name", "grade"))
    assert by_agency == {"Police": Grade.OUTSTANDING, "NHS trust": Grade.INADEQUATE}
    for name in ("qa", "practitioner", "liverpool.manager"):
        with pytest.raises(AuditError):
            case_audits.grade_case(case, people[name], grade=Grade.GOOD)


def test_moderation_needs_every_case_agreed(audit, people):
    case_audits.add_case(audit, people["qa"], identifier="Case A", level_of_need=3, age_band="5_10")
    case_audits.add_case(audit, people["qa"], identifier="Case B", level_of_need=3, age_band="5_10")
    case_audits.start_grading(audit, people["qa"])
    first = audit.cases.get(identifier="Case A")
    case_audits.agree_grade(first, people["qa"], grade=Grade.GOOD)
    with pytest.raises(AuditError, match="every case"):
        case_audits.close_moderation(audit, people["qa"])
    with pytest.raises(AuditError):
        case_audits.agree_grade(first, people["agencylead"], grade=Grade.INADEQUATE)
    assert AuditCase.objects.get(pk=first.pk).agreed_by == people["qa"]


def test_a_re_audit_puts_its_comparison_on_the_embedded_action(
    people, wirral, neglect, police, health, world
):
    earlier = plan(people, wirral, neglect, [police, health])
    moderated(people, earlier, [1, 2, 2, 3, 2])
    action = make_action(world, "WIR-ACT-NEGLECT", state=ActionState.EMBEDDED)
    with pytest.raises(AuditError, match="same theme"):
        other, _ = Theme.objects.get_or_create(slug="cse", defaults={"name": "CSE"})
        plan(people, wirral, other, [police], re_audit_of=earlier, tested_action=action)
    re_audit = plan(
        people,
        wirral,
        neglect,
        [police, health],
        title="Re-audit: neglect",
        quarter=date(2028, 1, 10),
        re_audit_of=earlier,
        tested_action=action,
    )
    moderated(people, re_audit, [3, 3, 4, 2, 3])
    evidence = action.evidence.get()
    assert (evidence.kind, evidence.impact_type) == (EvidenceKind.IMPACT, ImpactType.RE_AUDIT)
    assert evidence.text == (
        f"Re-audit {re_audit.reference}: 4 of 5 cases good or better, was 1 of 5 "
        f"({earlier.reference})."
    )
    assert CaseAudit.objects.get(pk=re_audit.pk).impact_evidence == evidence
    action.refresh_from_db()
    assert action.state == ActionState.EMBEDDED  # evidence of impact, not a change of state


def test_a_re_audit_tests_only_a_done_action_of_the_partnership(
    people, wirral, neglect, police, world
):
    earlier = plan(people, wirral, neglect, [police])
    moderated(people, earlier, [2])
    for action in (
        make_action(world, "WIR-ACT-OPEN"),
        make_action(world, "LIV-ACT-DONE", partnership="Liverpool", state=ActionState.EMBEDDED),
    ):
        with pytest.raises(AuditError, match="completed or embedded"):
            plan(people, wirral, neglect, [police], re_audit_of=earlier, tested_action=action)


# The pages


def _as(client, people, name):
    client.force_login(people[name])
    return client


def test_the_journey_through_the_pages(client, people, wirral, neglect, police, health):
    qa = _as(client, people, "qa")
    response = qa.post(
        "/case-audits/new/",
        {
            "title": "Neglect: children on plans",
            "theme": neglect.pk,
            "quarter": "2027-04-01",
            "questions": "Was the child seen?",
            "agencies": [police.pk, health.pk],
        },
    )
    audit = CaseAudit.objects.get()
    assert (
        response.status_code == 302 and response["Location"] == f"/case-audits/{audit.reference}/"
    )
    url = f"/case-audits/{audit.reference}/"
    bad = qa.post(
        url + "cases/",
        {"case-identifier": "Jane Smith", "case-level_of_need": "3", "case-age_band": "5_10"},
    )
    assert bad.status_code == 400 and b"pseudonymised identifier" in bad.content
    assert b'value="Jane Smith"' in bad.content  # what was typed stays to correct
    qa.post(
        url + "cases/",
        {"case-identifier": "Case A", "case-level_of_need": "3", "case-age_band": "5_10"},
    )
    qa.post(url + "start/")
    case = audit.cases.get()
    lead = _as(client, people, "agencylead")
    page = lead.get(f"/case-audits/cases/{case.pk}/")
    assert b"Your agency&#x27;s grading" in page.content or b"Your agency's grading" in page.content
    assert b"Agree the grade" not in page.content
    lead.post(
        f"/case-audits/cases/{case.pk}/grade/",
        {"grade-grade": "2", "grade-worried_about": "Fictional worry for the Police only"},
    )
    # The NHS lead sees the case but not the Police's grading.
    health_page = _as(client, people, "healthlead").get(f"/case-audits/cases/{case.pk}/")
    assert b"Fictional worry" not in health_page.content and health_page.status_code == 200
    qa = _as(client, people, "qa")
    assert b"Fictional worry" in qa.get(f"/case-audits/cases/{case.pk}/").content
    qa.post(f"/case-audits/cases/{case.pk}/agree/", {"agree-grade": "3"})
    assert qa.post(url + "moderated/").status_code == 302
    assert CaseAudit.objects.get().state == CaseAuditState.MODERATED
    report = qa.get("/case-audits/report/").content.decode()
    assert audit.reference in report and "1 (100%)" in report
    csv = qa.get("/case-audits/report.csv").content.decode("utf-8-sig").splitlines()
    assert csv[1].startswith(f"Neglect,{audit.reference},April to June 2027,,1,1,100")
    # Another partnership's manager gets the report too, with none of Wirral's audits in it.
    outsider = _as(client, people, "liverpool.manager")
    assert audit.reference not in outsider.get("/case-audits/report/").content.decode()
    assert outsider.get("/case-audits/report.csv").content.decode("utf-8-sig").count("\n") == 1


def test_findings_written_in_the_review_show_on_the_audit(client, people, audit):
    Finding.objects.create(
        review=audit.review, title="Neglect was seen late", text="Fictional finding text."
    )
    page = _as(client, people, "qa").get(f"/case-audits/{audit.reference}/").content.decode()
    assert "Neglect was seen late" in page
    assert f"/admin/snippets/reviews/review/edit/{audit.review.pk}/" in page


@pytest.mark.parametrize("year", ["abc", "99999999999", "-1", "2027"])
def test_the_programme_takes_any_year_it_is_given(client, people, audit, year):
    client.force_login(people["qa"])
    response = client.get(f"/case-audits/?year={year}")
    assert response.status_code == 200
    assert (audit.reference in response.content.decode()) == (year == "2027")
