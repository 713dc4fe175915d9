"""A small fictional corpus for the search behaviour tests: every record kind, every sharing level,
one restricted finding with a word found nowhere else ("Zebedee"), and one finding of a review
still in draft (never searchable)."""

from dataclasses import dataclass
from datetime import date

from learning.models import Action
from partnership.access import SharingLevel
from partnership.models import Theme
from reviews.models import Finding, Recommendation, ReviewStatus, ReviewType
from tests.learning.library_world import briefing, library, review

PUBLIC = SharingLevel.PUBLIC
REGIONAL = SharingLevel.REGIONAL
PARTNERSHIP = SharingLevel.PARTNERSHIP
RESTRICTED = SharingLevel.RESTRICTED


def finding(of_review, level, title, text, *, themes=(), agencies=()):
    record = Finding.objects.create(review=of_review, title=title, text=text, sharing_level=level)
    record.themes.set(Theme.objects.filter(slug__in=themes))
    record.agencies.set(agencies)
    record.save()
    return record


@dataclass
class Corpus:
    keys: dict

    def key(self, name: str) -> str:
        return self.keys[name]


def build(world) -> Corpus:
    wirral, liverpool = world.partnerships["Wirral"], world.partnerships["Liverpool"]
    wirral_health = world.agencies[("Wirral", "NHS trust")]
    liverpool_police = world.agencies[("Liverpool", "Police")]

    child_a = review(
        wirral,
        PUBLIC,
        "Child A: neglect in a busy household",
        review_type=ReviewType.LCSPR,
        published=date(2025, 6, 1),
        themes=["neglect"],
        agencies=[wirral_health],
    )
    child_a.panel.set([world.people["reviewer"]])
    child_a.save()
    child_b = review(
        liverpool,
        REGIONAL,
        "Child B: exploitation of a young person missing from home",
        status=ReviewStatus.SIGNED_OFF,
        review_type=ReviewType.RAPID_REVIEW,
        published=date(2026, 3, 1),
        themes=["cse"],
    )
    draft = review(
        wirral,
        PARTNERSHIP,
        "Child C: still being written",
        status=ReviewStatus.DRAFT,
        review_type=ReviewType.RAPID_REVIEW,
        published=None,
    )

    keys = {}
    made = {
        "neglect": finding(
            child_a,
            PUBLIC,
            "Home conditions were seen but not named",
            "The children were neglected for months; visitors saw the state of the home. "
            "<script>alert('x')</script> was typed into a record.",
            themes=["neglect"],
            agencies=[wirral_health],
        ),
        "trilogy": finding(
            child_a,
            PARTNERSHIP,
            "Drinking, mental ill-health and violence were seen apart",
            "Nobody put together the trilogy of risk in the household.",
            themes=["trilogy-of-risk"],
        ),
        "restricted": finding(
            child_a,
            RESTRICTED,
            "The Zebedee household",
            "The panel's notes about grooming in the Zebedee household.",
            themes=["cse"],
        ),
        "cse": finding(
            child_b,
            REGIONAL,
            "Exploitation screening was not used",
            "Return home interviews did not ask about child sexual exploitation.",
            themes=["cse"],
        ),
        "grooming": finding(
            child_b,
            REGIONAL,
            "Older men seen with the girl were not identified",
            "Signs of grooming by adults were recorded by police but not shared.",
            themes=["cse"],
            agencies=[liverpool_police],
        ),
        "draft": finding(
            draft,
            PARTNERSHIP,
            "Draft finding about neglect",
            "Not yet signed off: neglect.",
            themes=["neglect"],
        ),
    }
    for name, record in made.items():
        keys[name] = f"finding:{record.pk}"

    recommendation = Recommendation.objects.create(
        review=child_b,
        text="Use the exploitation screening tool at every return home interview.",
        sharing_level=REGIONAL,
    )
    recommendation.findings.set([made["cse"]])
    recommendation.save()
    keys["recommendation"] = f"recommendation:{recommendation.pk}"
    keys["child_a"] = f"review:{child_a.pk}"

    page = briefing(
        library(wirral),
        wirral,
        PARTNERSHIP,
        "Seeing neglect early",
        themes=["neglect"],
        when=date(2026, 5, 1),
    )
    keys["briefing"] = f"briefing:{page.pk}"

    action = Action.objects.create(
        reference="SEARCH-A1",
        review=child_a,
        partnership=wirral,
        owner_agency=world.agencies[("Wirral", "Police")],
        description="Audit the neglect toolkit with every response team.",
        due_date=date(2027, 1, 1),
        sharing_level=RESTRICTED,
    )
    keys["action"] = f"action:{action.pk}"
    return Corpus(keys)
