"""Every admin URL of every page type with an access rule (briefings, courses), for every kind
of person, at every sharing level: nobody the access policy does not let change a page changes
it, by any of Wagtail's page views or its admin API, and nobody who may not see it reads it.

The URLs come from Django's URL resolver (Wagtail's page views and the admin API's page
actions), the page types from Wagtail's page models, so a new view or page type is covered the
day it exists; a page type without a maker below fails the first test."""

from datetime import date

import pytest
from django.urls import reverse
from wagtail.models import Page, Revision, get_page_models

from hub.models import HomePage
from learning.models import LearningBriefing, LibraryPage
from partnership.access import SharingLevel, can_change, can_view
from tests.url_routes import routes
from training.models import Course, CourseIndexPage

from .test_admin_write_matrix import SUBJECTS, _subject

LEVELS = list(SharingLevel)
TEXT = "<p>Fictional text.</p>"


def _briefing(world, level):
    library = LibraryPage.objects.filter(partnership__isnull=True).first()
    if library is None:
        library = LibraryPage(title="Region library", slug="matrix-library")
        HomePage.objects.get().add_child(instance=library)
    page = LearningBriefing(
        title="Matrix briefing WIR-MX",
        slug="matrix-briefing",
        partnership=world.partnerships["Wirral"],
        sharing_level=level,
        summary="Summary of a fictional briefing.",
        background=TEXT,
        why_it_matters=TEXT,
        what_we_found=TEXT,
        what_it_means=TEXT,
        questions=TEXT,
        what_to_do=TEXT,
        briefing_date=date(2026, 1, 1),
    )
    library.add_child(instance=page)
    page.save_revision().publish()
    return LearningBriefing.objects.get(pk=page.pk)


def _course(world, level):
    page = Course(
        title="Matrix course WIR-MX",
        slug="matrix-course",
        partnership=world.partnerships["Wirral"],
        sharing_level=level,
        summary="A fictional course.",
        description=TEXT,
        learning_outcomes="<ul><li>Know what to do</li></ul>",
        audience="Practitioners in every agency.",
        level="foundation",
        duration="half_day",
    )
    CourseIndexPage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    return Course.objects.get(pk=page.pk)


MAKERS = {LearningBriefing: _briefing, Course: _course}
API_ACTIONS = ["copy", "delete", "move", "publish", "unpublish", "revert_to_page_revision"]


def test_every_page_type_with_an_access_rule_has_a_maker():
    missing = [m.__name__ for m in get_page_models() if hasattr(m, "access_rule")]
    assert not [name for name in missing if name not in {m.__name__ for m in MAKERS}]


def page_urls(page):
    """(name, URL) of every admin URL of one page, from the URL resolver."""
    revision = Revision.objects.filter(object_id=str(page.pk)).order_by("-pk").first()
    urls = []
    for route in routes():
        if route.name is None:
            continue
        name, converters = route.name, route.converters
        if name.startswith("wagtailadmin_pages:") and "page_id" in converters:
            values = {"page_id": page.pk, "revision_id": revision.pk}
        elif name.startswith("wagtailadmin_pages:") and "page_to_move_id" in converters:
            values = {"page_to_move_id": page.pk, "destination_id": page.get_parent().pk}
        elif name == "wagtailadmin_api:pages:action":
            for action in API_ACTIONS:
                urls.append((f"api {action}", reverse(name, args=[page.pk, action])))
            continue
        elif name == "wagtailadmin_api:pages:detail":
            values = {"pk": page.pk}
        else:
            continue
        if not converters <= set(values):
            continue  # workflow views of a page with no workflow under way
        urls.append((name, reverse(name, kwargs={k: values[k] for k in converters})))
    return urls


def fingerprint(page):
    specific = type(page)._base_manager.filter(pk=page.pk).values().first()
    revisions = Revision.objects.filter(object_id=str(page.pk)).count()
    return specific, revisions, Page.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize("level", LEVELS, ids=[level.value for level in LEVELS])
@pytest.mark.parametrize("model", list(MAKERS), ids=lambda m: m.__name__)
def test_page_admin_follows_the_access_policy(client, world, people, model, level):
    page = MAKERS[model](world, level)
    urls = page_urls(page)
    assert any(name == "wagtailadmin_pages:edit" for name, _ in urls)
    failures = []
    for name in SUBJECTS:
        user = _subject(people, name)
        client.force_login(user)
        if not can_view(user, page):
            for url_name, url in urls:
                response = client.get(url)
                if response.status_code == 200 and page.title in response.content.decode():
                    failures.append(f"{name} GET {url_name}: shows a page they may not see")
        if can_change(user, page):
            continue
        for url_name, url in urls:
            before = fingerprint(page)
            client.post(url, {"title": "Changed by someone else", "slug": "changed"})
            if fingerprint(page) != before:
                failures.append(f"{name} POST {url_name} changed the page")
        client.logout()
    assert not failures, "\n".join(failures)
