"""A briefing's and a course's sources are chosen from what the author may see of their own
partnership's reviews, findings, actions and briefings."""

import pytest

from learning.models import LearningBriefing
from partnership.access import SharingLevel as L
from training.models import Course, CourseIndexPage

from .library_world import briefing, finding, library, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def sources(world):
    wirral, liverpool = world.partnerships["Wirral"], world.partnerships["Liverpool"]
    shared = review(wirral, L.PARTNERSHIP, "Wirral shared review")
    hidden = review(wirral, L.RESTRICTED, "Wirral restricted review")
    elsewhere = review(liverpool, L.REGIONAL, "Liverpool regional review")
    return {
        "reviews": (shared, hidden, elsewhere),
        "findings": (
            finding(shared, L.PARTNERSHIP, "Wirral shared finding"),
            finding(hidden, L.RESTRICTED, "Wirral restricted finding"),
            finding(elsewhere, L.REGIONAL, "Liverpool regional finding"),
        ),
    }


def form_for(page_class, page, parent, user):
    form_class = page_class.get_edit_handler().get_form_class()
    return form_class(instance=page, parent_page=parent, for_user=user)


def test_a_briefing_offers_the_visible_sources_of_its_partnership(people, world, sources):
    parent = library(world.partnerships["Wirral"])
    form = form_for(LearningBriefing, LearningBriefing(), parent, people["reviewer"])
    shared, hidden, elsewhere = sources["reviews"]
    assert list(form.fields["source_reviews"].queryset) == [shared]
    findings = [f.title for f in form.fields["source_findings"].queryset]
    assert findings == ["Wirral shared finding"]


def test_a_source_the_editor_may_not_see_is_kept_off_the_form(people, world, sources):
    parent = library(world.partnerships["Wirral"])
    shared, hidden, _ = sources["reviews"]
    page = briefing(parent, world.partnerships["Wirral"], L.PARTNERSHIP)
    page.source_reviews.set([shared, hidden])
    page.save()
    form = form_for(LearningBriefing, page, parent, people["reviewer"])
    assert "source_reviews" not in form.fields
    assert "Wirral restricted review" not in form.as_p()
    manager = form_for(LearningBriefing, page, parent, people["manager"])
    assert set(manager.fields["source_reviews"].queryset) == {shared, hidden}


def test_a_course_offers_the_visible_findings_of_its_partnership(people, world, sources):
    parent = CourseIndexPage.objects.get()
    course = Course(partnership=world.partnerships["Wirral"])
    form = form_for(Course, course, parent, people["trainer"])
    titles = [f.title for f in form.fields["findings"].queryset]
    assert titles == ["Wirral shared finding"]
