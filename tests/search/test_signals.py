"""The index follows the records: saves, relation changes, publishing and deleting enqueue the
index tasks once the transaction commits (eager in the embedded default), for every engine."""

import pytest

from partnership.models import Theme
from reviews.models import ReviewStatus
from search import service, tasks

from .conftest import rebuild
from .corpus import build


@pytest.fixture
def corpus(world, engine):
    made = build(world)
    rebuild(engine)
    return made


def keys(results):
    return {hit.key for hit in results.hits}


def test_nothing_is_enqueued_before_the_transaction_commits(
    corpus, monkeypatch, django_capture_on_commit_callbacks
):
    from reviews.models import Finding

    sent = []
    monkeypatch.setattr(tasks.index_records, "delay", lambda keys: sent.append(keys))
    finding = Finding.objects.get(pk=corpus.key("cse").split(":")[1])
    with django_capture_on_commit_callbacks() as callbacks:
        finding.title = "Renamed"
        finding.save()
        assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [[corpus.key("cse")]]


def test_a_saved_finding_is_found_by_its_new_words(
    corpus, people, django_capture_on_commit_callbacks
):
    from reviews.models import Finding

    finding = Finding.objects.get(pk=corpus.key("cse").split(":")[1])
    with django_capture_on_commit_callbacks(execute=True):
        finding.text = "Interviews never asked about the okapi."
        finding.save()
    assert keys(service.search(people["practitioner"], "okapi")) == {corpus.key("cse")}


def test_a_review_back_in_draft_takes_its_findings_out(
    corpus, people, django_capture_on_commit_callbacks
):
    from reviews.models import Review

    review = Review.objects.get(findings__pk=corpus.key("cse").split(":")[1])
    with django_capture_on_commit_callbacks(execute=True):
        review.status = ReviewStatus.DRAFT
        review.save()
    found = keys(service.search(people["manager"], "exploitation"))
    assert corpus.key("cse") not in found
    assert corpus.key("recommendation") not in found


def test_theme_changes_reach_the_tags_and_synonyms(
    corpus, people, django_capture_on_commit_callbacks
):
    from reviews.models import Finding

    finding = Finding.objects.get(pk=corpus.key("trilogy").split(":")[1])
    with django_capture_on_commit_callbacks(execute=True):
        finding.themes.set([Theme.objects.get(slug="trilogy-of-risk")])
        finding.save()
        theme = Theme.objects.get(slug="trilogy-of-risk")
        theme.synonyms = theme.synonyms + ";triple jeopardy"
        theme.save()
    assert corpus.key("trilogy") in keys(service.search(people["manager"], "triple jeopardy"))


def test_an_unpublished_briefing_leaves_the_index(
    corpus, people, django_capture_on_commit_callbacks
):
    from learning.models import LearningBriefing

    page = LearningBriefing.objects.get(pk=corpus.key("briefing").split(":")[1])
    assert corpus.key("briefing") in keys(service.search(people["practitioner"], "seeing neglect"))
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert corpus.key("briefing") not in keys(
        service.search(people["practitioner"], "seeing neglect")
    )


def test_a_deleted_finding_leaves_the_index(corpus, people, django_capture_on_commit_callbacks):
    from reviews.models import Finding

    with django_capture_on_commit_callbacks(execute=True):
        Finding.objects.get(pk=corpus.key("grooming").split(":")[1]).delete()
    assert corpus.key("grooming") not in keys(service.search(people["practitioner"], "grooming"))


def test_the_tasks_are_idempotent(corpus, people):
    key = corpus.key("cse")
    tasks.index_records([key])
    tasks.index_records([key])
    assert list(keys(service.search(people["practitioner"], "exploitation"))).count(key) == 1
    tasks.remove_records([key])
    tasks.remove_records([key])
    assert key not in keys(service.search(people["practitioner"], "exploitation"))
