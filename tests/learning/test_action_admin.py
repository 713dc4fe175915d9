"""Actions in the admin: each reader's own share, found or not found, with the state read-only."""

import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.usefixtures("reports_world")

INDEX = "wagtailsnippets_learning_action:list"


def listed(client, **params):
    response = client.get(reverse(INDEX), params)
    assert response.status_code == 200
    return response.content.decode()


def test_quality_assurance_lists_only_what_it_may_see(client, people, liverpool_qa):
    client.force_login(people["qa"])
    page = listed(client)
    # WIR-E1 is restricted, but quality assurance oversees its own partnership's actions.
    assert "WIR-A1" in page and "WIR-F1" in page and "WIR-E1" in page
    # Liverpool's partnership-level and restricted actions.
    for hidden in ("LIV-L1", "LIV-L2"):
        assert hidden not in page
    client.force_login(people["scrutineer"])
    page = listed(client)
    assert "WIR-A1" in page and "WIR-E1" not in page
    client.force_login(liverpool_qa)
    page = listed(client)
    assert "LIV-L2" in page
    assert "WIR-" not in page


def test_the_list_filters_by_rag_and_searches(client, people):
    client.force_login(people["manager"])
    page = listed(client, rag="amber")
    assert "WIR-E1" in page and "WIR-A1" not in page
    page = listed(client, q="WIR-D")
    assert "WIR-D1" in page and "WIR-F1" not in page


def test_the_list_exports_csv(client, people):
    client.force_login(people["manager"])
    response = client.get(reverse(INDEX), {"export": "csv", "state": "embedded"})
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert sorted(r["Reference"] for r in rows) == ["WIR-A1", "WIR-B1"]
    assert {r["RAG"] for r in rows} == {"Blue: complete"}


def test_an_action_the_reader_may_not_see_is_not_found(client, people, liverpool_qa, reports_world):
    hidden = reports_world.actions["E1"]
    for name in ("edit", "inspect", "history", "delete"):
        url = reverse(f"wagtailsnippets_learning_action:{name}", args=[hidden.pk])
        client.force_login(people["scrutineer"])
        assert client.get(url).status_code == 404, name
        client.force_login(liverpool_qa)
        assert client.get(url).status_code in (403, 404), name
    url = reverse("wagtailsnippets_learning_action:edit", args=[hidden.pk])
    for overseer in ("manager", "qa"):
        client.force_login(people[overseer])
        assert client.get(url).status_code == 200, overseer


def test_the_state_is_read_only_in_the_edit_form(client, people, reports_world):
    action = reports_world.actions["F1"]
    client.force_login(people["qa"])
    url = reverse("wagtailsnippets_learning_action:edit", args=[action.pk])
    form = client.get(url).context["form"]
    assert "state" not in form.fields
    assert "description" in form.fields


def test_reviewers_and_the_scrutineer_only_view(client, people):
    for name in ("reviewer", "scrutineer"):
        user = people[name]
        assert user.has_perm("learning.view_action"), name
        assert not user.has_perm("learning.change_action"), name
    for name in ("qa", "manager"):
        assert people[name].has_perm("learning.change_action"), name
        assert not people[name].has_perm("learning.delete_action"), name
