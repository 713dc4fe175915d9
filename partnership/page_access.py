"""The access policy for Wagtail pages that hold learning (briefings, courses).

Wagtail's page permissions are per subtree: the region's library and the course list are
subtrees every partnership's editors write in, so the tree alone would let Wirral's editors change
Liverpool's briefings and courses. A page's own `permissions_for_user` returns a tester that asks
`partnership.access.can_change` on top of what Wagtail grants, for every way of changing a page
(edit, delete, publish, unpublish, lock, unlock, move, copy, revisions, workflow)."""

from django.db.models import Q
from wagtail.models import PagePermissionTester, get_page_models
from wagtail.permission_policies.pages import PagePermissionPolicy

from .access import can_change, membership_of, sees_everything, visibility_q


class OwnPartnershipPageTester(PagePermissionTester):
    """Wagtail's page permissions, where each method in `OWNED` also needs `owns()`: by default
    that the page belongs to the person's own partnership (a library page)."""

    OWNED = (
        "can_edit",
        "can_delete",
        "can_unpublish",
        "can_publish",
        "can_submit_for_moderation",
        "can_set_view_restrictions",
        "can_unschedule",
        "can_lock",
        "can_unlock",
        "can_move",
        "can_copy",
        "can_move_to",
        "can_copy_to",
        "can_view_revisions",
    )

    def owns(self) -> bool:
        if self.user.is_superuser:
            return True
        membership = membership_of(self.user)
        owner = self.page.partnership_id
        return owner is not None and membership is not None and owner == membership.partnership_id

    def __getattribute__(self, name):
        if name in type(self).OWNED:
            allowed = super().__getattribute__(name)
            return lambda *args, **kwargs: self.owns() and allowed(*args, **kwargs)
        return super().__getattribute__(name)


class AccessPageTester(OwnPartnershipPageTester):
    """For a page with an access rule: changed only by those the access policy lets change it
    (its partnership's people who may see it, and those named on it)."""

    def owns(self) -> bool:
        return can_change(self.user, self.page)


def visible_pages(user, pages):
    """`pages` without those the access policy hides from `user`: of every page type with an
    access rule, the pages it would not show them. Other page types are Wagtail's to decide."""
    if sees_everything(user):
        return pages
    hidden = Q()
    for model in get_page_models():
        if "access_rule" in vars(model):
            shown = model._base_manager.filter(visibility_q(user, model)).values("pk")
            hidden |= Q(pk__in=model._base_manager.exclude(pk__in=shown).values("pk"))
    return pages.exclude(hidden) if hidden else pages


class AccessPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, whose lists (the explorer's, the admin API's, the page
    chooser's) leave out the pages the access policy hides from the person."""

    def explorable_instances(self, user):
        return visible_pages(user, super().explorable_instances(user))

    def instances_user_has_any_permission_for(self, user, actions):
        return visible_pages(user, super().instances_user_has_any_permission_for(user, actions))
