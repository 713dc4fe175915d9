"""The benchmark's briefings, made in bulk: a sound Wagtail page tree that Wagtail keeps adding
to, routes and lists, made once however often the demo is loaded."""

from wagtail.models import Page

from hub.models import HomePage
from learning import demo_briefings
from learning.models import BriefingTheme, LearningBriefing, LibraryPage
from reviews import demo as reviews_demo

from .library_world import briefing


def _no_problems():
    evil_chars, bad_steplen, orphans, wrong_depth, wrong_numchild = Page.find_problems()
    assert not (evil_chars or bad_steplen or orphans or wrong_depth or wrong_numchild)


def test_bulk_briefings_make_a_sound_tree_once(client, world, people, wirral):
    reviews_demo.build(world, 1)
    home = HomePage.objects.get()
    # A library that already has a child: the bulk pages go after it.
    first = briefing(demo_briefings.library_for(home, wirral), wirral, "regional", "Made first")

    assert demo_briefings.bulk(world, 60) == 60
    assert demo_briefings.bulk(world, 60) == 0
    assert demo_briefings.bulk(world, 70) == 10
    made = LearningBriefing.objects.filter(slug__startswith=demo_briefings.BULK_PREFIX)
    assert made.count() == 70
    _no_problems()

    # Wagtail adds after them with the next free step, and the tree stays sound.
    library = LibraryPage.objects.get(pk=first.get_parent().pk)
    later = briefing(library, wirral, "public", "Made after")
    _no_problems()
    assert later.get_parent().pk == library.pk
    assert (
        library.get_children().count()
        == library.specific.__class__.objects.get(pk=library.pk).numchild
    )

    sample = made.filter(sharing_level="public").first()
    assert sample.url == f"/{sample.get_parent().slug}/{sample.slug}/"
    assert client.get(sample.url).status_code == 200
    assert BriefingTheme.objects.filter(content_object=sample).exists()
    client.force_login(people["practitioner"])
    response = client.get(library.url)
    assert response.status_code == 200
    assert response.context["listing"].total >= 20
