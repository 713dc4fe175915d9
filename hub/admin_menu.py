"""Admin menu items that only some people see.

Wagtail shows a menu item to everyone who reaches the admin unless its `is_shown` says otherwise;
each domain says who may use its pages with a small predicate on the person, so one class takes
that predicate instead of a subclass a page. The page itself checks again: hiding a link is a
courtesy, never the access rule."""

from wagtail.admin.menu import MenuItem


class MenuItemFor(MenuItem):
    """A menu item shown when `shown_to(user)` is true."""

    def __init__(self, label, url, *, shown_to, **kwargs):
        super().__init__(label, url, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return bool(self.shown_to(request.user))
