"""Demo learning briefings: a dozen 7-minute briefings across themes and partnerships, some
regional, some public, under the libraries, with their sources in the demo reviews' regional and
public findings, and some read-and-understood acknowledgements.

The libraries are found or made by slug under the home page (the region's `library`, each
partnership's `library-<partnership slug>`), as the library pages' own demo does, so that
whichever runs first, both agree. Keyed on slug: re-running changes nothing."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.html import escape

from hub.models import HomePage
from partnership.access import SharingLevel
from partnership.demo import World
from partnership.models import Theme
from reviews.models import Finding, LevelOfNeed, Review

from .models import Acknowledgement, BriefingTheme, LearningBriefing, LibraryPage

P, G, PUB = SharingLevel.PARTNERSHIP, SharingLevel.REGIONAL, SharingLevel.PUBLIC
SHARED = (SharingLevel.REGIONAL, SharingLevel.PUBLIC)

# (slug, title, owner, sharing, source review, themes, audiences, level of need, summary,
#  what we found, what to do, days ago)
BRIEFINGS = [
    (
        "bruising-in-non-mobile-babies",
        "Bruising in babies who are not yet mobile",
        "Wirral",
        G,
        "WIR-RR-2026-07",
        ["bruising-non-mobile-babies", "professional-curiosity"],
        ["NHS trust", "CSC"],
        LevelOfNeed.ACUTE,
        "Any bruise on a baby who cannot move on their own needs a referral, whatever the account.",
        "A small bruise was recorded but not referred, and the parent's account was accepted.",
        "Follow the bruising protocol every time: refer, and tell the GP and health visitor.",
        20,
    ),
    (
        "was-not-brought",
        "Was not brought: missed appointments are about the child",
        "Wirral",
        G,
        "WIR-RR-2026-05",
        ["was-not-brought", "neglect"],
        ["NHS trust", "Education"],
        LevelOfNeed.COMPLEX,
        "A child who misses appointments was not brought: follow up with the family and others.",
        "Seven appointments were missed across two partnerships and each was closed.",
        "Treat a missed appointment as a child not brought; ask who else knows the family.",
        35,
    ),
    (
        "return-home-interviews",
        "Return home interviews that ask the right questions",
        "Wirral",
        G,
        "WIR-RR-2025-11",
        ["missing-children", "cse"],
        ["Early help", "Police"],
        LevelOfNeed.ACUTE,
        "Where a child has been, and with whom, is the heart of a return home interview.",
        "Nine episodes missing from home produced nine short interviews with no screening.",
        "Use the exploitation screening questions in every return home interview.",
        60,
    ),
    (
        "resolving-professional-differences",
        "When you disagree: escalate",
        "Wirral",
        PUB,
        "WIR-LCSPR-2025-02",
        ["escalation", "cse"],
        ["Education", "CSC"],
        LevelOfNeed.ACUTE,
        "Practitioners who disagree with a decision should use the escalation policy.",
        "Two practitioners disagreed with a decision of no further action but did not escalate.",
        "Know your partnership's resolving professional differences policy and use it.",
        90,
    ),
    (
        "safer-sleep-every-contact",
        "Safer sleep at every contact",
        "Wirral",
        PUB,
        "WIR-CDR-2025-04",
        ["sudi", "unseen-men"],
        ["NHS trust", "Early help"],
        LevelOfNeed.ADDITIONAL,
        "Safer sleep advice is repeated when a family's circumstances change, with fathers too.",
        "Advice was given once, at birth, and fathers and partners were not part of it.",
        "Repeat safer sleep advice when circumstances change; include fathers and partners.",
        120,
    ),
    (
        "coercive-control-housing",
        "Recognising coercive control in housing work",
        "Wirral SAB",
        G,
        "WIR-DARDR-2025-01",
        ["domestic-abuse"],
        ["Housing", "Police"],
        None,
        "Housing officers are often first to see coercive control: know the signs.",
        "Coercive control was not recognised by housing officers visiting the home.",
        "Ask about control of money, movement and contact; refer to the domestic abuse service.",
        150,
    ),
    (
        "self-neglect",
        "Self-neglect is not a lifestyle choice",
        "Wirral SAB",
        PUB,
        "WIR-SAR-2025-03",
        ["neglect", "thresholds"],
        ["ASC", "Housing"],
        None,
        "Closing a self-neglect referral as lifestyle choice leaves a person at risk.",
        "Referrals were closed as lifestyle choice and no agency held the whole picture.",
        "Hold a multi-agency meeting before closing a self-neglect referral.",
        180,
    ),
    (
        "graded-care-profile",
        "Using the graded care profile in neglect cases",
        "Wirral",
        P,
        "WIR-MAA-2026-01",
        ["neglect", "risk-assessment"],
        ["CSC", "Early help"],
        LevelOfNeed.COMPLEX,
        "The graded care profile helps everyone see neglect the same way.",
        "The graded care profile was used in fewer than half the cases audited.",
        "Use the graded care profile whenever neglect is a concern, and share it.",
        200,
    ),
    (
        "young-carers",
        "Who cares for the children?",
        "Wirral",
        G,
        "WIR-LR-2026-01",
        ["young-carers", "parental-mental-health"],
        ["ASC", "Education"],
        LevelOfNeed.ADDITIONAL,
        "Adult services should always ask who cares for the children.",
        "Adult services did not ask who cared for the children of a parent they supported.",
        "Ask every adult you support whether children live with them, and who cares for them.",
        220,
    ),
    (
        "child-criminal-exploitation",
        "Victims, not offenders: child criminal exploitation",
        "Liverpool",
        G,
        "LIV-RR-2026-03",
        ["cce", "extra-familial-harm"],
        ["Police", "Education"],
        LevelOfNeed.ACUTE,
        "A child drawn into crime by adults is a victim of exploitation first.",
        "A child was treated as an offender, not as a victim of exploitation.",
        "Use the national referral mechanism and language that recognises exploitation.",
        45,
    ),
    (
        "coping-with-crying",
        "Coping with crying and the unseen men",
        "Liverpool",
        PUB,
        "LIV-NR-2025-01",
        ["abusive-head-trauma", "unseen-men"],
        ["NHS trust"],
        LevelOfNeed.UNIVERSAL,
        "Talk to every parent and partner about coping with a crying baby before discharge.",
        "Coping with crying was not discussed, and the mother's partner was not known to anyone.",
        "Discuss coping with crying before discharge, and ask who else lives in the home.",
        75,
    ),
    (
        "perplexing-presentations",
        "Perplexing presentations across hospitals",
        "Halton",
        G,
        "HAL-RR-2026-02",
        ["fii"],
        ["NHS trust"],
        LevelOfNeed.COMPLEX,
        "When a child's symptoms puzzle more than one hospital, bring the hospitals together.",
        "Perplexing presentations were investigated by one hospital at a time.",
        "Share concerns about perplexing presentations with every hospital involved.",
        100,
    ),
]

# (username, briefing slug): who has read what, for the reach reports.
ACKNOWLEDGEMENTS = [
    ("practitioner", "bruising-in-non-mobile-babies"),
    ("practitioner", "was-not-brought"),
    ("practitioner", "graded-care-profile"),
    ("healthlead", "bruising-in-non-mobile-babies"),
    ("healthlead", "safer-sleep-every-contact"),
    ("agencylead", "return-home-interviews"),
    ("agencylead", "coercive-control-housing"),
    ("liverpool.practitioner", "was-not-brought"),
    ("liverpool.practitioner", "safer-sleep-every-contact"),
    ("liverpool.practitioner", "child-criminal-exploitation"),
    ("liverpool.manager", "coping-with-crying"),
]


def library_for(home, partnership=None) -> LibraryPage:
    """The region's library (`library`) or a partnership's (`library-<slug>`), made if missing."""
    slug = f"library-{partnership.slug}" if partnership else "library"
    found = LibraryPage.objects.child_of(home).filter(slug=slug).first()
    if found:
        return found
    title = f"{partnership.short_name} learning library" if partnership else "Learning library"
    library = LibraryPage(title=title, slug=slug, partnership=partnership)
    home.add_child(instance=library)
    library.save_revision().publish()
    return library


def _paragraphs(*texts) -> str:
    return "".join(f"<p>{escape(text)}</p>" for text in texts)


def build(world: World, scale: int) -> None:
    home = HomePage.objects.first()
    if home is None or not Review.objects.exists():
        return
    today = timezone.localdate()
    themes = {t.slug: t for t in Theme.objects.all()}
    region_library = library_for(home)
    made = 0
    for (
        slug,
        title,
        owner,
        sharing,
        reference,
        theme_slugs,
        audiences,
        level,
        summary,
        found,
        to_do,
        days_ago,
    ) in BRIEFINGS:
        partnership = world.partnerships.get(owner)
        review = Review.objects.filter(reference=reference).first()
        if partnership is None or review is None:
            continue
        library = library_for(home, partnership)
        if LearningBriefing.objects.filter(slug=slug).exists():
            continue
        briefing = LearningBriefing(
            title=title,
            slug=slug,
            partnership=partnership,
            sharing_level=sharing,
            summary=summary,
            background=_paragraphs(
                f"[fictional] This briefing draws on {review.get_review_type_display().lower()} "
                f"{review.reference} by {partnership.name}."
            ),
            why_it_matters=_paragraphs(summary),
            what_we_found=_paragraphs(found),
            what_it_means=_paragraphs(
                "Every practitioner who meets the family has a part to play: what you see may "
                "be the piece that others are missing."
            ),
            questions=(
                "<ul><li>Would you have noticed this in your own work?</li>"
                "<li>Who would you tell, and how quickly?</li>"
                "<li>What gets in the way of asking the difficult question?</li></ul>"
            ),
            what_to_do=_paragraphs(to_do),
            learn_more=_paragraphs(
                "Your partnership's multi-agency training programme, and the procedures "
                "on your partnership's website."
            ),
            level_of_need=level,
            briefing_date=today - timedelta(days=days_ago),
        )
        library.add_child(instance=briefing)
        briefing.themes.set([themes[s] for s in theme_slugs if s in themes])
        briefing.audiences.set(
            [world.agencies[(owner, a)] for a in audiences if (owner, a) in world.agencies]
        )
        briefing.source_reviews.set([review])
        shared = Finding.objects.filter(review=review, sharing_level__in=SHARED)
        briefing.source_findings.set(shared)
        briefing.save()
        briefing.save_revision().publish()
        made += 1

    for username, slug in ACKNOWLEDGEMENTS:
        user = world.people.get(username)
        briefing = LearningBriefing.objects.filter(slug=slug).first()
        if user is None or briefing is None:
            continue
        membership = getattr(user, "membership", None)
        Acknowledgement.objects.get_or_create(
            user=user,
            briefing=briefing,
            defaults={"agency_id": membership.agency_id if membership else None},
        )
    world.log.append(f"learning: {made} briefings (libraries under {region_library.url_path})")
    if scale > 1:
        bulk_made = bulk(world, BULK_PER_SCALE * scale)
        world.log.append(f"learning: {bulk_made} benchmark briefings in bulk")


BULK_PER_SCALE = 100
BULK_PREFIX = "bench-briefing-"
BULK_LEVELS = [SharingLevel.REGIONAL, SharingLevel.PARTNERSHIP, SharingLevel.PUBLIC, G]
BULK_BATCH = 1000


def bulk(world: World, count: int) -> int:
    """`count` fictional briefings for the benchmark and the search tests, spread over the
    partnerships' libraries, themes, levels and five years, written in bulk: a few queries per
    thousand instead of a dozen per page.

    Wagtail's pages are a materialised-path tree (treebeard's MP_Node): each page's `path` is its
    parent's path and a four-character base-36 step, `depth` is one more than its parent's, and
    the parent's `numchild` counts its children. Pages are appended after each library's last
    child with the steps treebeard itself would give (`_get_path`), the libraries' `numchild`
    is raised to match, and `url_path` is the library's with the slug, so that the tree passes
    `Page.find_problems()` and Wagtail adds, moves and routes pages as if it had made them.
    A briefing is a page in two tables (multi-table inheritance), which `bulk_create` refuses:
    the page rows are bulk-created first, then the briefing rows with the same ids through the
    manager's `_insert`, the one Django's own `save()` uses for each table. No revisions are
    written (Wagtail edits a page without one from the page itself); the search index is
    brought up to date by `manage.py update_index`."""
    import random
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    home = HomePage.objects.first()
    if home is None or count <= 0:
        return 0
    wanted = [f"{BULK_PREFIX}{i:06d}" for i in range(count)]
    existing = set(Page.objects.filter(slug__startswith=BULK_PREFIX).values_list("slug", flat=True))
    todo = [slug for slug in wanted if slug not in existing]
    if not todo:
        return 0

    partnerships = list(world.partnerships.values())
    libraries = {p.pk: library_for(home, p) for p in partnerships}
    themes = list(Theme.objects.order_by("slug"))
    agencies = {}
    for (short, _name), agency in world.agencies.items():
        agencies.setdefault(short, []).append(agency)
    reviews_by = {}
    for review in Review.objects.only("pk", "lead_partnership_id"):
        reviews_by.setdefault(review.lead_partnership_id, []).append(review.pk)
    content_type = ContentType.objects.get_for_model(LearningBriefing)
    locale = Locale.get_default()
    now = timezone.now()
    today = timezone.localdate()
    rng = random.Random(20260101)

    # The next free step under each library: after its last child, as treebeard counts.
    next_step = {}
    for pk, library in libraries.items():
        last = Page.objects.filter(path__startswith=library.path, depth=library.depth + 1)
        last_path = last.order_by("-path").values_list("path", flat=True).first()
        next_step[pk] = Page._str2int(last_path[-Page.steplen :]) + 1 if last_path else 1

    added = {pk: 0 for pk in libraries}
    made = 0
    for start in range(0, len(todo), BULK_BATCH):
        batch = todo[start : start + BULK_BATCH]
        pages, briefings, links = [], [], []
        for slug in batch:
            n = int(slug[len(BULK_PREFIX) :])
            partnership = partnerships[n % len(partnerships)]
            library = libraries[partnership.pk]
            step = next_step[partnership.pk]
            next_step[partnership.pk] += 1
            added[partnership.pk] += 1
            chosen = rng.sample(themes, k=min(2, len(themes))) if themes else []
            names = " and ".join(t.name.lower() for t in chosen) or "practice"
            title = f"Learning from review {n}: {names}"
            page = Page(
                title=title,
                draft_title=title,
                slug=slug,
                content_type=content_type,
                path=LearningBriefing._get_path(library.path, library.depth + 1, step),
                depth=library.depth + 1,
                numchild=0,
                url_path=f"{library.url_path}{slug}/",
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                locale=locale,
                translation_key=uuid.uuid4(),
            )
            pages.append(page)
            briefings.append(
                {
                    "partnership": partnership,
                    "sharing_level": BULK_LEVELS[n % len(BULK_LEVELS)],
                    "summary": f"[fictional] What review {n} taught the partnership about {names}.",
                    "background": _paragraphs(
                        f"[fictional] A review by {partnership.name} looked at {names}."
                    ),
                    "why_it_matters": _paragraphs(
                        f"Practitioners meet {names} every day; the family's story shows why "
                        "asking early matters."
                    ),
                    "what_we_found": _paragraphs(
                        "Information was held by several agencies and nobody held the whole "
                        "picture."
                    ),
                    "what_it_means": _paragraphs("Share what you see and ask who else knows."),
                    "questions": "<ul><li>What would you have done?</li></ul>",
                    "what_to_do": _paragraphs("Follow your partnership's procedures."),
                    "learn_more": "",
                    "level_of_need": list(LevelOfNeed)[n % len(LevelOfNeed)],
                    "briefing_date": today - timedelta(days=(n * 7) % (5 * 365)),
                    "themes": chosen,
                    "audiences": agencies.get(partnership.short_name, [])[n % 3 :: 5][:2],
                    "reviews": reviews_by.get(partnership.pk, [])[n % 4 :: 9][:1],
                }
            )
        Page.objects.bulk_create(pages)
        rows = []
        for page, fields in zip(pages, briefings, strict=True):
            themes_of, audiences, sources = (
                fields.pop("themes"),
                fields.pop("audiences"),
                fields.pop("reviews"),
            )
            briefing = LearningBriefing(page_ptr_id=page.pk, **fields)
            # The page's own fields are on the Page row already; only the briefing's are written.
            rows.append(briefing)
            links.append((page.pk, themes_of, audiences, sources))
        LearningBriefing._base_manager._insert(
            rows, fields=LearningBriefing._meta.local_concrete_fields
        )
        BriefingTheme.objects.bulk_create(
            [
                BriefingTheme(content_object_id=pk, tag_id=t.pk)
                for pk, chosen, _, _ in links
                for t in chosen
            ]
        )
        LearningBriefing.audiences.through.objects.bulk_create(
            [
                LearningBriefing.audiences.through(learningbriefing_id=pk, agency_id=a.pk)
                for pk, _, audiences, _ in links
                for a in audiences
            ]
        )
        LearningBriefing.source_reviews.through.objects.bulk_create(
            [
                LearningBriefing.source_reviews.through(learningbriefing_id=pk, review_id=r)
                for pk, _, _, sources in links
                for r in sources
            ]
        )
        made += len(pages)

    for partnership_pk, n in added.items():
        if n:
            Page.objects.filter(pk=libraries[partnership_pk].pk).update(
                numchild=models.F("numchild") + n
            )
    from hub import page_cache

    page_cache.invalidate()
    return made
