from django import template

from .. import evaluations

register = template.Library()


@register.simple_tag
def booking_outcome(booking):
    """What the delegate can do next about a past booking (see `evaluations.outcome`). Costs no
    query when the page loaded the booking with `evaluations` prefetched and
    `session__course__partnership__training_terms` selected."""
    return evaluations.outcome(booking)
