"""Roles are Django groups made by migrations; the enum, the groups and their grants agree."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from partnership.models import Role
from partnership.roles import ROLE_GROUPS

# The roles that work in the Wagtail admin (editing reviews, briefings, courses, scrutiny, and the
# delegated safeguarding partners' sign-off of reviews); practitioners and agency leads use the
# published site only.
ADMIN_ROLES = {
    Role.DELEGATED_SAFEGUARDING_PARTNER,
    Role.PARTNERSHIP_MANAGER,
    Role.REVIEWER,
    Role.QUALITY_ASSURANCE,
    Role.TRAINER,
    Role.INDEPENDENT_SCRUTINEER,
}


def test_role_labels_are_the_group_names_the_migrations_use():
    assert {role.value: role.label for role in Role} == ROLE_GROUPS
    assert all(role.group_name == ROLE_GROUPS[role.value] for role in Role)


def test_every_role_has_its_group_after_migrations(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert set(ROLE_GROUPS.values()) <= names


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_admin_access_only_for_staff_roles(db, role):
    user = get_user_model().objects.create_user(username=f"someone-{role.value}", password="x")
    user.groups.add(Group.objects.get(name=role.label))
    user = get_user_model().objects.get(pk=user.pk)

    assert user.has_perm("wagtailadmin.access_admin") is (role in ADMIN_ROLES)


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_only_the_partnership_manager_keeps_the_partnership_world(db, role):
    group = Group.objects.get(name=role.label)
    can_change = {
        model
        for model in ("theme", "agency", "membership", "partnership")
        if group.permissions.filter(
            content_type__app_label="partnership", codename=f"change_{model}"
        ).exists()
    }
    if role == Role.PARTNERSHIP_MANAGER:
        assert can_change == {"theme", "agency", "membership", "partnership"}
    else:
        assert can_change == set()
