"""Demo follow-up actions: for each demo review's recommendations, actions in every state, with
evidence, some overdue. Keyed on reference, so re-running changes nothing; nothing happens until
the reviews demo has made reviews. With scale > 1, thousands more in bulk for the benchmark."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from partnership.demo import World
from reviews.models import Review

from . import actions as services
from . import demo_briefings, demo_library
from .models import Action, ActionEvent, ActionState, Evidence, EvidenceKind, ImpactType

STATES = list(ActionState)
AGENCIES = ["Police", "NHS trust", "CSC", "Education", "Early help", "ICB"]
ESCALATED = object()  # a due date far enough past to be escalated to the executive group

# The demo's live work, so that each demo person's home page has something to do: Wirral
# Police (the demo agency lead) owns one action due soon, one overdue with an extension asked
# for (quality assurance decides it), one long overdue (escalated to the executive group) and
# one whose extension was agreed last week. Reference -> (state, days from today it is due).
LIVE = {
    "WIR-RR-2026-07-A2": (ActionState.IN_PROGRESS, 12),
    "WIR-RR-2025-11-A2": (ActionState.IN_PROGRESS, -6),
    "WIR-LCSPR-2025-02-A2": (ActionState.OPEN, ESCALATED),
    "WIR-S11-2025-A1": (ActionState.IN_PROGRESS, 20),
}
EXTENSIONS = {
    # reference -> (days the new date is after today, decided by quality assurance?)
    "WIR-RR-2025-11-A2": (40, False),
    "WIR-S11-2025-A1": (45, True),
}


def build(world: World, scale: int) -> None:
    demo_library.build(world, scale)
    reviews = list(
        Review.objects.filter(recommendations__isnull=False)
        .distinct()
        .select_related("lead_partnership")
        .prefetch_related("recommendations")
        .order_by("reference")
    )
    if not reviews:
        return
    demo_briefings.build(world, scale)
    today = timezone.localdate()
    qa = world.people.get("qa")
    n = 0
    for review in reviews:
        for rec_index, recommendation in enumerate(review.recommendations.all()):
            reference = f"{review.reference}-A{rec_index + 1}"
            state = STATES[n % len(STATES)]
            n += 1
            agency = _owner(world, review, recommendation, n)
            if agency is None:
                continue
            # Every fourth open action is overdue; the rest fall due over the coming months.
            offset = -20 if n % 4 == 0 else 10 + 15 * (n % 6)
            state, offset = LIVE.get(reference, (state, offset))
            if offset is ESCALATED:
                offset = -(settings.HUB_ACTION_ESCALATION_DAYS + 15)
            action, created = Action.objects.get_or_create(
                reference=reference,
                defaults={
                    "review": review,
                    "recommendation": recommendation,
                    "partnership": review.lead_partnership,
                    "owner_agency": agency,
                    "description": f"Fictional action answering: {recommendation.text[:150]}",
                    "due_date": today + timedelta(days=offset),
                    "state": state,
                    "sharing_level": review.sharing_level
                    if review.sharing_level != "public"
                    else "partnership",
                },
            )
            if not created:
                continue
            action.themes.set(review.themes.all())
            ActionEvent.objects.create(action=action, kind=ActionEvent.Kind.CREATED, to_state=state)
            if state in (ActionState.COMPLETED, ActionState.IMPACT_EVIDENCED, ActionState.EMBEDDED):
                Evidence.objects.create(
                    action=action, kind=EvidenceKind.COMPLETION, text="Briefing delivered."
                )
            if state in (ActionState.IMPACT_EVIDENCED, ActionState.EMBEDDED):
                Evidence.objects.create(
                    action=action,
                    kind=EvidenceKind.IMPACT,
                    impact_type=ImpactType.RE_AUDIT,
                    text="Re-audit of ten cases: practice changed in eight.",
                )
            if state == ActionState.EMBEDDED:
                action.embedded_by, action.embedded_at = qa, timezone.now()
                action.save(update_fields=["embedded_by", "embedded_at"])
            if state == ActionState.NOT_ACHIEVED:
                action.closed_reason = "The service was recommissioned."
                action.save(update_fields=["closed_reason"])
    _extensions(world, today)
    world.log.append(f"learning: actions for {len(reviews)} reviews")
    if scale > 1:
        _bulk(world, reviews, scale, today)


def _owner(world: World, review, recommendation, n: int):
    """The agency the recommendation's finding names first (the one that must change its
    practice), in the review's lead partnership; else one in turn, as the bulk actions do."""
    short = review.lead_partnership.short_name
    finding = recommendation.findings.first()
    named = None
    if finding is not None:
        named = finding.agencies.filter(partnership=review.lead_partnership).first()
    return named or world.agencies.get((short, AGENCIES[n % len(AGENCIES)]))


def _extensions(world: World, today) -> None:
    """The demo agency lead's extension requests, made through the service as the lead would,
    one decided by quality assurance."""
    lead, qa = world.people.get("agencylead"), world.people.get("qa")
    if lead is None or qa is None:
        return
    for reference, (days, decided) in EXTENSIONS.items():
        action = Action.objects.filter(reference=reference).first()
        if action is None or action.extension_requests.exists():
            continue
        request = services.request_extension(
            action,
            lead,
            today + timedelta(days=days),
            "[fictional] The new referral form goes live with the next system release.",
        )
        if decided:
            services.decide_extension(request, qa, approve=True)


def _bulk(world: World, reviews, scale: int, today) -> None:
    """2,000 x scale actions spread over the demo reviews, made in bulk."""
    wanted = [f"BENCH-{i:07d}" for i in range(2000 * scale)]
    existing = set(Action.objects.filter(reference__in=wanted).values_list("reference", flat=True))
    new = []
    for i, reference in enumerate(wanted):
        if reference in existing:
            continue
        review = reviews[i % len(reviews)]
        agency = world.agencies.get((review.lead_partnership.short_name, AGENCIES[i % 6]))
        if agency is None:
            continue
        new.append(
            Action(
                reference=reference,
                review=review,
                partnership=review.lead_partnership,
                owner_agency=agency,
                description=f"Benchmark action {i}",
                due_date=today + timedelta(days=(i % 120) - 30),
                state=STATES[i % len(STATES)],
                sharing_level=("restricted", "partnership", "regional")[i % 3],
            )
        )
    Action.objects.bulk_create(new, batch_size=2000)
    world.log.append(f"learning: {len(new)} benchmark actions")
