from django import template

from ..signoff import sign_off_progress as _sign_off_progress

register = template.Library()


@register.simple_tag
def sign_off_progress(review):
    return _sign_off_progress(review)
