from django.utils.functional import SimpleLazyObject

from .access import membership_of


def membership(request):
    """The signed-in person's membership, looked up only if a template asks for it."""
    user = getattr(request, "user", None)
    return {"hub_membership": SimpleLazyObject(lambda: membership_of(user))}
