"""Demo learning libraries: the region's (/library/) and one per demo partnership
(/library-<partnership slug>/), under the home page. Keyed on slug, so re-running changes
nothing; the briefings demo files its briefings under the same pages."""

from hub.models import HomePage
from partnership.demo import World

from .models import LibraryPage

REGION_SLUG = "library"


def library_slug(partnership) -> str:
    return f"{REGION_SLUG}-{partnership.slug}"


def _get_or_create(home, slug: str, **fields) -> LibraryPage:
    page = LibraryPage.objects.child_of(home).filter(slug=slug).first()
    if page is not None:
        return page
    page = LibraryPage(slug=slug, **fields)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def build(world: World, scale: int) -> None:
    home = HomePage.objects.first()
    if home is None:
        return
    _get_or_create(
        home,
        REGION_SLUG,
        title="Learning library",
        introduction="Learning briefings, review reports and key findings that the region's "
        "safeguarding partnerships share with each other and the public.",
    )
    for partnership in world.partnerships.values():
        _get_or_create(
            home,
            library_slug(partnership),
            title=f"{partnership.short_name} learning library",
            partnership=partnership,
        )
    world.log.append(f"learning: the region's library and {len(world.partnerships)} others")
