"""`PlainColumn` writes the cell Wagtail's template would, escaped alike, without a template."""

from types import SimpleNamespace

import pytest
from wagtail.admin.ui.tables import Column

from hub.admin_columns import PlainColumn


def _squeezed(html: str) -> str:
    return " ".join(html.split()).replace("> ", ">").replace(" <", "<").replace("<td >", "<td>")


@pytest.mark.parametrize(
    "value", ['<script>alert("x")</script> & co', None, "", "  ", 12345, "Wirral & Cheshire"]
)
@pytest.mark.parametrize("classname", [None, "title"])
def test_a_plain_cell_is_the_cell_wagtails_template_writes(value, classname):
    row = SimpleNamespace(value=value)
    context = {"row": row, "table": None, "request": None}
    wagtails = Column("value", classname=classname).render_cell_html(row, context)
    ours = PlainColumn("value", classname=classname).render_cell_html(row, context)
    assert _squeezed(ours) == _squeezed(wagtails)
    assert "<script>" not in ours
