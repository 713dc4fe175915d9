from django import template
from django.contrib.auth import get_user_model
from django.db.models import Q

from partnership.models import Role

from .. import report_cache
from ..models import RAG, Action

register = template.Library()

# GOV.UK Frontend's tag colours for each rating; the tag's text always names the rating too.
RAG_TAG_CLASSES = {
    RAG.RED: "govuk-tag--red",
    RAG.AMBER: "govuk-tag--orange",
    RAG.GREEN: "govuk-tag--green",
    RAG.BLUE: "",  # GOV.UK Frontend 6's plain tag is its blue one
    RAG.GREY: "govuk-tag--grey",
}
RAG_WORDS = {
    RAG.RED: "Red: overdue",
    RAG.AMBER: "Amber: due soon",
    RAG.GREEN: "Green: on track",
    RAG.BLUE: "Blue: complete",
    RAG.GREY: "Grey: not achieved",
}
STATE_TAG_CLASSES = {
    "open": "govuk-tag--grey",
    "in_progress": "govuk-tag--purple",
    "completed": "",
    "impact_evidenced": "govuk-tag--turquoise",
    "embedded": "govuk-tag--green",
    "not_achieved": "govuk-tag--pink",
}


@register.simple_tag(takes_context=True)
def shows_my_actions(context) -> bool:
    """Whether the navigation offers "My actions": to agency leads and anyone leading an action.

    The header is on every page: whether someone leads an action is kept until an action
    changes (`learning.report_cache`), and remembered on the user for the rest of the request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(user, "_hub_shows_my_actions", None)
    if cached is None:
        roles = getattr(user, "_hub_roles", None)
        if roles is not None:
            cached = Role.AGENCY_LEAD in roles or report_cache.remember(
                "leads-actions", user, (), Action.objects.filter(lead_id=user.pk).exists
            )
        else:
            cached = (
                get_user_model()
                .objects.filter(pk=user.pk)
                .filter(Q(groups__name=Role.AGENCY_LEAD.label) | Q(led_actions__isnull=False))
                .exists()
            )
        user._hub_shows_my_actions = cached
    return cached


@register.inclusion_tag("learning/my_actions/includes/rag_tag.html")
def rag_tag(rag):
    rag = RAG(rag)
    return {"classes": RAG_TAG_CLASSES[rag], "words": RAG_WORDS[rag]}


@register.inclusion_tag("learning/my_actions/includes/state_tag.html")
def state_tag(action):
    return {"classes": STATE_TAG_CLASSES[action.state], "words": action.get_state_display()}
