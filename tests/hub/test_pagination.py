"""One pagination for every list: GOV.UK's component, keeping the filters in each link."""

from django.http import QueryDict

from hub.pagination import page_links


def test_one_page_needs_no_links():
    assert page_links(1, 1, QueryDict("q=neglect")) == {}


def test_the_links_keep_the_filters_and_elide_the_middle():
    links = page_links(5, 9, QueryDict("q=toxic+trio&type=finding&page=5"))
    assert links["previous"] == "?q=toxic+trio&type=finding&page=4"
    assert links["next"] == "?q=toxic+trio&type=finding&page=6"
    shown = [item.get("number", "…") for item in links["items"]]
    assert shown == [1, "…", 4, 5, 6, "…", 9]
    assert [item["number"] for item in links["items"] if item.get("current")] == [5]


def test_the_first_and_last_pages_have_no_previous_or_next():
    assert page_links(1, 3)["previous"] is None
    assert page_links(3, 3, {"state": "open"})["next"] is None
    assert page_links(3, 3, {"state": "open"})["previous"] == "?state=open&page=2"
