"""Actions whose description starts like a formula, exported through the admin: the action list,
the actions report and Wagtail's site history write the cell as text, in CSV and in XLSX."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.log_actions import log

FORMULAS = ['=HYPERLINK("http://x")', "+1", "-1", "@SUM(A1)"]

ACTION_LIST = "/admin/snippets/learning/action/"


def body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def csv_column(response, heading) -> list[str]:
    rows = csv.DictReader(io.StringIO(body(response).decode("utf-8-sig"), newline=""))
    return sorted(row[heading] for row in rows)


def xlsx_column(response, heading) -> list[tuple]:
    rows = list(openpyxl.load_workbook(io.BytesIO(body(response))).active.iter_rows())
    column = [cell.value for cell in rows[0]].index(heading)
    return sorted((row[column].value, row[column].data_type) for row in rows[1:])


@pytest.fixture
def formula_actions(make_action):
    return [make_action(description=text) for text in FORMULAS]


@pytest.mark.parametrize("url", [ACTION_LIST, reverse("learning_reports:actions")])
def test_action_exports_write_formula_descriptions_as_text(client, people, formula_actions, url):
    client.force_login(people["qa"])

    exported = csv_column(client.get(url, {"export": "csv"}), "Description")
    assert exported == sorted("'" + text for text in FORMULAS)

    cells = xlsx_column(client.get(url, {"export": "xlsx"}), "Description")
    assert cells == sorted((text, "s") for text in FORMULAS)


def test_wagtails_site_history_writes_a_formula_user_name_as_text(client, people, make_action):
    """A person may name themselves anything; the site history export carries the name."""
    action = make_action()
    for text in FORMULAS:
        author = get_user_model().objects.create_user(text, first_name=text)
        log(action, "wagtail.edit", user=author)
    client.force_login(people["admin"])
    url = reverse("wagtailadmin_reports:site_history")

    names = csv_column(client.get(url, {"export": "csv"}), "User")
    assert names == sorted("'" + text for text in FORMULAS)

    cells = xlsx_column(client.get(url, {"export": "xlsx"}), "User")
    assert cells == sorted((text, "s") for text in FORMULAS)
