"""The pages of single library records (a key finding, a recommendation, a published review
report): who gets each page, role by role and level by level, in the style of
tests/partnership/test_access_matrix.py; what each page lists of the records linked to it; that
confidential detail never reaches them; that the library links to them; and that each costs the
same few queries however many findings and recommendations a review has.

The expected answers are written out from DESIGN.md ("Who may see what") and each model's rule,
never read from the policy; every case also checks that the page agrees with `can_view`."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from partnership.access import SharingLevel, can_view
from partnership.models import Region, Role
from reviews.audit import VIEWED
from reviews.models import Finding, Recommendation, Review, ReviewLogEntry, ReviewStatus
from tests.access_people import partnership_in, subject_person

from .library_world import finding, library, review

LEVELS = [
    SharingLevel.RESTRICTED,
    SharingLevel.PARTNERSHIP,
    SharingLevel.REGIONAL,
    SharingLevel.PUBLIC,
]
PUBLIC, REGIONAL = SharingLevel.PUBLIC, SharingLevel.REGIONAL
PARTNERSHIP, RESTRICTED = SharingLevel.PARTNERSHIP, SharingLevel.RESTRICTED
RELATIONS = ["own", "same_region", "other_region", "participating"]

# A member of a partnership, by where the record's owner stands (restricted, partnership,
# regional, public).
MEMBER_SEES = {
    "own": (False, True, True, True),
    "same_region": (False, False, True, True),
    "other_region": (False, False, False, True),
    # The review is led by a neighbour and the person's partnership takes part in it.
    "participating": (False, True, True, True),
}
# Those who see everything their own partnership owns, restricted included: its managers for
# every record, and its quality assurance team too for recommendations (they follow them to
# embedded learning).
OVERSEERS = {
    "finding": {Role.PARTNERSHIP_MANAGER},
    "report": {Role.PARTNERSHIP_MANAGER},
    "recommendation": {Role.PARTNERSHIP_MANAGER, Role.QUALITY_ASSURANCE},
}
OUTSIDERS = ("anonymous", "no_membership", "inactive_manager")
SUBJECTS = [role.value for role in Role] + [*OUTSIDERS, "superuser"]
PAGES = {
    "finding": "library-finding",
    "recommendation": "library-recommendation",
    "report": "library-report",
}


def expected(kind, subject, relation, level, named) -> bool:
    column = LEVELS.index(level)
    if subject == "superuser":
        return True
    if subject in OUTSIDERS:
        return level == SharingLevel.PUBLIC
    if named:  # on the review's panel
        return True
    if relation == "own" and subject in OVERSEERS[kind]:
        return True
    return MEMBER_SEES[relation][column]


@pytest.fixture
def places(db):
    north = Region.objects.create(name="North Test Region", slug="north-test")
    south = Region.objects.create(name="South Test Region", slug="south-test")
    return {
        "home": partnership_in(north, "Home"),
        "neighbour": partnership_in(north, "Neighbour"),
        "away": partnership_in(south, "Away"),
    }


def _shelf(places, person):
    """For every relation and level, a published review with a finding and a recommendation
    at the same level; restricted and partnership-level ones again with the person on the
    review's panel (the policy names panel members at every level)."""
    owners = {
        "own": ("home", []),
        "same_region": ("neighbour", []),
        "other_region": ("away", []),
        "participating": ("neighbour", ["home"]),
    }
    cases = {}
    for relation, (owner, taking_part) in owners.items():
        for level in LEVELS:
            for named in (False, True) if level in LEVELS[:2] else (False,):
                if named and not person.is_authenticated:
                    continue
                report = review(places[owner], level)
                if taking_part:
                    report.participating_partnerships.set([places[p] for p in taking_part])
                if named:
                    report.panel.set([person])
                report.save()
                found = finding(report, level)
                answer = Recommendation.objects.create(
                    review=report, text=f"Fictional recommendation {found.pk}.", sharing_level=level
                )
                answer.findings.set([found])
                answer.save()
                records = {"report": report, "finding": found, "recommendation": answer}
                for kind, record in records.items():
                    cases[(kind, relation, level, named)] = record
    return cases


