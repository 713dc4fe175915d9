"""What every self-assessment page shares: records found only through the access policy (404
for anyone who may not see them, so that nobody learns they exist)."""

from django.http import Http404

from learning.views.my_actions import DATE_PARTS

__all__ = ["DATE_PARTS", "visible_or_404"]


def visible_or_404(queryset, user, **lookup):
    found = queryset.visible_to(user).filter(**lookup).first()
    if found is None:
        raise Http404
    return found
