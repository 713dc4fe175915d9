"""A practitioner in another partnership reads a regional Wirral briefing, marks it read and
understood, and prints it on no more than two sides of A4."""

import re

import pytest
from playwright.sync_api import expect

from learning import demo_briefings
from learning.models import Acknowledgement, LearningBriefing
from reviews import demo as reviews_demo

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser

# A4 at 96 dpi less the print stylesheet's 12 mm margins (45 px) on each side.
A4_WIDTH_PX, A4_HEIGHT_PX, MARGIN_PX = 794, 1123, 45


@pytest.fixture
def briefing(world):
    reviews_demo.build(world, 1)
    demo_briefings.build(world, 1)
    return LearningBriefing.objects.get(slug="bruising-in-non-mobile-babies")


def test_practitioner_elsewhere_reads_a_regional_briefing_and_marks_it(page, briefing, people):
    """Found through the library as a practitioner would: the menu, the filters, the link."""
    sign_in(page, "liverpool.practitioner")
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Library").click()
    page.wait_for_url("**/library/")
    page.get_by_label("Type of learning").select_option("briefing")
    page.get_by_label("Theme").select_option("bruising-non-mobile-babies")
    page.get_by_label("Partnership").select_option(label="Wirral Safeguarding Children Partnership")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/library/?*kind=briefing*")
    assert "from Wirral Safeguarding Children Partnership" in page.inner_text("main")
    page.get_by_role("link", name=briefing.title).click()
    page.wait_for_url(f"**{briefing.url}")
    assert page.get_by_role("heading", level=1).inner_text() == briefing.title
    main = page.inner_text("main")
    assert "Shared by Wirral Safeguarding Children Partnership" in main
    for part in [
        "Background",
        "Why it matters",
        "What we found",
        "What it means for practice",
        "Questions to reflect on",
        "What to do",
        "Where to learn more",
    ]:
        assert page.get_by_role("heading", name=re.compile(part)).count() == 1, part
    # The regional finding is shared; the restricted review it comes from is not.
    assert "A small bruise on a non-mobile baby was recorded but not referred." in main
    assert "Baby R" not in main
    assert_accessible(page)

    page.get_by_role("button", name="Mark as read and understood").click()
    page.get_by_text("You marked this read and understood on").wait_for()
    assert (
        Acknowledgement.objects.filter(
            user=people["liverpool.practitioner"], briefing=briefing
        ).count()
        == 1
    )
    assert_accessible(page)

    page.get_by_role("link", name="Briefings you have read").click()
    page.wait_for_url("**/briefings/read/")
    expect(page.get_by_role("link", name=briefing.title)).to_be_visible()
    assert_accessible(page)


def test_every_page_type_passes_axe(page, briefing):
    """Home, the region's and a partnership's library, a theme page, a briefing, standard pages
    (the accessibility statement and another), My actions, the feeds and what I have read."""
    from hub.models import HomePage, StandardPage

    about = StandardPage(title="About the hub", slug="about", body="<p>Fictional text.</p>")
    HomePage.objects.get().add_child(instance=about)
    sign_in(page, "agencylead")
    for path in [
        "/",
        "/library/",
        "/library-wirral/",
        "/themes/neglect/",
        briefing.url,
        "/accessibility/",
        about.url,
        "/my-actions/",
        "/feeds/",
        "/briefings/read/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        assert_accessible(page)


def test_the_briefing_prints_on_at_most_two_a4_pages(page, briefing):
    briefing.sharing_level = "public"
    briefing.save()
    page.goto(briefing.url)
    page.set_viewport_size({"width": A4_WIDTH_PX - 2 * MARGIN_PX, "height": 900})
    page.emulate_media(media="print")
    assert not page.locator(".govuk-template__header").is_visible()
    assert not page.locator(".hub-briefing__acknowledge").is_visible()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 2 * (A4_HEIGHT_PX - 2 * MARGIN_PX), f"printed content is {height}px tall"

    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 2, f"the printed briefing takes {pages} pages"
