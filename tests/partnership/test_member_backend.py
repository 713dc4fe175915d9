"""Signing in loads the person with their membership: one query, not two, on every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.access import membership_of
from partnership.backends import MemberBackend

pytestmark = pytest.mark.django_db


def test_the_person_comes_with_their_membership(people):
    practitioner = people["practitioner"]
    with CaptureQueriesContext(connection) as captured:
        user = MemberBackend().get_user(practitioner.pk)
        membership = membership_of(user)
        names = (membership.partnership.short_name, membership.agency.name)
    assert len(captured) == 1
    assert membership.user_id == practitioner.pk
    assert names == (
        practitioner.membership.partnership.short_name,
        practitioner.membership.agency.name,
    )


def test_someone_with_no_membership_has_none_without_another_query(django_user_model):
    loner = django_user_model.objects.create_user("no.membership", password="x-long-password")
    with CaptureQueriesContext(connection) as captured:
        user = MemberBackend().get_user(loner.pk)
        assert membership_of(user) is None
    assert len(captured) == 1


def test_a_deactivated_account_is_not_signed_in(people):
    people["practitioner"].is_active = False
    people["practitioner"].save()
    assert MemberBackend().get_user(people["practitioner"].pk) is None


def test_signing_in_through_the_sign_in_page_uses_it(client, people, world):
    response = client.post("/sign-in/", {"username": "practitioner", "password": world.password})
    assert response.status_code == 302
    assert client.session["_auth_user_backend"] == "partnership.backends.MemberBackend"
