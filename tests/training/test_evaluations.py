"""Evaluation after the session, the certificate it releases, the follow-up and its emails, and
follow-ups counted as evidence of impact on the course's actions."""

from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from hub.models import Notice
from learning import impact
from learning.models import ActionState
from tests.learning.actions_world import make_action
from training import evaluations, follow_ups, register
from training.models import (
    Booking,
    BookingState,
    Evaluation,
    EvaluationKind,
    PracticeChange,
    TrainingTerms,
)

from .factories_register import make_booking, make_course, make_delegate, make_session

S = BookingState
RATINGS = {"overall": 5, "outcomes_met": 4, "confidence_before": 2, "confidence_after": 4}
FORM = {k: str(v) for k, v in RATINGS.items()}


@pytest.fixture
def attended(register_world):
    """Ada attended, Ben did not."""
    rw = register_world
    register.mark(
        rw.session, rw.trainer, {rw.bookings[0].pk: S.ATTENDED, rw.bookings[1].pk: S.DID_NOT_ATTEND}
    )
    for booking in rw.bookings:
        booking.refresh_from_db()
    return rw


def test_the_delegate_evaluates_once_and_the_certificate_is_released(attended, client):
    rw = attended
    ada_booking = rw.bookings[0]
    ada = rw.delegates[0]
    client.force_login(ada)
    certificate = reverse("training-certificate", args=[ada_booking.pk])
    # Before the evaluation the certificate sends them to evaluate.
    assert client.get(certificate)["Location"] == reverse(
        "training-evaluate", args=[ada_booking.pk]
    )

    form = client.get(reverse("training-evaluate", args=[ada_booking.pk]))
    assert form.status_code == 200 and "Evaluate the session" in form.content.decode()
    response = client.post(reverse("training-evaluate", args=[ada_booking.pk]), FORM)
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(booking=ada_booking)
    assert (evaluation.kind, evaluation.overall, evaluation.confidence_after) == (
        EvaluationKind.IMMEDIATE,
        5,
        4,
    )

    pdf = client.get(certificate)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    # Once: a second evaluation is refused by the service and the page says so.
    with pytest.raises(evaluations.EvaluationError, match="already evaluated"):
        evaluations.submit_evaluation(ada_booking, ada, **RATINGS)
    again = client.post(reverse("training-evaluate", args=[ada_booking.pk]), FORM)
    assert again.status_code == 302 and Evaluation.objects.filter(booking=ada_booking).count() == 1


