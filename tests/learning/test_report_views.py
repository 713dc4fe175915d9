"""The report pages, exports and evidence pack through the admin, as each reader sees them."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from learning.models import Action

pytestmark = pytest.mark.usefixtures("reports_world")


def actions_url(**params):
    from urllib.parse import urlencode

    return reverse("learning_reports:actions") + ("?" + urlencode(params) if params else "")


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


def test_report_readers_see_the_actions_report(client, people):
    for name in ("qa", "manager", "scrutineer"):
        client.force_login(people[name])
        response = client.get(actions_url())
        assert response.status_code == 200, name
        assert b"WIR-A1" in response.content
        assert b"Actions by owner agency and RAG rating" in response.content


def test_other_roles_may_not_read_reports(client, people, reports_world):
    for name in ("reviewer", "agencylead", "practitioner", "trainer"):
        client.force_login(people[name])
        assert client.get(actions_url()).status_code in (302, 403), name
        assert client.get(reverse("learning_reports:funnel")).status_code in (302, 403), name
        pack = reverse("learning_reports:evidence_pack", args=[reports_world.review.pk])
        assert client.get(pack).status_code in (302, 403), name


def test_csv_export_holds_the_filtered_rows(client, people):
    client.force_login(people["manager"])
    response = client.get(actions_url(export="csv", rag="red"))
    assert response["Content-Type"] == "text/csv"
    rows = csv_rows(response)
    assert [row["Reference"] for row in rows] == ["WIR-D1"]
    assert rows[0]["RAG"] == "Red: overdue"
    assert rows[0]["Owner agency"] == "Merseyside Police"
    assert rows[0]["Review"] == "WIR-LR-1"


def test_xlsx_export_holds_every_visible_action(client, people):
    client.force_login(people["manager"])
    response = client.get(actions_url(export="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Reference"
    assert sorted(row[0] for row in rows[1:]) == [
        "WIR-A1",
        "WIR-A2",
        "WIR-B1",
        "WIR-D1",
        "WIR-D2",
        "WIR-E1",
        "WIR-F1",
    ]


def test_exporting_a_restricted_action_leaves_an_audit_entry(client, people, reports_world):
    client.force_login(people["manager"])
    client.get(actions_url(export="csv"))
    entries = ModelLogEntry.objects.filter(action="hub.action.exported")
    assert [(e.object_id, e.user_id) for e in entries] == [
        (str(reports_world.actions["E1"].pk), people["manager"].pk)
    ]


def test_liverpool_never_sees_wirral_actions_in_reports_or_exports(client, liverpool_qa, people):
    for user in (liverpool_qa, people["liverpool.manager"]):
        client.force_login(user)
        page = client.get(actions_url())
        assert b"WIR-" not in page.content
        refs = [row["Reference"] for row in csv_rows(client.get(actions_url(export="csv")))]
        assert not [r for r in refs if r.startswith("WIR-")]
    client.force_login(people["liverpool.manager"])
    refs = [row["Reference"] for row in csv_rows(client.get(actions_url(export="csv")))]
    assert refs == ["LIV-L1", "LIV-L2"]


def test_liverpool_cannot_open_wirrals_evidence_pack(client, liverpool_qa, people, reports_world):
    url = reverse("learning_reports:evidence_pack", args=[reports_world.review.pk])
    for user in (liverpool_qa, people["liverpool.manager"]):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(url + "?format=pdf").status_code == 404


def test_the_evidence_pack_shows_recommendations_actions_evidence_and_sign_off(
    client, people, reports_world
):
    client.force_login(people["manager"])
    url = reverse("learning_reports:evidence_pack", args=[reports_world.review.pk])
    page = client.get(url).content.decode()
    assert "Agencies should share information about neglect at the front door." in page
    assert "Re-audit of 20 contacts: 18 shared." in page
    assert "Quentin Ashby, 1 February 2027" in page
    assert "Impact evidenced to Embedded" in page
    assert "@media print" in page


def test_the_evidence_pack_pdf_is_a_pdf_with_the_recommendations(client, people, reports_world):
    from pypdf import PdfReader

    client.force_login(people["manager"])
    url = reverse("learning_reports:evidence_pack", args=[reports_world.review.pk])
    response = client.get(url + "?format=pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Supervision should test the impact of cumulative harm." in " ".join(text.split())


def test_the_funnel_page_and_its_export(client, people):
    client.force_login(people["manager"])
    page = client.get(reverse("learning_reports:funnel"))
    assert page.status_code == 200
    assert b"Is anyone better off?" in page.content
    rows = csv_rows(client.get(reverse("learning_reports:funnel") + "?export=csv"))
    assert rows[-1]["Review"] == "Wirral"
    assert [rows[-1][k] for k in ("Recommendations", "With actions", "Embedded")] == ["5", "4", "1"]


def test_the_report_page_costs_the_same_queries_for_5_and_50_actions(
    client, people, world, django_assert_max_num_queries, settings
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.HUB_PAGE_CACHE_SECONDS = 0  # the counts as built, not as kept (learning.report_cache)
    client.force_login(people["manager"])
    client.get(actions_url())  # warm caches of the session and the user

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(actions_url()).status_code == 200
            assert client.get(reverse("learning_reports:funnel")).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    template = Action.objects.get(reference="WIR-D1")
    Action.objects.bulk_create(
        [
            Action(
                reference=f"WIR-BULK-{i:03d}",
                description="Bulk action",
                partnership=template.partnership,
                owner_agency=world.agencies[("Wirral", "Police" if i % 2 else "CSC")],
                due_date=template.due_date,
                review=template.review,
                recommendation=template.recommendation,
                state="open" if i % 3 else "embedded",
            )
            for i in range(45)
        ]
    )
    assert count() == before


def _agencies_in_chart(svg: bytes) -> set[str]:
    import re

    chart = svg.split(b'id="chart-rag-by-agency"', 1)[1].split(b"</figure>", 1)[0].decode()
    return set(re.findall(r'text-anchor="end"[^>]*>([^<]+)</text>', chart))


def test_the_actions_report_draws_rag_by_agency_from_its_own_table(client, people):
    client.force_login(people["qa"])
    page = client.get(actions_url()).content
    assert b'role="img"' in page and b'href="#rag-by-agency-table"' in page
    assert b'id="rag-by-agency-table"' in page
    agencies = _agencies_in_chart(page)
    table = page.split(b'id="rag-by-agency-table"', 1)[1].split(b"</table>", 1)[0].decode()
    # A long name is cut short on the picture (the table has it whole).
    assert agencies and all(name.rstrip("…") in table for name in agencies)


def test_the_chart_downloads_as_svg_with_the_reports_filters(client, people):
    client.force_login(people["qa"])
    response = client.get(actions_url(chart="rag-by-agency", rag="red"))
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    assert body.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in body
    # Filtered as the page is: red only, so one series is drawn.
    assert "Green: on track:" not in body


def test_liverpool_s_chart_holds_no_wirral_agency(client, liverpool_qa, people):
    for user in (liverpool_qa, people["liverpool.manager"]):
        client.force_login(user)
        assert not [
            a for a in _agencies_in_chart(client.get(actions_url()).content) if "Wirral" in a
        ]


def test_the_funnel_page_draws_its_stages_and_downloads_them(client, people):
    client.force_login(people["manager"])
    url = reverse("learning_reports:funnel")
    page = client.get(url).content
    assert b'id="chart-learning-embedded"' in page and b'id="learning-embedded-table"' in page
    response = client.get(url, {"chart": "learning-embedded"})
    assert response["Content-Disposition"] == 'attachment; filename="learning-embedded.svg"'
