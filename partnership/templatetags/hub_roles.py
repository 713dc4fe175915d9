from django import template

from partnership.roles import uses_admin

register = template.Library()


@register.filter
def offers_admin(user) -> bool:
    """`{% if request.user|offers_admin %}`: the admin link, from the person's roles (read once
    per request for the access policy anyway) rather than two permission queries."""
    return uses_admin(user)
