"""The action reports cost the same number of queries however many actions and reviews there
are, page before they join, and export every visible row in chunks."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning import report_cache, reports
from learning.models import Action, ActionState
from reviews.models import Recommendation, Review, ReviewType

pytestmark = pytest.mark.usefixtures("reports_world")

MAX_QUERIES = 15
ACTIONS = reverse("learning_reports:actions")
FUNNEL = reverse("learning_reports:funnel")


def _grow(world, reviews: int, actions_each: int, start: int):
    """More Wirral reviews, each with a recommendation and actions in several states, owned
    by several agencies."""
    wirral = world.partnerships["Wirral"]
    agencies = [world.agencies[("Wirral", name)] for name in ("Police", "CSC")]
    states = [ActionState.OPEN, ActionState.COMPLETED, ActionState.EMBEDDED]
    made = []
    for n in range(start, start + reviews):
        review = Review.objects.create(
            reference=f"WIR-SC-{n:03d}",
            title=f"Scaled review {n}",
            review_type=ReviewType.LEARNING_REVIEW,
            lead_partnership=wirral,
            sharing_level="partnership",
        )
        recommendation = Recommendation.objects.create(review=review, text=f"Do better {n}")
        made.append(review)
        Action.objects.bulk_create(
            Action(
                reference=f"WIR-SC-{n:03d}-{i}",
                description="Scaled action",
                review=review,
                recommendation=recommendation,
                partnership=wirral,
                owner_agency=agencies[i % 2],
                due_date=date(2027, 1, 1 + i % 28),
                state=states[i % 3],
                sharing_level="restricted" if i % 4 == 0 else "partnership",
            )
            for i in range(actions_each)
        )
    # Bulk creation sends no post_save: renew the reports' generation, as the import
    # pipeline's written_in_bulk does.
    report_cache.invalidate()
    return made


def _count(client, url):
    client.get(url)  # fill per-process caches and the cached filter choices
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [ACTIONS, FUNNEL, ACTIONS + "?rag=red&theme=1&review=WIR-LR-1"])
def test_report_pages_cost_the_same_queries_for_a_small_and_a_larger_world(
    client, people, world, django_assert_max_num_queries, url
):
    client.force_login(people["qa"])
    small = _count(client, url)
    _grow(world, reviews=25, actions_each=8, start=0)
    large = _count(client, url)
    assert small == large
    assert large <= MAX_QUERIES
    with django_assert_max_num_queries(small):
        client.get(url)


def test_the_actions_page_joins_only_its_own_rows(client, people, world):
    _grow(world, reviews=6, actions_each=20, start=100)
    client.force_login(people["manager"])
    client.get(ACTIONS)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(ACTIONS + "?p=2")
    rows = [q["sql"] for q in captured if 'FROM "learning_action"' in q["sql"]]
    listed = [sql for sql in rows if '"partnership_agency"."name"' in sql and "LIMIT" in sql]
    assert len(listed) == 1  # the page: its ids chosen over the actions alone, then joined
    assert response.context["page_obj"].paginator.count == 127
    assert len(response.context["object_list"]) == 50
    dates = [a.due_date for a in response.context["object_list"]]
    assert dates == sorted(dates)
    # Page 2 follows page 1 with no overlap and no gap.
    first = {a.pk for a in client.get(ACTIONS).context["object_list"]}
    second = {a.pk for a in response.context["object_list"]}
    assert not first & second


def test_summary_tables_agree_with_the_listing(people, world):
    _grow(world, reviews=3, actions_each=10, start=200)
    summary = reports.action_summary(people["manager"], date(2027, 1, 7))
    visible = reports.report_actions(people["manager"], date(2027, 1, 7))
    assert summary["by_rag"].total == summary["by_state"].total == visible.count()
    for table in summary.values():
        assert sum(row["total"] for row in table.rows) == table.total
        assert sum(table.total_cells) == table.total


def test_the_review_filter_takes_a_reference_in_any_case_or_an_id(client, people, reports_world):
    client.force_login(people["manager"])
    by_reference = client.get(ACTIONS + "?review=wir-lr-2")
    refs = {a.reference for a in by_reference.context["object_list"]}
    assert refs == {"WIR-E1"}
    by_id = client.get(ACTIONS + f"?review={reports_world.other_review.pk}")
    assert {a.reference for a in by_id.context["object_list"]} == refs
    nothing = client.get(ACTIONS + "?review=NO-SUCH-REVIEW")
    assert list(nothing.context["object_list"]) == []


def test_another_partnerships_review_reference_shows_nothing(client, liverpool_qa):
    client.force_login(liverpool_qa)
    response = client.get(ACTIONS + "?review=WIR-LR-1")
    assert list(response.context["object_list"]) == []
    # The typed reference comes back in the form; nothing of the review or its actions does.
    assert b"Child W" not in response.content and b"WIR-A1" not in response.content


def test_filter_choices_are_cached_and_renewed_when_an_agency_changes(client, people, world):
    client.force_login(people["manager"])
    first = client.get(ACTIONS).content.decode()
    assert "Merseyside Police (Wirral)" in first
    agency = world.agencies[("Wirral", "Police")]
    agency.name = "Merseyside Police Constabulary"
    agency.save()  # a save starts a new generation of the cached lists
    assert "Merseyside Police Constabulary (Wirral)" in client.get(ACTIONS).content.decode()


def test_a_fresh_agency_missing_from_a_stale_list_can_still_be_chosen(client, people, world):
    client.force_login(people["manager"])
    client.get(ACTIONS)  # the choices are cached now
    csc = world.agencies[("Wirral", "CSC")]
    Action.objects.filter(reference="WIR-A1").update(owner_agency=csc)  # no signal
    response = client.get(ACTIONS + f"?owner_agency={csc.pk}")
    assert "WIR-A1" in {a.reference for a in response.context["object_list"]}


def test_the_csv_export_streams_every_visible_row_in_chunks(
    client, people, world, monkeypatch, django_assert_max_num_queries
):
    _grow(world, reviews=2, actions_each=30, start=300)
    chunk_sizes = []
    original = reports.StreamedRows.__iter__

    def spy(self):
        chunk_sizes.append(self.chunk_size)
        return original(self)

    monkeypatch.setattr(reports.StreamedRows, "__iter__", spy)
    client.force_login(people["manager"])
    visible = reports.report_actions(people["manager"], date(2027, 1, 7)).count()
    response = client.get(ACTIONS + "?export=csv")
    with django_assert_max_num_queries(MAX_QUERIES):
        body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == visible
    assert chunk_sizes == [2000]
    assert {row["Partnership"] for row in rows} == {"Wirral"}


def test_exporting_logs_every_restricted_action_in_batches(
    client, people, world, django_assert_max_num_queries
):
    from wagtail.models import ModelLogEntry

    _grow(world, reviews=2, actions_each=40, start=400)
    restricted = (
        reports.report_actions(people["manager"], date(2027, 1, 7))
        .filter(sharing_level="restricted")
        .count()
    )
    client.force_login(people["manager"])
    client.get(ACTIONS)
    with django_assert_max_num_queries(MAX_QUERIES + 5):
        client.get(ACTIONS + "?export=xlsx")
    entries = ModelLogEntry.objects.filter(action=reports.EXPORTED)
    assert entries.count() == restricted > 20
    entry = entries.get(object_id=str(Action.objects.get(reference="WIR-SC-400-0").pk))
    assert entry.user == people["manager"]
    assert entry.label.startswith("WIR-SC-400-0: ")


def test_the_funnel_pages_its_reviews_and_its_total_counts_them_all(client, people, world):
    made = _grow(world, reviews=55, actions_each=1, start=500)
    client.force_login(people["manager"])
    funnel = reports.funnel(people["manager"], date(2027, 1, 7))
    assert len(funnel.reviews) == 57  # the two of the reports world and the new ones
    assert funnel.total.recommendations == sum(r.recommendations for r in funnel.reviews)
    # The audit action has no review: counted in the total, on no review's line.
    assert funnel.total.actions == sum(r.actions for r in funnel.reviews) + 1

    first = client.get(FUNNEL).content.decode()
    assert "Reviews 1 to 50 of 57" in first
    assert made[0].reference in first and made[-1].reference not in first
    second = client.get(FUNNEL + "?p=2").content.decode()
    assert made[-1].reference in second
    export = client.get(FUNNEL + "?export=csv")
    exported = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert len(exported) == 57 + 1  # every review and the partnership


def _counts(response) -> tuple[int, int, int]:
    summary = response.context["summary"]
    paginator = response.context["page_obj"].paginator
    return paginator.count, summary["by_rag"].total, summary["by_state"].total


def test_the_reports_counts_are_kept_per_reader_and_renewed_by_a_new_action(
    client, people, world, make_action
):
    """The count and summary tables are read once and shared by the report's pages; a new
    action shows in them on the next request."""
    client.force_login(people["qa"])
    first = client.get(ACTIONS)
    total = first.context["page_obj"].paginator.count
    assert _counts(first) == (total, total, total)
    with CaptureQueriesContext(connection) as again:
        client.get(ACTIONS)
    counting = [q["sql"] for q in again if "COUNT(" in q["sql"].upper()]
    assert counting == []  # neither the paginator's count nor the summary's grouping ran

    make_action(agency=("Wirral", "Police"), description="Newly agreed")
    assert _counts(client.get(ACTIONS)) == (total + 1, total + 1, total + 1)


def test_a_bulk_write_of_actions_renews_the_reports_counts(client, people, world):
    from hub.signals import written_in_bulk

    client.force_login(people["qa"])
    total = client.get(ACTIONS).context["page_obj"].paginator.count
    made = Action.objects.bulk_create(
        Action(
            reference=f"WIR-BULK-{n}",
            description="Imported action",
            partnership=world.partnerships["Wirral"],
            owner_agency=world.agencies[("Wirral", "Police")],
            due_date=date(2027, 3, 1),
            sharing_level="partnership",
        )
        for n in range(3)
    )
    written_in_bulk.send(sender=Action, records=[(Action, action.pk) for action in made])
    assert _counts(client.get(ACTIONS)) == (total + 3,) * 3


def test_one_readers_counts_never_reach_another(client, people, liverpool_qa):
    """Wirral's QA warms the cache first; Liverpool's QA is counted only what Liverpool may
    see, on every filter alike."""
    from django.utils import timezone

    today = timezone.localdate()
    for url in (ACTIONS + "?rag=red", ACTIONS):
        client.force_login(people["qa"])
        wirral = client.get(url)
        client.force_login(liverpool_qa)
        liverpool = client.get(url)
        filters = {"rag": "red"} if "rag" in url else {}
        theirs = reports.report_actions(liverpool_qa, today, filters).count()
        ours = reports.report_actions(people["qa"], today, filters).count()
        assert _counts(liverpool) == (theirs,) * 3
        assert _counts(wirral) == (ours,) * 3
    assert _counts(liverpool) != _counts(wirral)  # unfiltered: two partnerships' actions differ
