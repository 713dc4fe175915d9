"""The people and partnerships the access-policy tests read as: one of each subject the policy
distinguishes (anonymous, no membership, a leaver, superusers, each role), made fresh so that no
role or membership cache from the set-up leaks into the policy."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group

from partnership.models import Membership, Partnership, Role


def person(username, partnership=None, roles=(), **flags):
    user = get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="x", **flags
    )
    user.groups.set([Group.objects.get(name=role.label) for role in roles])
    if partnership is not None:
        Membership.objects.create(user=user, partnership=partnership)
    # A fresh object, so that no role or membership cache from the set-up leaks into the policy.
    return get_user_model().objects.get(pk=user.pk)


def subject_person(subject, home):
    """The reader a matrix row names: a special case, or a member of `home` holding a role."""
    if subject == "anonymous":
        return AnonymousUser()
    if subject == "no_membership":
        return person("unattached")
    if subject == "inactive_manager":
        return person("leaver", home, [Role.PARTNERSHIP_MANAGER], is_active=False)
    if subject == "inactive_superuser":
        return person("old-admin", is_superuser=True, is_staff=True, is_active=False)
    if subject == "superuser":
        return person("sysadmin", is_superuser=True, is_staff=True)
    return person(subject, home, [Role(subject)])


def partnership_in(region, short):
    return Partnership.objects.create(
        region=region, name=f"{short} Partnership", short_name=short, slug=short.lower()
    )
