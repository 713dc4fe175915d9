"""Demo courses: the course list page, eight courses across themes and partnerships with past and
future sessions, bookings, a full session with a waiting list and a place offered to the demo
practitioner. Every person and course is fictional.

Re-runnable: courses are keyed on slug, delegates on username, and a course that already has
sessions gets none added. Bookings are written directly, not through the booking services, so
loading the demo sends no email. With scale > 1, many more courses, sessions and bookings are
made in bulk for the benchmark."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from hub.models import HomePage
from hub.working_days import is_working_day, subtract_working_days
from learning.models import LearningBriefing
from partnership.access import SharingLevel
from partnership.demo import World, set_demo_password
from partnership.models import Membership, Partnership, Role, Theme

from .models import (
    Booking,
    BookingState,
    Course,
    CourseIndexPage,
    CourseLevel,
    Delivery,
    Duration,
    Session,
    TrainingTerms,
)

COURSE_LIST_SLUG = "courses"
PUB, REG, PART = SharingLevel.PUBLIC, SharingLevel.REGIONAL, SharingLevel.PARTNERSHIP
FND, INT, ADV, REF = (
    CourseLevel.FOUNDATION,
    CourseLevel.INTERMEDIATE,
    CourseLevel.ADVANCED,
    CourseLevel.REFRESHER,
)
HALF, FULL = Duration.HALF_DAY, Duration.FULL_DAY

# slug, title, owner, sharing, level, duration, themes, briefings, summary, approval,
# eligible partnerships (besides the owner)
COURSES = [
    (
        "working-together-essentials",
        "Working together to safeguard children: essentials",
        "Wirral",
        PUB,
        FND,
        HALF,
        ["information-sharing", "thresholds", "voice-of-the-child"],
        ["resolving-professional-differences"],
        "What every practitioner needs to know about multi-agency safeguarding: roles, "
        "thresholds, information sharing and the child's voice.",
        False,
        [],
    ),
    (
        "neglect-graded-care-profile",
        "Recognising and responding to neglect (Graded Care Profile 2)",
        "Wirral",
        PUB,
        INT,
        FULL,
        ["neglect", "was-not-brought", "professional-curiosity"],
        ["was-not-brought"],
        "Use the Graded Care Profile 2 to see neglect early, measure it and show change.",
        True,
        [],
    ),
    (
        "bruising-protocol",
        "Bruising in babies who are not independently mobile",
        "Wirral",
        REG,
        FND,
        HALF,
        ["bruising-non-mobile-babies", "infants", "physical-abuse"],
        ["bruising-in-non-mobile-babies"],
        "The pan-Mersey bruising protocol in practice: see it, refer it, record it.",
        False,
        ["Liverpool", "Sefton", "Knowsley"],
    ),
    (
        "domestic-abuse-coercive-control",
        "Domestic abuse and coercive control",
        "Wirral",
        PUB,
        INT,
        FULL,
        ["domestic-abuse", "unseen-men", "trilogy-of-risk"],
        ["coercive-control-housing"],
        "Recognise coercive control, assess risk with the DASH checklist and plan with families.",
        False,
        [],
    ),
    (
        "exploitation-contextual-safeguarding",
        "Child exploitation and contextual safeguarding",
        "Liverpool",
        REG,
        ADV,
        FULL,
        ["cse", "cce", "extra-familial-harm", "missing-children"],
        ["return-home-interviews"],
        "Harm outside the home: exploitation, county lines and safeguarding the places "
        "children go.",
        False,
        ["Wirral", "Sefton"],
    ),
    (
        "safer-sleep-sudi",
        "Safer sleep and sudden unexpected death in infancy",
        "Sefton",
        PUB,
        FND,
        HALF,
        ["sudi", "infants", "parental-substance-misuse"],
        ["safer-sleep-every-contact"],
        "Give safer sleep advice that lands, at every contact and with fathers too.",
        False,
        ["Wirral", "Liverpool", "Knowsley", "St Helens", "Halton"],
    ),
    (
        "professional-curiosity-challenge",
        "Professional curiosity and respectful challenge",
        "Wirral",
        PART,
        REF,
        HALF,
        ["professional-curiosity", "escalation"],
        [],
        "A refresher for experienced practitioners: asking the next question and escalating "
        "when you disagree.",
        False,
        [],
    ),
    (
        "self-neglect-adults",
        "Self-neglect and hoarding: working with adults who decline help",
        "Wirral SAB",
        PUB,
        INT,
        HALF,
        ["neglect", "thresholds"],
        ["self-neglect"],
        "Mental capacity, persistence and multi-agency risk management when an adult declines "
        "support.",
        False,
        ["Wirral"],
    ),
]

VENUES = {
    "Wirral": "Wallasey Town Hall, Brighton Street, Wallasey CH44 8ED",
    "Liverpool": "Cunard Building, Water Street, Liverpool L3 1DS",
    "Sefton": "Bootle Town Hall, Oriel Road, Bootle L20 7AE",
    "Halton": "Runcorn Town Hall, Heath Road, Runcorn WA7 5TD",
    "Wirral SAB": "Birkenhead Town Hall, Hamilton Street, Birkenhead CH41 5BR",
}

# Fictional delegates, so that a session can be full with people waiting.
DELEGATES = [
    ("delegate.ames", "Jo", "Ames", "Police"),
    ("delegate.baird", "Ravi", "Baird", "NHS trust"),
    ("delegate.chen", "Mei", "Chen", "CSC"),
    ("delegate.doyle", "Kieran", "Doyle", "Education"),
    ("delegate.evans", "Siân", "Evans", "Early help"),
    ("delegate.fox", "Abi", "Fox", "Housing"),
    ("delegate.gill", "Harpreet", "Gill", "ICB"),
    ("delegate.hart", "Owen", "Hart", "VCF"),
    ("delegate.ince", "Nia", "Ince", "Police"),
    ("delegate.jones", "Cerys", "Jones", "NHS trust"),
    ("delegate.khan", "Imran", "Khan", "CSC"),
    ("delegate.lowe", "Beth", "Lowe", "Education"),
]


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{t}</p>" for t in texts)


def course_list(home) -> CourseIndexPage:
    page = CourseIndexPage.objects.first()
    if page is not None:
        return page
    page = CourseIndexPage(
        title="Multi-agency training",
        slug=COURSE_LIST_SLUG,
        introduction="Multi-agency safeguarding courses run by the region's partnerships.",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _delegates(world: World) -> list:
    User = get_user_model()
    group = Group.objects.get(name=Role.PRACTITIONER.label)
    for username, first, last, agency_short in DELEGATES:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if created:
            set_demo_password(user, world.password)
            user.save()
            user.groups.add(group)
            Membership.objects.create(
                user=user,
                partnership=world.partnerships["Wirral"],
                agency=world.agencies[("Wirral", agency_short)],
                job_title="Practitioner",
            )
        world.people[username] = user
    return [world.people[u] for u, *_ in DELEGATES]


def _at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=day_offset)
    # Sessions run on working days: a weekend or bank holiday moves to the next working day.
    while not is_working_day(day):
        day += timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _session(course, day_offset, *, capacity, online=False, approval=False, eligible=()):
    starts = _at(day_offset, 9, 30)
    hours = 7 if course.duration == FULL else 3
    session = Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        delivery=Delivery.ONLINE if online else Delivery.IN_PERSON,
        venue="" if online else VENUES.get(course.partnership.short_name, VENUES["Wirral"]),
        online_link="https://meet.example.org/hub-training-demo" if online else "",
        capacity=capacity,
        requires_manager_approval=approval,
    )
    if eligible:
        session.eligible_partnerships.set([course.partnership, *eligible])
    return session


def _book(session, user, state, *, at, **extra) -> Booking:
    membership = user.membership
    fields = {
        "session": session,
        "user": user,
        "agency_id": membership.agency_id,
        "partnership_id": membership.partnership_id,
        "state": state,
        "created_at": at,
        "booked_at": at if state in (BookingState.BOOKED, BookingState.REQUESTED) else None,
        "waiting_since": at if state == BookingState.WAITING else None,
        **extra,
    }
    return Booking.objects.create(**fields)


def build(world: World, scale: int) -> None:
    home = HomePage.objects.first()
    if home is None or "Wirral" not in world.partnerships:
        return
    index = course_list(home)
    for partnership in world.partnerships.values():
        TrainingTerms.objects.for_partnership(partnership)
    themes = {t.slug: t for t in Theme.objects.all()}
    briefings = {b.slug: b for b in LearningBriefing.objects.all()}
    trainer = world.people.get("trainer")
    delegates = _delegates(world)
    made = 0
    for n, row in enumerate(COURSES):
        course = _course(index, world, themes, briefings, row)
        if course.sessions.exists():
            continue
        made += 1
        _sessions_and_bookings(course, n, row, world, delegates, trainer)
    world.log.append(f"training: {made} demo courses with sessions and bookings")
    if scale > 1:
        _build_scaled(world, index, scale, themes, trainer)


def _course(index, world, themes, briefings, row) -> Course:
    (slug, title, owner, sharing, level, duration, theme_slugs, briefing_slugs, summary, *_) = row
    course = Course.objects.filter(slug=slug).first()
    if course is not None:
        return course
    course = Course(
        title=title,
        slug=slug,
        partnership=world.partnerships[owner],
        sharing_level=sharing,
        summary=summary,
        description=_paragraphs(
            f"[fictional] {summary}",
            "The course is delivered by the partnership's multi-agency trainers with "
            "practitioners from at least three agencies in every group, and draws on the "
            "learning from local case reviews.",
        ),
        learning_outcomes=(
            "<ul><li>Recognise the signs and what they may mean for the child</li>"
            "<li>Know who to tell, how quickly, and how to record it</li>"
            "<li>Use the partnership's procedures and escalation policy with confidence</li></ul>"
        ),
        audience="Practitioners in every agency who work with children, young people, adults "
        "or families.",
        level=level,
        duration=duration,
    )
    index.add_child(instance=course)
    course.themes.set([themes[s] for s in theme_slugs if s in themes])
    course.briefings.set([briefings[s] for s in briefing_slugs if s in briefings])
    course.save()
    course.save_revision().publish()
    return course


def _sessions_and_bookings(course, n, row, world, delegates, trainer) -> None:
    approval, eligible_shorts = row[9], row[10]
    eligible = [world.partnerships[s] for s in eligible_shorts if s in world.partnerships]
    now = timezone.now()
    practitioner = world.people.get("practitioner")
    past = _session(course, -40 - 7 * n, capacity=12, eligible=eligible)
    soon = _session(course, 12 + 3 * n, capacity=8, online=n % 3 == 1, eligible=eligible)
    later = _session(course, 45 + 5 * n, capacity=16, approval=approval, eligible=eligible)
    for session in (past, soon, later):
        if trainer is not None and course.partnership.short_name == "Wirral":
            session.trainers.add(trainer)
    # The past session: a group who were booked (the register is marked by demo_outcomes).
    for i, user in enumerate(delegates[:9]):
        _book(past, user, BookingState.BOOKED, at=now - timedelta(days=70 - i))
    if course.slug == "bruising-protocol" and practitioner is not None:
        # She came to the last one; demo_outcomes marks her attended, her evaluation still due.
        _book(past, practitioner, BookingState.BOOKED, at=now - timedelta(days=60))
    if course.slug == "working-together-essentials":
        # Run two working days ago, its register not yet marked: the trainer's next job.
        day = subtract_working_days(timezone.localdate(), 2)
        just_run = _session(
            course, (day - timezone.localdate()).days, capacity=12, eligible=eligible
        )
        if trainer is not None:
            just_run.trainers.add(trainer)
        for i, user in enumerate(delegates[2:10]):
            _book(just_run, user, BookingState.BOOKED, at=now - timedelta(days=30 - i))
        # Full, with three waiting in order: the waiting list and its offers to see.
        for i, user in enumerate(delegates[:8]):
            _book(soon, user, BookingState.BOOKED, at=now - timedelta(days=20 - i))
        for i, user in enumerate(delegates[8:11]):
            _book(
                soon,
                user,
                BookingState.WAITING,
                at=now - timedelta(days=10 - i),
            )
        if practitioner is not None:
            _book(later, practitioner, BookingState.BOOKED, at=now - timedelta(days=3))
    elif course.slug == "domestic-abuse-coercive-control":
        # One place free again, offered to the demo practitioner for the next two days.
        for i, user in enumerate(delegates[:7]):
            _book(soon, user, BookingState.BOOKED, at=now - timedelta(days=15 - i))
        if practitioner is not None:
            _book(
                soon,
                practitioner,
                BookingState.OFFERED,
                at=now - timedelta(days=6),
                waiting_since=now - timedelta(days=6),
                offered_at=now - timedelta(hours=4),
                offer_expires_at=now + timedelta(hours=44),
            )
        _book(soon, delegates[9], BookingState.WAITING, at=now - timedelta(days=2))
    elif course.slug == "neglect-graded-care-profile":
        for i, user in enumerate(delegates[:3]):
            _book(soon, user, BookingState.BOOKED, at=now - timedelta(days=9 - i))
        _book(
            later,
            delegates[4],
            BookingState.REQUESTED,
            at=now - timedelta(days=1),
            line_manager_email="line.manager@example.org",
        )
    else:
        for i, user in enumerate(delegates[: 2 + n % 4]):
            _book(soon, user, BookingState.BOOKED, at=now - timedelta(days=8 - i))


def _build_scaled(world: World, index, scale: int, themes, trainer) -> None:
    """2 × scale more courses, each with 6 past and 12 future sessions, most places taken by
    the scaled practitioners, in bulk."""
    User = get_user_model()
    practitioners = list(
        User.objects.filter(username__startswith="practitioner-")
        .select_related("membership")
        .order_by("pk")[: 200 * scale]
    )
    if not practitioners:
        return
    theme_list = sorted(themes.values(), key=lambda t: t.slug)
    partnerships = list(Partnership.objects.order_by("pk"))
    sessions = []
    for n in range(2 * scale):
        slug = f"course-{n:04d}"
        if Course.objects.filter(slug=slug).exists():
            continue
        partnership = partnerships[n % len(partnerships)]
        course = Course(
            title=f"Multi-agency course {n + 1}: {theme_list[n % len(theme_list)].name}",
            slug=slug,
            partnership=partnership,
            sharing_level=[PUB, REG, PART][n % 3],
            summary="[fictional] A course made for the benchmark.",
            description=_paragraphs("[fictional] A course made for the benchmark."),
            learning_outcomes="<ul><li>Know what to do</li></ul>",
            audience="Practitioners in every agency.",
            level=list(CourseLevel)[n % 4],
            duration=[HALF, FULL][n % 2],
        )
        index.add_child(instance=course)
        course.themes.set([theme_list[n % len(theme_list)], theme_list[(n * 7) % len(theme_list)]])
        course.save_revision().publish()
        hours = 7 if course.duration == FULL else 3
        for k in range(18):
            starts = _at(-180 + 20 * k + n % 10, 9, 30)
            sessions.append(
                Session(
                    course=course,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=hours),
                    venue=VENUES.get(partnership.short_name, VENUES["Wirral"]),
                    capacity=20,
                )
            )
    Session.objects.bulk_create(sessions, batch_size=2000)
    # Every session of a scaled course is open to the whole region.
    created = Session.objects.filter(course__slug__startswith="course-", bookings__isnull=True)
    through = Session.eligible_partnerships.through
    links, bookings = [], []
    now = timezone.now()
    for i, session in enumerate(created.select_related("course").order_by("pk")):
        for partnership in partnerships:
            links.append(through(session_id=session.pk, partnership_id=partnership.pk))
        taken = 10 + i % 11  # 10 to 20 of 20: some sessions full
        for j in range(taken):
            user = practitioners[(i * 37 + j) % len(practitioners)]
            bookings.append(
                Booking(
                    session_id=session.pk,
                    user_id=user.pk,
                    agency_id=user.membership.agency_id,
                    partnership_id=user.membership.partnership_id,
                    state=BookingState.BOOKED,
                    created_at=now,
                    booked_at=now,
                )
            )
    through.objects.bulk_create(links, batch_size=5000, ignore_conflicts=True)
    Booking.objects.bulk_create(bookings, batch_size=5000)
    world.log.append(f"training: {len(sessions)} scaled sessions, {len(bookings)} bookings")
