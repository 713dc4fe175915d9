"""Demo outcomes of past training: registers marked (mostly attended, some did not attend, a
late cancellation), evaluations with varied scores, and follow-ups for sessions long enough
ago, so the register, the charging report, certificates, the evaluation reports and the
"training follow-up" evidence on actions all have something to show.

It works on the past sessions the courses demo made (looked up by querying). When there are
none, it makes its own past course and session, so this part demonstrates on its own. Keyed on
natural keys (slugs, usernames, one evaluation per booking and kind): re-running changes
nothing. Every person is fictional."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from hub.models import HomePage
from learning.models import Action
from partnership.demo import World
from partnership.models import Membership, Role

from . import register
from .models import (
    Booking,
    BookingState,
    Course,
    CourseIndexPage,
    Duration,
    Evaluation,
    EvaluationKind,
    PracticeChange,
    Session,
    TrainingTerms,
)

S = BookingState
UNMARKED_FOR = timedelta(days=5)
# The demo practitioner attended a course and has not yet evaluated it: her home page asks her
# to, as the step that releases her certificate.
LEFT_TO_EVALUATE = {"practitioner"}
OWN_COURSE_SLUG = "neglect-recognising-and-responding"
DELEGATE_AGENCIES = ["Early help", "Police", "NHS trust", "CSC", "Education", "Housing"]
FIRST_NAMES = ["Amira", "Bethan", "Callum", "Dev", "Erin", "Farah", "Gethin", "Hollie", "Idris"]
COMMENTS = [
    "The case study made the neglect toolkit make sense.",
    "More time on the graded care profile, please.",
    "Useful to hear how police and health see the same family.",
    "",
]
WHAT_CHANGED = [
    "I now use the graded care profile before a child in need review.",
    "I ask about who else lives in the household at every home visit.",
    "I escalate sooner when home conditions do not improve.",
]


def build(world: World, scale: int) -> None:
    if HomePage.objects.first() is None or "Wirral" not in world.partnerships:
        return
    now = timezone.now()
    sessions = list(
        # A register is marked within days of the session; the last few days' are left for
        # the trainer to mark.
        Session.objects.filter(ends_at__lt=now - UNMARKED_FOR, cancelled_at__isnull=True)
        .select_related("course__partnership")
        .order_by("starts_at")
    )
    if not sessions:
        sessions = _own_sessions(world, now)
    marker = world.people.get("admin")
    for index, session in enumerate(sessions[: 20 * scale]):
        _mark(session, marker, index)
        _evaluate(session, index, now)


def _own_sessions(world: World, now) -> list[Session]:
    """A past Wirral course with one session 100 days ago and one last week, booked by a dozen
    fictional delegates, linked to a Wirral action when there is one."""
    wirral = world.partnerships["Wirral"]
    course = Course.objects.filter(slug=OWN_COURSE_SLUG).first()
    if course is None:
        index = CourseIndexPage.objects.first()
        if index is None:
            index = CourseIndexPage(title="Multi-agency training", slug="training")
            HomePage.objects.first().add_child(instance=index)
        course = Course(
            title="Neglect: recognising and responding",
            slug=OWN_COURSE_SLUG,
            partnership=wirral,
            summary="Spotting neglect early and working together with the graded care profile.",
            description="<p>A full day on neglect across agencies, built on local reviews.</p>",
            learning_outcomes="<ul><li>Use the graded care profile with a family.</li>"
            "<li>Know when and how to escalate.</li></ul>",
            audience="Practitioners in every agency who work with children and families.",
            level="foundation",
            duration=Duration.FULL_DAY,
        )
        index.add_child(instance=course)
        action = Action.objects.filter(partnership=wirral).order_by("reference").first()
        if action is not None:
            course.actions.add(action)
    TrainingTerms.objects.for_partnership(wirral)
    trainer = world.people.get("trainer")
    existing = list(course.sessions.order_by("starts_at"))
    if existing:
        return existing
    sessions = []
    for days_ago in (100, 7):
        day = timezone.localdate(now) - timedelta(days=days_ago)
        starts = timezone.make_aware(datetime.combine(day, time(9, 30)))
        session = Session.objects.create(
            course=course,
            starts_at=starts,
            ends_at=starts + timedelta(hours=6, minutes=30),
            venue="Wallasey Town Hall, Brighton Street, Wallasey",
            capacity=16,
        )
        if trainer is not None:
            session.trainers.add(trainer)
        for person in _delegates(world, 12):
            if not Booking.objects.filter(session=session, user=person).exists():
                Booking.objects.create(
                    session=session,
                    user=person,
                    agency=person.membership.agency,
                    partnership=person.membership.partnership,
                    state=S.BOOKED,
                    booked_at=starts - timedelta(days=20),
                )
        sessions.append(session)
    return sessions


def _delegates(world: World, count: int):
    User = get_user_model()
    group = Group.objects.get(name=Role.PRACTITIONER.label)
    people = []
    for n in range(count):
        username = f"demo.delegate{n + 1:02d}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
                "last_name": f"Delegate {n + 1}",
                "email": f"{username}@example.org",
            },
        )
        if created:
            if world.password:
                user.set_password(world.password)
            else:
                user.set_unusable_password()
            user.save()
            user.groups.add(group)
        agency = world.agencies[("Wirral", DELEGATE_AGENCIES[n % len(DELEGATE_AGENCIES)])]
        Membership.objects.get_or_create(
            user=user, defaults={"partnership": agency.partnership, "agency": agency}
        )
        people.append(user)
    return people


def _mark(session: Session, marker, index: int) -> None:
    """Mark those still only booked: every seventh did not attend, one cancelled late per
    session, the rest attended."""
    if marker is None:
        return
    waiting = list(
        session.bookings.filter(state=S.BOOKED).order_by("pk").values_list("pk", "user__username")
    )
    if not waiting:
        return
    marks = {}
    for n, (booking_id, username) in enumerate(waiting):
        if username in LEFT_TO_EVALUATE:
            marks[booking_id] = S.ATTENDED
        elif n == 4:
            marks[booking_id] = S.CANCELLED_LATE
        elif (n + index) % 7 == 3:
            marks[booking_id] = S.DID_NOT_ATTEND
        else:
            marks[booking_id] = S.ATTENDED
    register.mark(session, marker, marks, now=max(session.ends_at, timezone.now()))


def _evaluate(session: Session, index: int, now) -> None:
    attended = list(
        session.bookings.filter(state=S.ATTENDED)
        .exclude(user__username__in=LEFT_TO_EVALUATE)
        .order_by("pk")
    )
    follow_up_due = session.ends_at + timedelta(days=_follow_up_days(session)) <= now
    for n, booking in enumerate(attended):
        seed = n + index
        if seed % 5 != 4:  # four in five evaluate
            Evaluation.objects.get_or_create(
                booking=booking,
                kind=EvaluationKind.IMMEDIATE,
                defaults={
                    "submitted_at": session.ends_at + timedelta(days=1 + n % 3),
                    "overall": 3 + seed % 3,
                    "outcomes_met": 3 + (seed + 1) % 3,
                    "confidence_before": 1 + seed % 3,
                    "confidence_after": 3 + seed % 3,
                    "comments": COMMENTS[seed % len(COMMENTS)],
                },
            )
        if follow_up_due and seed % 3 != 2:  # two in three answer the follow-up
            changed = [PracticeChange.YES, PracticeChange.PARTLY, PracticeChange.NO][seed % 3]
            Evaluation.objects.get_or_create(
                booking=booking,
                kind=EvaluationKind.FOLLOW_UP,
                defaults={
                    "submitted_at": now - timedelta(days=1 + n % 5),
                    "practice_changed": changed,
                    "what_changed": ""
                    if changed == PracticeChange.NO
                    else WHAT_CHANGED[seed % len(WHAT_CHANGED)],
                },
            )


def _follow_up_days(session: Session) -> int:
    return TrainingTerms.objects.for_partnership(session.course.partnership_id).follow_up_after_days
