"""Search hits for findings, recommendations and published reports link to the records' own
pages (learning.views.records), on the search page and in the JSON API, and the link opens for
the reader who found it."""

import pytest
from django.urls import reverse

from partnership.access import SharingLevel
from reviews.models import Recommendation
from tests.learning.library_world import finding, review

from .conftest import rebuild


@pytest.fixture
def linked(world, engine):
    wirral = world.partnerships["Wirral"]
    report = review(wirral, SharingLevel.PUBLIC, "Quasar report on neglect")
    found = finding(report, SharingLevel.PUBLIC, "Quasar finding on neglect")
    answer = Recommendation.objects.create(
        review=report, text="Quasar recommendation on neglect.", sharing_level=SharingLevel.PUBLIC
    )
    rebuild(engine)
    return {
        "review": reverse("library-report", args=[report.pk]),
        "finding": reverse("library-finding", args=[found.pk]),
        "recommendation": reverse("library-recommendation", args=[answer.pk]),
    }


def test_hits_link_to_the_records_pages(client, people, linked):
    client.force_login(people["practitioner"])
    html = client.get(reverse("search"), {"q": "quasar"}).text
    for kind, url in linked.items():
        assert f'<a class="govuk-link" href="{url}">' in html, kind

    data = client.get(reverse("api-search"), {"q": "quasar"}).json()
    urls = {hit["type"]: hit["url"] for hit in data["results"]}
    assert urls == {kind: f"http://testserver{url}" for kind, url in linked.items()}
    for url in linked.values():
        assert client.get(url).status_code == 200
