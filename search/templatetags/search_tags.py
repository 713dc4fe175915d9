from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def facet_checkboxes(choices, param):
    """GOV.UK checkboxes, one per facet value (`search.views._facet_choices`). Built here rather
    than by an include per value: a search page shows some seventy of them, and an include each
    cost it 4 ms (measured), a tenth of its time."""
    return format_html_join(
        "\n",
        '<div class="govuk-checkboxes__item">'
        '<input class="govuk-checkboxes__input" id="{}" name="{}" type="checkbox" value="{}"{}>'
        '<label class="govuk-label govuk-checkboxes__label" for="{}">{} ({})</label>'
        "</div>",
        (
            (
                choice["id"],
                param,
                choice["value"],
                mark_safe(" checked") if choice["selected"] else "",
                choice["id"],
                choice["label"],
                choice["count"],
            )
            for choice in choices
        ),
    )
