"""What needs me: the sections of a person's home page, given by the apps that own the work.

The core cannot import reviews, learning or training (they import it), so each app registers a
Wagtail hook that returns its sections for the request, built from its own services (a rule is
never written again here):

- `hub_home_sections`: the site's home page, for everyone signed in (practitioners, agency
  leads, the executive group);
- `hub_admin_home_sections`: the panel at the top of the admin's home, for staff.

A hook returns a `Section`, a list of them, or None when the person has no part in that work.
A section with nothing in it still shows, with its `empty` sentence: "nothing waiting" is an
answer people look for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wagtail import hooks
from wagtail.admin.ui.components import Component

SITE_HOOK = "hub_home_sections"
ADMIN_HOOK = "hub_admin_home_sections"

# GOV.UK tag colours (govuk-tag--<colour>) for an item's tag; Wagtail's admin maps them to its own
# status tags in `hub/admin/home_sections.html`.
URGENT, SOON, DONE, NOTE = "red", "orange", "green", "grey"


@dataclass(frozen=True)
class Item:
    """One thing to do or know, linking to where it is done."""

    text: str
    url: str
    detail: str = ""
    tag: str = ""
    tag_colour: str = NOTE


@dataclass(frozen=True)
class Figure:
    """A count worth seeing at a glance ("3 overdue"), linking to the list behind it."""

    label: str
    value: int
    url: str = ""
    colour: str = NOTE


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    items: tuple[Item, ...] = ()
    figures: tuple[Figure, ...] = ()
    empty: str = "Nothing waiting."
    more_url: str = ""
    more_text: str = ""
    # Lower comes first; by default, in the order the apps registered.
    order: int = 100
    # A line under the heading, saying whose work it is ("Wirral Police's actions").
    caption: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.items and not any(figure.value for figure in self.figures)


def _flatten(made) -> Iterable[Section]:
    if made is None:
        return ()
    if isinstance(made, Section):
        return (made,)
    return made


def sections_for(request, hook: str = SITE_HOOK) -> list[Section]:
    """Every section the registered apps give this person, in order."""
    found: list[Section] = []
    for make in hooks.get_hooks(hook):
        found.extend(_flatten(make(request)))
    return sorted(found, key=lambda section: section.order)


class AdminHomePanel(Component):
    """The admin home's "what needs me" panels, above Wagtail's own."""

    name = "hub_what_needs_me"
    template_name = "hub/admin/home_sections.html"
    order = 10

    def get_context_data(self, parent_context):
        return {"sections": sections_for(parent_context["request"], ADMIN_HOOK)}
