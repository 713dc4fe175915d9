"""Every admin URL of every partnership-scoped snippet (agencies, people, the partnership itself,
training sessions and terms, ...), as another partnership's manager and as someone of no
partnership: Wirral's record is not found, and no GET, POST or bulk action changes it.

The models are the registered snippets whose viewset is a `PartnershipScopedViewSet`, the URLs
their viewsets' own patterns; a scoped model without a maker below fails the first test."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.snippets.models import get_snippet_models

from partnership.admin_scoping import PartnershipScopedViewSet
from partnership.models import Agency, Membership, Partnership
from training.models import Course, CourseIndexPage, Session, TrainingTerms

from .test_admin_write_matrix import _subject, fingerprint, record_urls


def _session(world, people):
    course = Course(
        title="Scoped matrix course",
        slug="scoped-matrix-course",
        partnership=world.partnerships["Wirral"],
        summary="A fictional course.",
        description="<p>About it.</p>",
        learning_outcomes="<ul><li>Know</li></ul>",
        audience="Everyone.",
        level="foundation",
        duration="half_day",
    )
    CourseIndexPage.objects.get().add_child(instance=course)
    starts = timezone.now() + timedelta(days=30)
    return Session.objects.create(
        course=course,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        venue="A fictional venue",
        capacity=10,
    )


def _terms(world, people):
    wirral = world.partnerships["Wirral"]
    return TrainingTerms.objects.get_or_create(partnership=wirral)[0]


MAKERS = {
    Partnership: lambda world, people: world.partnerships["Wirral"],
    Agency: lambda world, people: world.agencies[("Wirral", "Police")],
    Membership: lambda world, people: Membership.objects.get(user=people["reviewer"]),
    Session: _session,
    TrainingTerms: _terms,
}


def scoped_models():
    return [
        model
        for model in get_snippet_models()
        if isinstance(model.snippet_viewset, PartnershipScopedViewSet)
    ]


def test_every_scoped_snippet_has_a_maker():
    missing = [model.__name__ for model in scoped_models() if model not in MAKERS]
    assert not missing, f"add a maker to MAKERS for {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_another_partnership_neither_reads_nor_changes_a_scoped_record(
    client, world, people, model
):
    obj = MAKERS[model](world, people)
    urls = record_urls(model, obj)
    failures = []
    for name in ("liverpool.manager", "halton.reviewer", "no.partnership"):
        client.force_login(_subject(people, name))
        for url_name, url in urls:
            response = client.get(url)
            if url_name != "bulk delete" and response.status_code not in (302, 403, 404):
                failures.append(f"{name} GET {url_name}: {response.status_code}")
            before = fingerprint(model, obj.pk)
            client.post(url, {"name": "Changed", "short_name": "Changed", "capacity": 1})
            if fingerprint(model, obj.pk) != before:
                failures.append(f"{name} POST {url_name} changed it")
        client.logout()
    assert not failures, "\n".join(failures)
