"""The relevance set: what practitioners type, and what they must find in the demo (load_demo at
scale 1). Each case names the reader, the titles (or parts of titles) the first page must hold,
and, where order matters, the title the first hit must have. Fictional, like the demo."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    query: str
    expect: tuple[str, ...]
    reader: str = "practitioner"
    # The first hit must be (contain) one of these; several where more than one record is
    # squarely about the query (the briefing and the course of the same name).
    first: tuple[str, ...] = ()
    # Titles that must not be found (another partnership's, or unrelated).
    never: tuple[str, ...] = ()


CSE = (
    # The demo's findings name "Child M"; the index holds them as they are shared.
    "Return home interviews did not ask where the child had been",
    "Adults seen with the child were not identified",
    "Return home interviews that ask the right questions",
)
SAFER_SLEEP = ("Safer sleep at every contact", "Safer sleep advice was given once")
HEAD_TRAUMA = ("Coping with crying and the unseen men", "National review of abusive")
FII = ("Perplexing presentations across hospitals",)
CCE = ("Victims, not offenders: child criminal exploitation",)

CASES = [
    # The issue's own examples: abbreviation, name and synonym find the same lessons.
    Case("CSE", CSE),
    Case("child sexual exploitation", CSE),
    Case("grooming", CSE),
    Case("sexual exploitation", CSE),
    Case("toxic trio", ("Add the trilogy of risk",), reader="manager"),
    Case("trilogy of risk", ("Add the trilogy of risk",), reader="manager"),
    # Stemming, both ways.
    Case("neglected", ("Self-neglect is not a lifestyle choice", "graded care profile")),
    Case("neglect", ("Was not brought: missed appointments", "Self-neglect and hoarding")),
    Case("graded care profile", ("Using the graded care profile in neglect cases",)),
    Case("GCP2", ("Using the graded care profile in neglect cases",)),
    # Courses teach the themes too.
    Case("GCP2", ("Recognising and responding to neglect (Graded Care Profile 2)",)),
    Case("working together", ("Working together to safeguard children: essentials",)),
    Case("bruising baby", ("Bruising in babies who are not yet mobile",)),
    Case("BiNMB", ("Bruising in babies who are not yet mobile",)),
    Case(
        "safer sleep",
        SAFER_SLEEP,
        first=(
            "Safer sleep at every contact",
            "Safer sleep and sudden unexpected death in infancy",
        ),
    ),
    Case("SUDI", SAFER_SLEEP),
    Case("cot death", SAFER_SLEEP),
    Case("co-sleeping", ("Co-sleeping risk with alcohol was not discussed",)),
    Case("shaken baby", HEAD_TRAUMA),
    Case("AHT", HEAD_TRAUMA),
    Case("unseen men", ("The mother's partner was not known to any agency",)),
    Case("hidden men", ("The mother's partner was not known to any agency",)),
    Case("fathers", ("Include fathers and partners in safer sleep conversations",)),
    Case("county lines", CCE),
    Case("CCE", CCE),
    Case("FII", FII),
    Case("fabricated or induced illness", FII),
    Case("Munchausen", FII),
    Case("coercive control", ("Recognising coercive control in housing work",)),
    Case("domestic violence", ("Recognising coercive control in housing work",)),
    Case("escalation", ("When you disagree: escalate",)),
    Case("resolving professional differences", ("When you disagree: escalate",)),
    Case("missed appointments", ("Was not brought: missed appointments are about the child",)),
    Case("WNB", ("Was not brought: missed appointments are about the child",)),
    Case("MASH", ("Place a health practitioner in the MASH every weekday",)),
    Case("front door", ("Thresholds were applied consistently at the front door",)),
    Case("self-neglect", ("Self-neglect and hoarding",)),
    Case("young carers", ("Who cares for the children?",)),
    Case("sexting", ("Online safety policies are out of date",)),
    Case("HSB", ("Schools want help with child-on-child sexual abuse",)),
    Case("supervision", ("Supervision records rarely mention safeguarding",)),
    # A Wirral partnership-level briefing stays with Wirral.
    Case(
        "graded care profile",
        (),
        reader="liverpool.practitioner",
        never=("Using the graded care profile in neglect cases",),
    ),
    # Anonymous visitors find public learning only.
    Case(
        "neglect",
        ("Self-neglect is not a lifestyle choice",),
        reader="anonymous",
        never=("Using the graded care profile in neglect cases", "Was not brought"),
    ),
]
