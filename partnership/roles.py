"""Grants of permissions to the roles' groups, for data migrations.

Each app's migrations say what its roles may do with `grant(apps, Role..., perms)`, so that the
groups and their permissions always come from migrations, never from clicks in the admin."""

from django.contrib.auth.management import create_permissions

from .process_copy import ProcessCopy

ROLE_GROUPS = {
    "partnership_manager": "Partnership manager",
    "reviewer": "Reviewer",
    "quality_assurance": "Quality assurance",
    "agency_lead": "Agency lead",
    "trainer": "Trainer",
    "practitioner": "Practitioner",
    "independent_scrutineer": "Independent scrutineer",
    "delegated_safeguarding_partner": "Delegated safeguarding partner",
    "executive_group": "Executive group member",
}


def ensure_permissions(apps, *app_labels):
    """Create the permissions of these apps now: post_migrate has not run yet on a fresh
    database, and a grant needs them to exist."""
    for label in app_labels:
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)


def grant(apps, role: str, permissions: list[str]):
    """Give the group of `role` these permissions ("app_label.codename")."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ROLE_GROUPS[role])
    for dotted in permissions:
        app_label, codename = dotted.split(".")
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group.permissions.add(permission)


def revoke(apps, role: str, permissions: list[str]):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=ROLE_GROUPS[role]).first()
    if group is None:
        return
    for dotted in permissions:
        app_label, codename = dotted.split(".")
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )


ADMIN_ROLES_VERSION_KEY = "hub:roles:admin-groups-version"


def _build_admin_group_names() -> frozenset[str]:
    from django.contrib.auth.models import Group

    return frozenset(
        Group.objects.filter(
            permissions__content_type__app_label="wagtailadmin",
            permissions__codename="access_admin",
        ).values_list("name", flat=True)
    )


# The header asks on every page, and asking Django's permissions costs two queries per request.
_admin_group_names = ProcessCopy(ADMIN_ROLES_VERSION_KEY, _build_admin_group_names)


def admin_group_names() -> frozenset[str]:
    """The groups whose members may use the Wagtail admin."""
    return _admin_group_names.get()


def invalidate_admin_roles(**kwargs) -> None:
    _admin_group_names.forget()


def uses_admin(user) -> bool:
    """Whether to offer `user` the admin: staff, or holding a role whose group may use it."""
    from .models import roles_of

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # Remembered on the user: a page asks twice (the header's link and the user bar).
    cached = getattr(user, "_hub_uses_admin", None)
    if cached is None:
        admin_groups = admin_group_names()
        cached = any(role.label in admin_groups for role in roles_of(user))
        user._hub_uses_admin = cached
    return cached
