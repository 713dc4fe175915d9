from django import template

from partnership.models import Role, roles_of

register = template.Library()

# The people whose work the self-assessment pages are: those who run it, answer for an agency's
# return, or hold the partnership to account for it.
SELF_ASSESSMENT_ROLES = frozenset(
    {
        Role.PARTNERSHIP_MANAGER,
        Role.QUALITY_ASSURANCE,
        Role.AGENCY_LEAD,
        Role.INDEPENDENT_SCRUTINEER,
        Role.EXECUTIVE_GROUP,
    }
)


@register.filter
def offers_self_assessment(user) -> bool:
    """`{% if request.user|offers_self_assessment %}`: from the roles the request reads anyway."""
    if not getattr(user, "is_authenticated", False):
        return False  # also the error pages, which render with no request at all
    return bool(roles_of(user) & SELF_ASSESSMENT_ROLES)
