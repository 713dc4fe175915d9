"""Admin listing columns whose cells are written in Python rather than a template each.

Wagtail renders every table cell through its own template (`wagtailadmin/tables/cell.html`):
a report of 50 rows and seven columns renders 350 templates, which was most of the time the
actions report and the review listing took. `PlainColumn` writes the same cell with
`format_html`, escaping as the template does; columns with markup of their own (titles with
links, status tags) keep Wagtail's templates."""

from django.utils.html import format_html
from wagtail.admin.ui.tables import Column


class PlainColumn(Column):
    def render_cell_html(self, instance, parent_context):
        value = self.get_cell_context_data(instance, parent_context)["value"]
        if self.classname:
            return format_html('<td class="{}">{}</td>', self.classname, _shown(value))
        return format_html("<td>{}</td>", _shown(value))


def _shown(value):
    return "" if value is None else value
