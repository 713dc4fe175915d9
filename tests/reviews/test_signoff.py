"""Sign-off: the panel approves, then the local authority, police and health sign off."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reviews.models import Review, ReviewLogEntry, ReviewStatus
from reviews.signoff import sign_off_progress


def current_task_state(review):
    return Review.objects.get(pk=review.pk).current_workflow_state.current_task_state.specific


def approve(review, user):
    state = current_task_state(review)
    state.task.specific.on_action(state, user, "approve")


@pytest.mark.django_db
def test_review_is_signed_off_after_the_panel_and_three_partners_approve(
    signed_in, people, restricted_review
):
    review = restricted_review
    workflow = review.get_workflow()
    assert workflow.name == "Review sign-off"
    workflow.start(review, people["reviewer"])

    # Each statutory partner's delegate may open the review they are asked to sign.
    assert current_task_state(review).task.name == "Panel approval"
    approve(review, people["reviewer"])
    steps = [
        ("Sign-off: local authority", "wirral.la.partner"),
        ("Sign-off: police", "wirral.police.partner"),
        ("Sign-off: health", "wirral.health.partner"),
    ]
    for task_name, username in steps:
        assert current_task_state(review).task.name == task_name
        edit = reverse("wagtailsnippets_reviews_review:edit", args=[review.pk])
        assert signed_in(people[username]).get(edit).status_code == 200
        approve(review, people[username])

    review.refresh_from_db()
    assert review.status == ReviewStatus.SIGNED_OFF
    assert review.get_latest_revision_as_object().status == ReviewStatus.SIGNED_OFF
    progress = sign_off_progress(review)
    assert [(s.task, s.status, s.who) for s in progress] == [
        ("Panel approval", "approved", "Rhiannon Pike"),
        ("Sign-off: local authority", "approved", "Lindsay Ferrars"),
        ("Sign-off: police", "approved", "Piers Calloway"),
        ("Sign-off: health", "approved", "Hana Okonjo"),
    ]
    assert all(step.when for step in progress)
    assert ReviewLogEntry.objects.filter(review=review, action="hub.review.signed_off").exists()


@pytest.mark.django_db
def test_sign_off_progress_shows_on_the_panel_tab(signed_in, people, restricted_review):
    restricted_review.get_workflow().start(restricted_review, people["reviewer"])
    approve(restricted_review, people["reviewer"])
    edit = reverse("wagtailsnippets_reviews_review:edit", args=[restricted_review.pk])
    body = signed_in(people["reviewer"]).get(edit).content.decode()
    assert "Sign-off: local authority" in body
    assert "Rhiannon Pike" in body


@pytest.mark.django_db
def test_only_the_right_people_may_approve_each_step(signed_in, people, restricted_review):
    review = restricted_review
    review.get_workflow().start(review, people["reviewer"])
    # Off the panel: a QA officer cannot approve the panel's step.
    state = current_task_state(review)
    assert state.task.specific.get_actions(review, people["qa"]) == []
    with pytest.raises(PermissionDenied):
        state.task.specific.on_action(state, people["qa"], "approve")
    approve(review, people["reviewer"])

    # The police's delegate cannot sign for the local authority, nor the reviewer.
    state = current_task_state(review)
    for username in ("wirral.police.partner", "wirral.health.partner", "reviewer"):
        assert state.task.specific.get_actions(review, people[username]) == [], username
        with pytest.raises(PermissionDenied):
            state.task.specific.on_action(state, people[username], "approve")
    # ...and through the admin the action is refused too.
    action = reverse(
        "wagtailsnippets_reviews_review:workflow_action",
        args=[review.pk, "approve", state.pk],
    )
    signed_in(people["wirral.police.partner"]).post(action)
    assert current_task_state(review).pk == state.pk
    assert current_task_state(review).status == "in_progress"
    # Nor may a delegate see a restricted review that is not (yet) theirs to sign.
    edit = reverse("wagtailsnippets_reviews_review:edit", args=[review.pk])
    assert signed_in(people["wirral.police.partner"]).get(edit).status_code == 404
    assert signed_in(people["wirral.la.partner"]).get(edit).status_code == 200


@pytest.mark.django_db
def test_panel_approves_through_the_admin(signed_in, people, restricted_review):
    review = restricted_review
    review.get_workflow().start(review, people["reviewer"])
    state = current_task_state(review)
    action = reverse(
        "wagtailsnippets_reviews_review:workflow_action",
        args=[review.pk, "approve", state.pk],
    )
    response = signed_in(people["reviewer"]).post(action)
    assert response.status_code in (200, 302)
    state.refresh_from_db()
    assert state.status == "approved"
    assert state.finished_by == people["reviewer"]
    assert current_task_state(review).task.name == "Sign-off: local authority"
