from django import template

from learning import library

register = template.Library()


@register.simple_tag
def themes_of(kind, record):
    """A listed record's themes, read from what the listing prefetched."""
    return library.themes_of(kind, record)


@register.filter
def sharing_short(label: str) -> str:
    """ "Regional: members of every partnership in the region" -> "Regional"."""
    return str(label).split(":")[0]


@register.filter
def sharing_meaning(label: str) -> str:
    """ "Regional: members of every partnership in the region" -> "Members of every partnership
    in the region"."""
    meaning = str(label).partition(":")[2].strip()
    return meaning[:1].upper() + meaning[1:]
