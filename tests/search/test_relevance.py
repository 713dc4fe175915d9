"""The relevance set (tests/search/relevance.py) over the whole demo, for each engine; and, over
the same demo, that a practitioner never sees a restricted record in hits, snippets or counts,
and that the access tokens agree with the policy for every model and every demo person."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from partnership.access import (
    SharingLevel,
    access_tokens,
    audience_tokens,
    audience_tokens_for_partnership,
    visible_to,
    visible_to_partnership,
)
from partnership.models import Partnership
from reviews.models import Finding
from search import service, sources

from .relevance import CASES

pytestmark = pytest.mark.django_db


def _reader(username):
    if username == "anonymous":
        return AnonymousUser()
    return get_user_model().objects.get(username=username)


def test_the_relevance_set_is_big_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[f"{c.query}-{c.reader}" for c in CASES])
def test_relevance(demo, case):
    results = service.search(_reader(case.reader), case.query)
    titles = [hit.title for hit in results.hits]
    for wanted in case.expect:
        assert any(wanted in title for title in titles), f"{wanted!r} not found in {titles}"
    for unwanted in case.never:
        assert not any(unwanted in title for title in titles), f"{unwanted!r} was shown"
    if case.first:
        assert titles and any(lead in titles[0] for lead in case.first), titles


def test_did_you_mean_over_the_demo(demo):
    results = service.search(_reader("practitioner"), "neglekt")
    assert results.suggestion == "neglect"


def _restricted_findings_hidden_from(user):
    hidden = Finding.objects.exclude(pk__in=visible_to(user, Finding.objects.all()).values("pk"))
    return list(hidden.filter(sharing_level=SharingLevel.RESTRICTED))


def test_a_practitioner_never_sees_a_restricted_finding(demo):
    practitioner = _reader("practitioner")
    restricted = _restricted_findings_hidden_from(practitioner)
    assert restricted, "the demo should hold restricted findings"
    for finding in restricted:
        key = sources.key_of("finding", finding.pk)
        results = service.search(practitioner, finding.title, per_page=100)
        assert key not in {hit.key for hit in results.hits}
        assert all(finding.text not in hit.snippet for hit in results.hits)
        # Every count is a count of hits the practitioner can page through.
        assert sum(v.count for v in results.facets["kind"]) == results.total
        for values in results.facets.values():
            assert all(v.count <= results.total for v in values)
        everything = service.search(practitioner, "", per_page=100, page=1)
        assert everything.total == sum(v.count for v in everything.facets["kind"])


def test_facet_counts_match_what_the_policy_shows(demo):
    """With no words, the kind counts are exactly the records the policy lets each reader see."""
    for username in ("practitioner", "manager", "liverpool.practitioner", "anonymous"):
        reader = _reader(username)
        counts = {v.value: v.count for v in service.search(reader, "").facets["kind"]}
        for kind, source in sources.registry().items():
            expected = visible_to(reader, source.searchable()).count()
            assert counts.get(kind, 0) == expected, (username, kind)


def test_tokens_agree_with_the_policy_for_every_model_and_person(demo):
    """`access_tokens` and `audience_tokens` against `visible_to` for every record of every
    model with an access rule, for every demo person and every partnership as a whole."""
    people = list(get_user_model().objects.all()) + [AnonymousUser()]
    partnerships = list(Partnership.objects.all()) + [None]
    for source in sources.registry().values():
        model = source.model
        records = list(source._with_access(model._base_manager.all()))
        tokens = {record.pk: set(access_tokens(record)) for record in records}
        for person in people:
            audience = audience_tokens(person)
            visible = set(
                visible_to(person, model._base_manager.all()).values_list("pk", flat=True)
            )
            by_tokens = {pk for pk, held in tokens.items() if held & audience}
            assert by_tokens == visible, (model.__name__, str(person))
        for partnership in partnerships:
            audience = audience_tokens_for_partnership(partnership)
            visible = set(
                visible_to_partnership(partnership, model._base_manager.all()).values_list(
                    "pk", flat=True
                )
            )
            assert {pk for pk, held in tokens.items() if held & audience} == visible