def test_missing_ratings_are_asked_for_and_nothing_typed_is_lost(attended, client):
    booking = attended.bookings[0]
    client.force_login(attended.delegates[0])
    response = client.post(
        reverse("training-evaluate", args=[booking.pk]),
        {"overall": "4", "comments": "The case study on home conditions was useful."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose a rating for: how well did the session meet its learning outcomes?" in html
    assert "The case study on home conditions was useful." in html
    assert 'value="4" checked' in html
    assert not Evaluation.objects.exists()


def test_the_certificate_is_only_for_its_delegate_and_the_managers(attended, client):
    rw = attended
    booking = rw.bookings[0]
    evaluations.submit_evaluation(booking, rw.delegates[0], **RATINGS)
    url = reverse("training-certificate", args=[booking.pk])
    people = rw.world.people
    for outsider in (rw.delegates[1], people["liverpool.manager"], people["trainer"], people["qa"]):
        client.force_login(outsider)
        assert client.get(url).status_code == 404, outsider
    client.force_login(people["manager"])
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_only_someone_who_attended_can_evaluate(attended, client):
    rw = attended
    ben, ben_booking = rw.delegates[1], rw.bookings[1]
    with pytest.raises(evaluations.EvaluationError, match="register shows you attended"):
        evaluations.submit_evaluation(ben_booking, ben, **RATINGS)
    with pytest.raises(evaluations.EvaluationError, match="Only the delegate"):
        evaluations.submit_evaluation(rw.bookings[0], ben, **RATINGS)
    client.force_login(ben)
    page = client.get(reverse("training-evaluate", args=[ben_booking.pk]))
    assert "cannot evaluate this session yet" in page.content.decode()
    # Someone else's booking is not found.
    assert client.get(reverse("training-evaluate", args=[rw.bookings[0].pk])).status_code == 404
    with pytest.raises(evaluations.EvaluationError, match="rating from 1 to 5"):
        evaluations.submit_evaluation(rw.bookings[0], rw.delegates[0], **{**RATINGS, "overall": 6})


def test_the_follow_up_opens_after_the_terms_interval(attended, client):
    rw = attended
    booking = rw.bookings[0]
    ada = rw.delegates[0]
    with pytest.raises(evaluations.EvaluationError, match="follow-up opens on"):
        evaluations.submit_follow_up(
            booking, ada, practice_changed=PracticeChange.YES, what_changed="x"
        )

    rw.session.starts_at -= timedelta(days=91)
    rw.session.ends_at -= timedelta(days=91)
    rw.session.save()
    booking = evaluations.bookings_of(ada).get(pk=booking.pk)
    client.force_login(ada)
    url = reverse("training-follow-up", args=[booking.pk])
    missing = client.post(url, {"practice_changed": "yes"})
    assert missing.status_code == 400 and "Tell us what changed" in missing.content.decode()
    done = client.post(
        url, {"practice_changed": "partly", "what_changed": "I now use the graded care profile."}
    )
    assert done.status_code == 200 and "Your answer is saved" in done.content.decode()
    follow_up = Evaluation.objects.get(booking=booking, kind=EvaluationKind.FOLLOW_UP)
    assert follow_up.practice_changed == "partly"
    with pytest.raises(evaluations.EvaluationError, match="already answered"):
        evaluations.submit_follow_up(booking, ada, practice_changed="no")


def test_the_outcome_include_offers_the_right_links(attended):
    from django.template.loader import render_to_string

    rw = attended
    booking = (
        evaluations.bookings_of(rw.delegates[0])
        .prefetch_related("evaluations")
        .get(pk=rw.bookings[0].pk)
    )
    html = render_to_string("training/includes/booking_outcome.html", {"booking": booking})
    assert "Evaluate this session" in html and "Download your certificate" not in html
    evaluations.submit_evaluation(booking, rw.delegates[0], **RATINGS)
    booking = (
        evaluations.bookings_of(rw.delegates[0]).prefetch_related("evaluations").get(pk=booking.pk)
    )
    html = render_to_string("training/includes/booking_outcome.html", {"booking": booking})
    assert "Download your certificate" in html and "Evaluate this session" not in html
    assert "We will ask what changed" in html
    ben = evaluations.bookings_of(rw.delegates[1]).get(pk=rw.bookings[1].pk)
    assert (
        render_to_string("training/includes/booking_outcome.html", {"booking": ben}).strip() == ""
    )


# The emails


@pytest.fixture
def past_world(register_world):
    """Sessions that ended yesterday and 90 days ago; Ada and Cal attended both, Ben missed."""
    rw = register_world
    today = timezone.localdate()
    yesterday = timezone.now() - timedelta(days=1)
    rw.session.starts_at, rw.session.ends_at = yesterday - timedelta(hours=6), yesterday
    rw.session.save()
    # At 09:00 London time 90 days ago, not "now minus 90 days": across a change of the clocks
    # that instant falls on the next London day late in the evening, and the test failed then.
    ninety_days_ago = datetime.combine(today - timedelta(days=90), time(9))
    old = make_session(rw.course, timezone.make_aware(ninety_days_ago), trainers=[rw.trainer])
    old_bookings = [make_booking(old, person) for person in rw.delegates]
    for session, bookings in ((rw.session, rw.bookings), (old, old_bookings)):
        register.mark(
            session,
            rw.trainer,
            dict(
                zip(
                    [b.pk for b in bookings],
                    [S.ATTENDED, S.DID_NOT_ATTEND, S.ATTENDED],
                    strict=True,
                )
            ),
        )
    rw.old_bookings = old_bookings
    rw.today = today
    return rw


def test_evaluation_and_follow_up_emails_are_sent_once(past_world, mailoutbox, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://hub.example.org"
    rw = past_world
    counts = follow_ups.send_training_follow_ups(rw.today)
    assert (counts.evaluations, counts.follow_ups) == (2, 2)
    subjects = sorted((m.to[0], m.subject) for m in mailoutbox)
    title = rw.course.title
    assert subjects == [
        ("ada.early@example.org", f"Evaluate {title} and get your certificate"),
        ("ada.early@example.org", f"What changed after {title}?"),
        ("cal.health@example.org", f"Evaluate {title} and get your certificate"),
        ("cal.health@example.org", f"What changed after {title}?"),
    ]
    follow = next(m for m in mailoutbox if m.subject.startswith("What changed"))
    booking = next(b for b in rw.old_bookings if b.user.email == follow.to[0])
    assert f"https://hub.example.org/evaluations/{booking.pk}/follow-up/" in follow.body

    again = follow_ups.send_training_follow_ups(rw.today)
    assert (again.evaluations, again.follow_ups) == (0, 0)
    assert len(mailoutbox) == 4
    assert Notice.objects.about(Booking).count() == 4
    # A send of one that went already sends nothing (a retried task).
    assert follow_ups.send_notice(booking.pk, "follow_up") is False


def test_a_failed_send_is_not_lost(past_world, mailoutbox, monkeypatch):
    rw = past_world
    from django.core.mail import EmailMultiAlternatives

    real_send = EmailMultiAlternatives.send

    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with pytest.raises(OSError):
        follow_ups.send_training_follow_ups(rw.today)
    assert not Notice.objects.about(Booking).exists()
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    assert str(follow_ups.send_training_follow_ups(rw.today)) == "evaluations=2 follow_ups=2"


def test_the_interval_is_the_partnerships_and_old_sessions_are_left_alone(past_world, mailoutbox):
    rw = past_world
    TrainingTerms.objects.update_or_create(
        partnership=rw.course.partnership, defaults={"follow_up_after_days": 120}
    )
    counts = follow_ups.send_training_follow_ups(rw.today)
    assert (counts.evaluations, counts.follow_ups) == (2, 0)
    # 120 days on, the follow-up is due; 200 days on, it is too late to ask.
    assert follow_ups.send_training_follow_ups(rw.today + timedelta(days=30)).follow_ups == 2
    Notice.objects.about(Booking).all().delete()
    later = follow_ups.send_training_follow_ups(rw.today + timedelta(days=110))
    assert (later.evaluations, later.follow_ups) == (0, 0)


def test_no_email_asks_for_what_was_already_given(past_world, mailoutbox):
    rw = past_world
    rw.bookings[0].refresh_from_db()
    evaluations.submit_evaluation(rw.bookings[0], rw.delegates[0], **RATINGS)
    assert follow_ups.send_training_follow_ups(rw.today).evaluations == 1


def test_the_command_prints_counts(past_world, mailoutbox, capsys):
    call_command("send_training_follow_ups", "--today", rw_today(past_world))
    assert capsys.readouterr().out.strip().splitlines()[-1] == "evaluations=2 follow_ups=2"
    call_command("send_training_follow_ups", "--today", rw_today(past_world))
    assert capsys.readouterr().out.strip().splitlines()[-1] == "evaluations=0 follow_ups=0"


def rw_today(rw) -> str:
    return rw.today.isoformat()


def test_the_beat_task_enqueues_one_send_per_booking_after_commit(
    past_world, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    from config.celery import app
    from training.evaluation_tasks import send_training_follow_ups_task

    monkeypatch.setitem(app.conf, "task_always_eager", True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = send_training_follow_ups_task.delay(rw_today(past_world)).get()
        assert not mailoutbox  # nothing goes before the job's transaction commits
    assert result == {"evaluations": 2, "follow_ups": 2}
    assert len(callbacks) == 4 and len(mailoutbox) == 4


def test_beat_runs_the_follow_ups_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-training-follow-ups"]
    assert entry["task"] == "training.evaluation_tasks.send_training_follow_ups_task"


# Impact


def test_follow_ups_count_on_the_courses_actions_without_moving_them(world, client):
    wirral = world.partnerships["Wirral"]
    action = make_action(world, "WIR-ACT-TRN-1", state=ActionState.COMPLETED)
    other = make_action(world, "WIR-ACT-TRN-2")
    course = make_course(wirral, "Unseen men in the household", actions=[action])
    session = make_session(course, timezone.now() - timedelta(days=100))
    answers = ["yes", "yes", "partly", "no"]
    for n, answer in enumerate(answers):
        person = make_delegate(world, f"delegate{n}.trn")
        booking = make_booking(session, person, S.ATTENDED)
        Evaluation.objects.create(
            booking=booking, kind=EvaluationKind.FOLLOW_UP, practice_changed=answer
        )
    signals = impact.for_action(action)
    assert [s.count for s in signals] == [3]
    assert signals[0].text.startswith("3 delegates said practice changed (2 yes, 1 partly) of 4")
    assert impact.for_action(other) == []

    action.refresh_from_db()
    assert action.state == ActionState.COMPLETED  # counted, never moved

    client.force_login(world.people["agencylead"])
    page = client.get(reverse("my-action", args=[action.reference])).content.decode()
    assert "Training follow-up" in page and "3 delegates said practice changed" in page

    client.force_login(world.people["qa"])
    funnel = client.get(reverse("learning_reports:funnel")).content.decode()
    assert "3 delegates said practice changed" in funnel
