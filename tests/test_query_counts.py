"""Signed-in pages cost the same number of queries however large the partnership world grows."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

MAX_QUERIES = 15
# Later issues add their signed-in pages here.
SIGNED_IN_PAGES = ["/"]


def _queries_for(client, path):
    # The first request fills per-process caches (site root paths, content types): count the next.
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_signed_in_pages_use_a_constant_number_of_queries(db, client, path):
    practitioner = "practitioner"
    call_command("load_demo", scale=1)
    client.force_login(get_user_model().objects.get(username=practitioner))
    small = _queries_for(client, path)

    call_command("load_demo", scale=3)
    client.force_login(get_user_model().objects.get(username=practitioner))
    large = _queries_for(client, path)

    assert small == large
    assert large <= MAX_QUERIES
