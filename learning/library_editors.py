"""Who may write in which learning library: each partnership's editors write only in their own
library, and in the region's library only briefings of their own partnership.

Why per-partnership groups holding Wagtail page permissions on each library, rather than hooks
that refuse edits: Wagtail reads page permissions (`GroupPagePermission`, a group and a subtree)
in every part of the admin at once: the explorer, the page chooser, the dashboard's "pages you
can edit", bulk actions, copy and move, workflow and moderation lists. A hook in front of the
edit view would guard one door and leave the others open. The Hub's roles are global groups
(`Reviewer`, `Quality assurance`, ...), which cannot say "of Wirral", so each partnership gets
one managed group, "Library editors: <partnership>", holding add, change and publish on that
partnership's library, and its members are exactly the partnership's people holding a writing
role. The groups are kept by this module, never by hand: when a partnership or a library is
made, when a membership changes and when someone's roles change (signals, below), and in full
after every `migrate`.

The region's library is the one subtree several partnerships write in (each shares its own
learning there), so every partnership's editors hold rights over it; the briefing's and the
library's own `permissions_for_user` (see `learning.models.briefing`) narrow those rights to
briefings of the editor's own partnership, and the briefing form offers only that partnership.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission

from partnership.models import Membership, Partnership, Role

#: The roles that write learning briefings for their partnership.
EDITOR_ROLES = (Role.PARTNERSHIP_MANAGER, Role.REVIEWER, Role.QUALITY_ASSURANCE)
VERBS = ("add", "change", "publish")


def group_name(partnership: Partnership) -> str:
    return f"Library editors: {partnership.short_name}"[:150]


def editors_group(partnership: Partnership) -> Group:
    """The partnership's managed editors group, made on first use."""
    from .models import LibraryEditors

    link = LibraryEditors.objects.select_related("group").filter(partnership=partnership).first()
    if link is not None:
        return link.group
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=group_name(partnership))
        LibraryEditors.objects.get_or_create(partnership=partnership, defaults={"group": group})
    return group


def _page_permissions() -> list[Permission]:
    return list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore",
            content_type__model="page",
            codename__in=[f"{verb}_page" for verb in VERBS],
        )
    )


def grant_library(library) -> None:
    """Give the library's editors (a partnership's, or every partnership's for the region's
    library) add, change and publish over it, and take them from any other editors group."""
    from .models import LibraryEditors

    if library.partnership_id is not None:
        partnerships = Partnership.objects.filter(pk=library.partnership_id)
    else:
        partnerships = Partnership.objects.all()
    wanted_groups = {editors_group(p).pk for p in partnerships}
    permissions = _page_permissions()
    managed = LibraryEditors.objects.values("group_id")
    existing = set(
        GroupPagePermission.objects.filter(page=library, group__in=managed).values_list(
            "group_id", "permission_id"
        )
    )
    wanted = {(g, p.pk) for g in wanted_groups for p in permissions}
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(page_id=library.pk, group_id=g, permission_id=p)
            for g, p in wanted - existing
        ]
    )
    stale = existing - wanted
    if stale:
        GroupPagePermission.objects.filter(
            page=library, group_id__in={g for g, _ in stale}
        ).exclude(group_id__in=wanted_groups).delete()


def sync_editors(users=None) -> None:
    """Make the editors groups' members exactly the people (of `users`, or everyone) who hold a
    writing role in their partnership: in bulk, so that a full sync costs a handful of queries."""
    from .models import LibraryEditors

    User = get_user_model()
    through = User.groups.through
    groups_of = dict(LibraryEditors.objects.values_list("partnership_id", "group_id"))
    missing = Partnership.objects.exclude(pk__in=list(groups_of))
    for partnership in missing:
        groups_of[partnership.pk] = editors_group(partnership).pk

    role_names = [role.label for role in EDITOR_ROLES]
    memberships = Membership.objects.filter(user__groups__name__in=role_names)
    current = through.objects.filter(group_id__in=list(groups_of.values()))
    if users is not None:
        ids = [getattr(u, "pk", u) for u in users]
        memberships = memberships.filter(user_id__in=ids)
        current = current.filter(user_id__in=ids)
    wanted = {
        (user_id, groups_of[p]) for user_id, p in memberships.values_list("user", "partnership")
    }
    have = set(current.values_list("user_id", "group_id"))
    # Written on the through table directly: no m2m signal, so no sync calls itself again.
    through.objects.bulk_create(
        [through(user_id=u, group_id=g) for u, g in wanted - have], ignore_conflicts=True
    )
    for user_id, group_id in have - wanted:
        through.objects.filter(user_id=user_id, group_id=group_id).delete()


def sync_all(**kwargs) -> None:
    """Everything at once: after `migrate`, and from `manage.py sync_library_editors`."""
    from .models import LibraryPage

    for library in LibraryPage.objects.all():
        grant_library(library)
    sync_editors()


def on_partnership_saved(sender, instance, created, **kwargs):
    if created:
        editors_group(instance)
        from .models import LibraryPage

        for library in LibraryPage.objects.filter(partnership__isnull=True):
            grant_library(library)


def on_library_saved(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    grant_library(instance)


def on_membership_changed(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return
    sync_editors([instance.user_id])


def on_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Someone's roles changed (user.groups or group.user_set)."""
    if action == "pre_clear" and reverse:
        instance._hub_cleared_users = list(instance.user_set.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        if instance.name not in {role.label for role in EDITOR_ROLES}:
            return
        users = pk_set if pk_set is not None else getattr(instance, "_hub_cleared_users", [])
        sync_editors(list(users))
    else:
        sync_editors([instance.pk])
