"""Bad bytes never crash: a NUL in any address, query or form value is a clear 400, and in an
import a message naming its row and column. Run on SQLite and with DATABASE_URL on PostgreSQL,
which cannot store a NUL and used to answer 500.

The probes are generated: every URL pattern the site, the API and the admin route is walked, and
each is sent a NUL in its query string and in each of its path parameters."""

import html
import re

import pytest
from django.test import TestCase
from django.urls import reverse

from partnership.bad_bytes import MESSAGE
from tests.learning.actions_world import make_action
from tests.reviews.conftest import REVIEW_HEADER, csv_bytes, review_row
from tests.url_routes import routes

# The admin upload is an import job run by a Celery task: run it here (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("tasks_in_this_process")

SAMPLE = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": None}
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _concrete(route, nul_in=None):
    """The route with a sample for each parameter; `nul_in` gets a NUL appended."""

    def fill(match):
        value = SAMPLE.get(match.group(1) or "str", "x")
        if value is None:
            value = "00000000-0000-0000-0000-000000000000"
        return value + ("%00" if match.group(2) == nul_in else "")

    return "/" + _CONVERTER.sub(fill, route)


# Every route as a path template; regex patterns without groups as the literal they match. Others
# (Wagtail's page serving) are reached through the page probes.
ROUTES = sorted({route.path for route in routes() if route.exact})


def test_the_walk_reaches_the_site_the_api_and_the_admin():
    assert len(ROUTES) > 100
    for expected in ("my-actions/<str:reference>/", "api/", "admin/", "sign-in/"):
        assert any(r.startswith(expected) for r in ROUTES), expected


def _assert_refused(response, what):
    assert response.status_code == 400, (what, response.status_code)
    assert response.content.decode() == MESSAGE, what


@pytest.fixture
def admin_client(client, people):
    """A superuser: every view would run if the NUL got through."""
    client.force_login(people["admin"])
    return client


def test_a_nul_in_any_query_string_is_a_400(admin_client):
    for route in ROUTES:
        url = _concrete(route)
        _assert_refused(admin_client.get(url + "?q=%00&theme=a%00b"), url)
        _assert_refused(admin_client.get(url + "?%00=1"), url)


def test_a_nul_in_any_path_parameter_is_a_400(admin_client):
    probed = 0
    for route in ROUTES:
        for name in [m.group(2) for m in _CONVERTER.finditer(route)]:
            url = _concrete(route, nul_in=name)
            if name in url and "%00" not in url:
                continue
            _assert_refused(admin_client.get(url), url)
            probed += 1
    assert probed > 50


@pytest.mark.parametrize(
    "url",
    [
        "/api/findings/?theme=%00",
        "/my-actions/WIR%00/",
        "/search/?q=%00",
        "/briefings%00/",
        "/%00",
    ],
)
def test_the_reported_addresses_answer_400_in_words(client, people, url):
    client.force_login(people["agencylead"])
    _assert_refused(client.get(url), url)


def test_the_reported_addresses_answer_400_to_anyone(client, world):
    _assert_refused(client.get("/api/findings/?theme=%00"), "anonymous")
    _assert_refused(client.get("/my-actions/WIR%00/"), "anonymous")


def test_a_nul_in_a_form_value_is_a_400_and_nothing_changes(client, world, people):
    action = make_action(world, "WIR-ACT-NUL-1")
    client.force_login(people["agencylead"])
    response = client.post(
        f"/my-actions/{action.reference}/progress/", {"progress-text": "Audit done\x00."}
    )
    _assert_refused(response, "progress")
    assert not action.events.filter(kind="progress").exists()


def test_a_nul_in_a_sign_in_form_is_a_400(client, world):
    _assert_refused(client.post("/sign-in/", {"username": "admin\x00", "password": "x"}), "sign-in")


def test_a_nul_in_an_uploaded_file_is_the_files_business(client, world, people, settings, tmp_path):
    """A file's bytes may hold NULs by right (a PDF does): only form values are refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    action = make_action(world, "WIR-ACT-NUL-2")
    client.force_login(people["agencylead"])
    pdf = b"%PDF-1.4\n\x00\x01binary\n%%EOF\n"
    response = client.post(
        f"/my-actions/{action.reference}/evidence/",
        {
            "evidence-kind": "completion",
            "evidence-impact_type": "",
            "evidence-text": "Re-audit.",
            "evidence-document": SimpleUploadedFile("audit.pdf", pdf, "application/pdf"),
        },
    )
    assert response.status_code == 302
    assert action.evidence.get().document.file.read() == pdf


def test_a_nul_in_an_imported_cell_is_named_by_row_and_column(client, people):
    rows = [review_row(reference="WIR-RR-2026-01"), review_row(reference="WIR-RR-2026-02")]
    rows[1][REVIEW_HEADER.index("title")] = "Baby R\x00: bruising"
    content = csv_bytes(REVIEW_HEADER, rows)
    client.force_login(people["manager"])
    # The upload becomes an import job; the job's page keeps its result.
    with TestCase.captureOnCommitCallbacks(execute=True):
        posted = client.post(
            reverse("reviews_transfer:import_reviews"),
            {"file": _upload("tracker.csv", content)},
        )
    assert posted.status_code == 302
    response = client.get(posted.url)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "row 3, title: holds a NUL character" in page
    assert "Nothing was imported" in page


def test_the_actions_command_names_the_cell_too(world, tmp_path, capsys):
    from django.core.management import CommandError, call_command

    from learning.imports import COLUMNS

    path = tmp_path / "actions.csv"
    path.write_text(",".join(COLUMNS) + "\n" + ",".join(["x\x00"] * len(COLUMNS)) + "\n")
    with pytest.raises(CommandError):
        call_command("import_actions", str(path))
    assert f"row 2, {COLUMNS[0]}: holds a NUL character" in capsys.readouterr().err


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, "text/csv")
