"""Signing in with a username and password, as Django's ModelBackend does, with one change:
the person is loaded with their membership (partnership and agency) in the same query.

Every signed-in request needs both: who the person is, and where they work (the access policy,
the page header). Loaded apart they were two queries on every page."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class MemberBackend(ModelBackend):
    def get_user(self, user_id):
        manager = get_user_model()._default_manager
        try:
            user = manager.select_related("membership__partnership", "membership__agency").get(
                pk=user_id
            )
        except manager.model.DoesNotExist:
            return None
        # Where `partnership.access.membership_of` keeps it: None when they have none.
        user._hub_membership = getattr(user, "membership", None)
        return user if self.user_can_authenticate(user) else None