@pytest.mark.parametrize("subject", SUBJECTS)
def test_each_page_is_found_exactly_when_the_policy_lets_the_reader_see_it(places, subject):
    person = subject_person(subject, places["home"])
    cases = _shelf(places, person)
    client = Client()
    if person.is_authenticated:
        client.force_login(person)
    models = {"report": Review, "finding": Finding, "recommendation": Recommendation}

    for (kind, relation, level, named), record in cases.items():
        want = expected(kind, subject, relation, level, named)
        case = f"{kind} of {subject}: {relation} {level} {'named' if named else 'not named'}"
        assert can_view(person, models[kind].objects.get(pk=record.pk)) is want, case
        status = client.get(reverse(PAGES[kind], args=[record.pk])).status_code
        # Not found, never forbidden: a hidden record's existence is not revealed.
        assert status == (200 if want else 404), case


def test_only_settled_findings_and_published_reports_have_pages_even_for_a_superuser(
    client, world, wirral
):
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    for status in [ReviewStatus.DRAFT, ReviewStatus.IN_PROGRESS, ReviewStatus.EMBARGOED]:
        unsettled = review(wirral, PUBLIC, status=status)
        found = finding(unsettled, PUBLIC)
        answer = Recommendation.objects.create(review=unsettled, text="x", sharing_level=PUBLIC)
        for name, pk in [
            ("library-report", unsettled.pk),
            ("library-finding", found.pk),
            ("library-recommendation", answer.pk),
        ]:
            assert client.get(reverse(name, args=[pk])).status_code == 404, (status, name)
    # Signed off: its findings are learning, but it has no published report.
    signed_off = review(wirral, PUBLIC, status=ReviewStatus.SIGNED_OFF)
    found = finding(signed_off, PUBLIC)
    assert client.get(reverse("library-report", args=[signed_off.pk])).status_code == 404
    assert client.get(reverse("library-finding", args=[found.pk])).status_code == 200
    assert client.get(reverse("library-finding", args=[999999])).status_code == 404


@pytest.fixture
def child_q(world, wirral):
    """A published partnership-level review of "Child Q" with confidential detail, a regional
    finding, and two recommendations answering it: one partnership-level, one restricted."""
    report = review(wirral, PARTNERSHIP, "Learning review: busy household")
    report.subject_pseudonym = "Child Quetzal"
    report.confidential_details = "Real name Jane Exampleton, born 1 May 2015, 4 Privet Drive."
    report.decision_date = date(2026, 1, 10)
    report.save()
    found = finding(report, REGIONAL, "Fathers were not seen", themes=["neglect"])
    found.practice_area = "assessment"
    found.save()
    shared = Recommendation.objects.create(
        review=report, text="Ask about every adult in the household.", sharing_level=PARTNERSHIP
    )
    kept = Recommendation.objects.create(
        review=report, text="Restricted recommendation for the panel.", sharing_level=RESTRICTED
    )
    for answer in (shared, kept):
        answer.findings.set([found])
        answer.save()
    return {"review": report, "finding": found, "shared": shared, "kept": kept}


def test_a_finding_lists_only_the_recommendations_the_reader_may_see(client, people, child_q):
    url = reverse("library-finding", args=[child_q["finding"].pk])
    client.force_login(people["practitioner"])  # Wirral: partnership level, not restricted
    html = client.get(url).text
    assert "Fathers were not seen" in html
    assert "Ask about every adult in the household." in html
    assert reverse("library-recommendation", args=[child_q["shared"].pk]) in html
    assert "Restricted recommendation" not in html
    assert reverse("library-recommendation", args=[child_q["kept"].pk]) not in html
    # Its other facts: kind and lead of the review, practice area, theme links, date, sharing.
    assert "local child safeguarding practice review" in html.casefold()
    assert "Wirral Safeguarding Children Partnership" in html
    assert "assessment" in html
    assert f'href="{reverse("theme", args=["neglect"])}"' in html
    assert "1 February 2026" in html
    assert '<strong class="govuk-tag govuk-tag--grey">Regional</strong>' in html

    client.force_login(people["manager"])  # Wirral's manager sees the restricted one too
    assert "Restricted recommendation for the panel." in client.get(url).text

    # A reader from another partnership sees the regional finding, but neither recommendation
    # (partnership and restricted) nor the partnership-level review's title.
    client.force_login(people["liverpool.practitioner"])
    html = client.get(url).text
    assert "Fathers were not seen" in html
    assert "Ask about every adult" not in html and "Restricted recommendation" not in html
    assert "No recommendation that you can see answers this finding." in html
    assert "busy household" not in html
    assert reverse("library-report", args=[child_q["review"].pk]) not in html


