"""Demo learning briefings: a dozen 7-minute briefings across themes and partnerships, some
regional, some public, under the libraries, with their sources in the demo reviews' regional and
public findings, and some read-and-understood acknowledgements.

The libraries are found or made by slug under the home page (the region's `library`, each
partnership's `library-<partnership slug>`), as the library pages' own demo does, so that
whichever runs first, both agree. Keyed on slug: re-running changes nothing."""

from datetime import timedelta

from django.utils import timezone
from django.utils.html import escape

from partnership.access import SharingLevel
from partnership.demo import World
from partnership.models import Theme
from reviews.models import Finding, LevelOfNeed, Review

from .models import Acknowledgement, HomePage, LearningBriefing, LibraryPage

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
        LevelOfNeed.ADDITIONAL,
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
        "Wirral",
        G,
        "WIR-DARDR-2025-01",
        ["domestic-abuse"],
        ["Housing", "Police"],
        LevelOfNeed.COMPLEX,
        "Housing officers are often first to see coercive control: know the signs.",
        "Coercive control was not recognised by housing officers visiting the home.",
        "Ask about control of money, movement and contact; refer to the domestic abuse service.",
        150,
    ),
    (
        "self-neglect",
        "Self-neglect is not a lifestyle choice",
        "Wirral",
        PUB,
        "WIR-SAR-2025-03",
        ["neglect", "thresholds"],
        ["ASC", "Housing"],
        LevelOfNeed.COMPLEX,
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
        LevelOfNeed.ADDITIONAL,
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
        LevelOfNeed.UNIVERSAL,
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
