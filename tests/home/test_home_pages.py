"""What needs me: each person's home page shows their own work, built from the services that own
the rules, links to where the work is done, and never shows another partnership's records.

Driven through the real pages: the site's home (`/`) and the admin's home (`/admin/`)."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning.models import ActionState, ExtensionDecision, ExtensionRequest
from partnership.access import SharingLevel
from tests.learning.library_world import briefing
from tests.training.factories_register import make_booking
from training import register
from training.models import BookingState

NOW = timezone.make_aware(timezone.datetime(2027, 3, 10, 9, 0))


def _book(user, session, state, **fields):
    return make_booking(session, user, state, **fields)


TODAY = NOW.date()


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def section(html: str, key: str) -> str:
    """The HTML of one "what needs me" section of a page, site or admin ('' when absent)."""
    found = re.search(rf'id="home-{key}".*?</section>', html, re.S) or re.search(
        rf'id="{key}-section".*?</section>', html, re.S
    )
    return found.group(0) if found else ""


def links(html: str) -> list[str]:
    return re.findall(r'<a [^>]*href="([^"]+)"', html)


@pytest.fixture
def library(world):
    from hub.models import HomePage
    from learning import demo_briefings

    return demo_briefings.library_for(HomePage.objects.get(), world.partnerships["Wirral"])


# The practitioner ---------------------------------------------------------------------------


@pytest.fixture
def pats_day(people, make_course, make_session, library, world):
    """Pat (Wirral Early Help) has an offer expiring tomorrow, a booked session, an attended
    session to evaluate, and briefings: one for her agency unread, one read, one for another
    agency, and a Liverpool partnership-only one."""
    pat = people["practitioner"]
    course = make_course(title="Neglect: seeing the child")
    offered = _book(
        pat,
        make_session(course, starts_at=NOW + timedelta(days=20)),
        BookingState.OFFERED,
        offered_at=NOW - timedelta(hours=2),
        offer_expires_at=NOW + timedelta(hours=22),
    )
    booked = _book(
        pat,
        make_session(make_course(title="Toxic trio"), starts_at=NOW + timedelta(days=5)),
        BookingState.BOOKED,
    )
    attended = _book(
        pat,
        make_session(make_course(title="Safer sleep"), starts_at=NOW - timedelta(days=3)),
        BookingState.ATTENDED,
    )
    early_help = world.agencies[("Wirral", "Early help")]
    police = world.agencies[("Wirral", "Police")]
    unread = briefing(
        library,
        world.partnerships["Wirral"],
        SharingLevel.PARTNERSHIP,
        "Bruising in babies",
        audiences=[early_help],
        when=date(2027, 3, 1),
    )
    read = briefing(
        library,
        world.partnerships["Wirral"],
        SharingLevel.PARTNERSHIP,
        "Already read",
        audiences=[early_help],
    )
    read.acknowledgements.create(user=pat, agency=early_help)
    briefing(
        library,
        world.partnerships["Wirral"],
        SharingLevel.PARTNERSHIP,
        "For the police",
        audiences=[police],
    )
    from hub.models import HomePage
    from learning import demo_briefings

    liverpool_library = demo_briefings.library_for(
        HomePage.objects.get(), world.partnerships["Liverpool"]
    )
    briefing(
        liverpool_library,
        world.partnerships["Liverpool"],
        SharingLevel.PARTNERSHIP,
        "Liverpool only",
        audiences=[world.agencies[("Liverpool", "Early help")]],
    )
    return {"offered": offered, "booked": booked, "attended": attended, "unread": unread}


def test_the_practitioner_sees_her_offer_first_with_when_it_expires(client, people, pats_day):
    client.force_login(people["practitioner"])
    html = client.get("/").content.decode()
    offers = section(html, "training-offers")
    assert "Accept your place on Neglect: seeing the child" in offers
    assert "Expires in 22" in offers and "govuk-tag--red" in offers
    assert f"/my-training/#offer-{pats_day['offered'].pk}" in links(offers)
    # The offer is the first thing on the page.
    assert html.index('id="home-training-offers"') < html.index('id="home-training-next"')


def test_the_practitioner_sees_her_next_session_and_the_evaluation_that_releases_her_certificate(
    client, people, pats_day
):
    client.force_login(people["practitioner"])
    html = client.get("/").content.decode()
    assert "Toxic trio" in section(html, "training-next")
    after = section(html, "training-after")
    assert "Evaluate Safer sleep" in after and "certificate" in after
    assert f"/evaluations/{pats_day['attended'].pk}/" in links(after)


def test_only_unread_briefings_for_her_agency_that_she_may_see(client, people, pats_day):
    client.force_login(people["practitioner"])
    unread = section(client.get("/").content.decode(), "briefings-unread")
    assert "Bruising in babies" in unread
    assert pats_day["unread"].url in links(unread)
    for hidden in ("Already read", "For the police", "Liverpool only"):
        assert hidden not in unread


def test_every_link_on_a_persons_home_opens_for_them(client, world, people, pats_day):
    """One click from the home page reaches the work: each link answers 200 for its reader."""
    for name in ("practitioner", "agencylead", "exec"):
        client.force_login(people[name])
        html = client.get("/").content.decode()
        body = html[html.index('id="main-content"') :]
        for url in {u for u in links(body) if u.startswith("/") and "/sign-out" not in u}:
            assert client.get(url).status_code == 200, (name, url)


def test_a_visitor_sees_the_public_home_page_and_no_sections(client, pats_day):
    html = client.get("/").content.decode()
    assert "hub-home-section" not in html and "sign in" in html


# The agency lead ----------------------------------------------------------------------------


@pytest.fixture
def police_actions(make_action, people):
    lead = people["agencylead"]  # Wirral Police
    overdue = make_action(
        description="Re-audit strategy meetings", due_date=TODAY - timedelta(days=4)
    )
    soon = make_action(description="Brief response officers", due_date=TODAY + timedelta(days=6))
    later = make_action(description="Refresh the toolkit", due_date=TODAY + timedelta(days=90))
    done = make_action(description="Already embedded", state=ActionState.EMBEDDED)
    other = make_action(description="Health's own action", agency=("Wirral", "NHS trust"))
    ExtensionRequest.objects.create(
        action=later,
        requested_due_date=TODAY + timedelta(days=120),
        reason="Waiting for the new system.",
        requested_by=lead,
        decision=ExtensionDecision.APPROVED,
        decided_by=people["qa"],
        decided_at=NOW - timedelta(days=2),
    )
    return {"overdue": overdue, "soon": soon, "later": later, "done": done, "other": other}


def test_the_agency_lead_sees_her_agencys_open_actions_by_rag_the_overdue_first(
    client, people, police_actions
):
    client.force_login(people["agencylead"])
    mine = section(client.get("/").content.decode(), "actions-mine")
    figures = dict(
        (label, int(value))
        for value, label in re.findall(
            r'hub-figure__value">(\d+)</span>\s*<span class="hub-figure__label">([^<]+)<', mine
        )
    )
    assert figures == {"Overdue": 1, "Due soon": 1, "On track": 1}
    order = [mine.index(police_actions[k].reference) for k in ("overdue", "soon", "later")]
    assert order == sorted(order)
    assert "4 days overdue" in mine
    assert police_actions["done"].reference not in mine
    assert police_actions["other"].reference not in mine


def test_the_agency_lead_sees_the_decision_on_her_extension_request(client, people, police_actions):
    client.force_login(people["agencylead"])
    decisions = section(client.get("/").content.decode(), "actions-extensions")
    assert police_actions["later"].reference in decisions and "Approved" in decisions


def test_a_practitioner_with_no_actions_sees_no_actions_section(client, people, police_actions):
    client.force_login(people["practitioner"])
    assert section(client.get("/").content.decode(), "actions-mine") == ""


# Staff, in the admin --------------------------------------------------------------------------


@pytest.fixture
def trainers_week(people, make_course, make_session, make_person):
    trainer = people["trainer"]
    course = make_course(title="Working with fathers")
    coming = make_session(course, starts_at=NOW + timedelta(days=2), capacity=2)
    coming.trainers.add(trainer)
    delegate = make_person("delegate.one")
    _book(delegate, coming, BookingState.BOOKED)
    _book(make_person("delegate.two"), coming, BookingState.BOOKED)
    _book(make_person("delegate.three"), coming, BookingState.WAITING, waiting_since=NOW)
    past = make_session(course, starts_at=NOW - timedelta(days=1))
    past.trainers.add(trainer)
    _book(delegate, past, BookingState.BOOKED)
    return {"coming": coming, "past": past}


def test_the_trainer_sees_the_register_to_mark_and_the_next_session_with_places(
    client, people, trainers_week
):
    client.force_login(people["trainer"])
    html = client.get("/admin/").content.decode()
    registers = section(html, "trainer-registers")
    assert "Working with fathers" in registers and "1 delegates not yet marked" in registers
    assert f"/admin/training/registers/{trainers_week['past'].pk}/" in links(registers)
    sessions = section(html, "trainer-sessions")
    assert "2 of 2 places taken, 1 waiting" in sessions and "Full" in sessions
    # A trainer has no part in any review: no deadlines panel.
    assert 'id="review-deadlines"' not in html
    # Marked, the register leaves the list at once, though the trainer's sections are kept.
    past = trainers_week["past"]
    marks = {b.pk: BookingState.ATTENDED for b in past.bookings.all()}
    register.mark(past, people["trainer"], marks, now=NOW + timedelta(hours=1))
    html = client.get("/admin/").content.decode()
    assert "Working with fathers" not in section(html, "trainer-registers")


@pytest.fixture
def qa_queue(make_action, people):
    waiting = make_action(description="Audit evidenced", state=ActionState.IMPACT_EVIDENCED)
    asked = make_action(description="Needs more time")
    extension = ExtensionRequest.objects.create(
        action=asked,
        requested_due_date=TODAY + timedelta(days=60),
        reason="Staff changes.",
        requested_by=people["agencylead"],
    )
    liverpool = make_action(
        description="Liverpool's evidenced action",
        state=ActionState.IMPACT_EVIDENCED,
        agency=("Liverpool", "Police"),
    )
    return {"waiting": waiting, "extension": extension, "liverpool": liverpool}


def test_quality_assurance_sees_the_sign_offs_and_extension_requests_waiting(
    client, people, qa_queue
):
    client.force_login(people["qa"])
    html = client.get("/admin/").content.decode()
    sign_offs = section(html, "qa-sign-off")
    assert qa_queue["waiting"].reference in sign_offs
    assert qa_queue["liverpool"].reference not in sign_offs
    assert f"/admin/actions/sign-off/{qa_queue['waiting'].pk}/" in links(sign_offs)
    extensions = section(html, "qa-extensions")
    assert f"/admin/actions/extension-requests/{qa_queue['extension'].pk}/" in links(extensions)


def test_every_link_on_a_staff_home_opens_for_them(client, people, qa_queue, trainers_week):
    for name in ("qa", "trainer", "manager", "scrutineer", "reviewer"):
        client.force_login(people[name])
        html = client.get("/admin/").content.decode()
        panels = "".join(re.findall(r'class="[^"]*hub-home-panel.*?</section>', html, re.S))
        for url in set(links(panels)):
            assert client.get(url).status_code == 200, (name, url)


def test_the_manager_and_the_scrutineer_see_the_partnerships_figures(client, people, qa_queue):
    for name in ("manager", "scrutineer"):
        client.force_login(people[name])
        funnel = section(client.get("/admin/").content.decode(), "learning-funnel")
        assert "Recommendations" in funnel and "Embedded" in funnel, name


def test_the_admin_home_drops_wagtails_page_counts(client, people):
    client.force_login(people["manager"])
    html = client.get("/admin/").content.decode()
    assert "w-summary" not in html or "Pages</span>" not in html


# Cost -----------------------------------------------------------------------------------------


def _queries(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # the session, the site and the reader's caches, as on any later visit
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more_of_everything(people, make_course, make_session, make_action, library, world, n):
    pat = people["practitioner"]
    early_help = world.agencies[("Wirral", "Early help")]
    for i in range(n):
        course = make_course(title=f"Extra course {i}")
        _book(
            pat, make_session(course, starts_at=NOW + timedelta(days=30 + i)), BookingState.BOOKED
        )
        _book(
            pat, make_session(course, starts_at=NOW - timedelta(days=30 + i)), BookingState.ATTENDED
        )
        briefing(
            library,
            world.partnerships["Wirral"],
            SharingLevel.PARTNERSHIP,
            f"Extra {i}",
            audiences=[early_help],
        )
        make_action(description=f"Extra action {i}", due_date=TODAY + timedelta(days=i - 3))


def test_each_home_costs_the_same_few_queries_whatever_the_data(
    settings,
    client,
    people,
    pats_day,
    police_actions,
    qa_queue,
    trainers_week,
    make_course,
    make_session,
    make_action,
    library,
    world,
):
    # Measure the pages as built, not from the report caches.
    settings.HUB_PAGE_CACHE_SECONDS = 0
    site = ("practitioner", "agencylead", "exec")
    admin = ("trainer", "qa", "manager")

    def measure():
        return {
            **{name: _queries(client, people[name], "/") for name in site},
            **{name: _admin_section_queries(people[name]) for name in admin},
        }

    before = measure()
    _more_of_everything(people, make_course, make_session, make_action, library, world, 12)
    after = measure()
    assert after == before
    assert all(before[name] <= 15 for name in site), before
    # The Hub's panels on top of Wagtail's own admin home.
    assert all(before[name] <= 8 for name in admin), before


def _admin_section_queries(user) -> int:
    from django.test import RequestFactory

    from hub.home import ADMIN_HOOK, sections_for

    request = RequestFactory().get("/admin/")
    request.user = user
    sections_for(request, ADMIN_HOOK)  # warm the roles and membership, as the admin shell does
    with CaptureQueriesContext(connection) as captured:
        sections_for(request, ADMIN_HOOK)
    return len(captured)


def test_the_executive_group_sees_what_is_escalated_to_it(client, people, make_action):
    long_overdue = make_action(description="Long overdue", due_date=TODAY - timedelta(days=31))
    recent = make_action(description="Just overdue", due_date=TODAY - timedelta(days=30))
    client.force_login(people["exec"])
    html = client.get("/").content.decode()
    escalated = section(html, "executive-escalations")
    assert long_overdue.reference in escalated and "31 days overdue" in escalated
    assert recent.reference not in escalated
    assert "Recommendations" in section(html, "executive-learning")