def test_a_recommendation_lists_only_the_findings_the_reader_may_see(client, people, child_q):
    hidden = finding(child_q["review"], RESTRICTED, "Restricted finding of the panel")
    child_q["shared"].findings.add(hidden)
    child_q["shared"].save()
    url = reverse("library-recommendation", args=[child_q["shared"].pk])

    client.force_login(people["practitioner"])
    html = client.get(url).text
    assert "Ask about every adult in the household." in html
    assert reverse("library-finding", args=[child_q["finding"].pk]) in html
    assert "Restricted finding" not in html
    # Signed in to Wirral, the practitioner may open the partnership-level report: it is linked.
    assert reverse("library-report", args=[child_q["review"].pk]) in html

    client.force_login(people["manager"])
    assert "Restricted finding of the panel" in client.get(url).text


def test_a_report_shows_what_its_library_entry_does_and_what_the_reader_may_see(
    client, people, child_q, wirral
):
    url = reverse("library-report", args=[child_q["review"].pk])
    client.force_login(people["practitioner"])
    html = client.get(url).text
    assert "Learning review: busy household" in html
    assert child_q["review"].reference in html
    assert "Summary of fictional review" in html
    assert "Fathers were not seen" in html and "Ask about every adult" in html
    assert "Restricted recommendation" not in html
    assert "Improvements only" not in html
    # The way back: the region's library and the partnership's.
    region, own = library(), library(wirral)
    html = client.get(url).text
    assert 'aria-label="Breadcrumb"' in html
    assert f'href="{region.url}"' in html and f'href="{own.url}"' in html

    improvements = review(wirral, PUBLIC, status=ReviewStatus.PUBLISHED_IMPROVEMENTS_ONLY)
    html = client.get(reverse("library-report", args=[improvements.pk])).text
    assert "Improvements only</strong>" in html
    assert "Only the improvements the partnership is making are published" in html


def test_confidential_detail_never_reaches_a_page(client, child_q):
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))
    for name, record in [
        ("library-report", child_q["review"]),
        ("library-finding", child_q["finding"]),
        ("library-recommendation", child_q["shared"]),
    ]:
        html = client.get(reverse(name, args=[record.pk])).text
        assert "Quetzal" not in html, name
        assert "Exampleton" not in html and "Privet" not in html, name


def test_reading_a_restricted_report_is_audited(client, people, wirral):
    restricted = review(wirral, RESTRICTED)
    open_one = review(wirral, PUBLIC)
    client.force_login(people["manager"])
    assert client.get(reverse("library-report", args=[restricted.pk])).status_code == 200
    assert client.get(reverse("library-report", args=[open_one.pk])).status_code == 200
    entries = ReviewLogEntry.objects.filter(action=VIEWED)
    assert [(e.review_id, e.user_id) for e in entries] == [(restricted.pk, people["manager"].pk)]


def test_the_library_links_reports_and_findings_to_their_pages(client, wirral):
    region = library()
    report = review(wirral, PUBLIC, "Linked report")
    found = finding(report, PUBLIC, "Linked finding")
    html = client.get(region.url).text
    assert f'href="{reverse("library-report", args=[report.pk])}">Linked report</a>' in html
    assert f'href="{reverse("library-finding", args=[found.pk])}">Linked finding</a>' in html


# The most a signed-in page may cost (bench/targets.py's QUERY_LIMIT).
QUERY_CEILING = 15


def test_each_page_costs_the_same_small_or_large(
    client, people, wirral, world, django_assert_max_num_queries
):
    """A practitioner's finding, recommendation and report pages cost at most 15 queries, the
    same with 2 findings and recommendations as with 30, every one linked to every other."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    library()
    library(wirral)
    report = review(wirral, PARTNERSHIP, themes=["neglect", "cse"])
    findings, answers = [], []

    def add(n):
        for _ in range(n):
            findings.append(finding(report, REGIONAL, themes=["neglect", "domestic-abuse"]))
            answers.append(
                Recommendation.objects.create(review=report, text="x", sharing_level=PARTNERSHIP)
            )
        for answer in answers:
            answer.findings.set(findings)

    client.force_login(people["practitioner"])

    def costs():
        urls = [
            reverse("library-finding", args=[findings[0].pk]),
            reverse("library-recommendation", args=[answers[0].pk]),
            reverse("library-report", args=[report.pk]),
        ]
        found = {}
        for url in urls:
            client.get(url)  # fills per-process caches (site root paths)
            with django_assert_max_num_queries(QUERY_CEILING):
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
            assert response.status_code == 200
            found[url] = len(captured)
        return found, response

    add(2)
    small, _ = costs()
    add(28)
    large, response = costs()
    assert large == small
    assert response.text.count(reverse("library-finding", args=[findings[-1].pk])) == 1
