"""Fictional reviews of every kind across the demo partnerships.

Every subject is a pseudonym and every case is invented; confidential details are placeholders
that say so. Dates are set relative to today, so that some milestones are always overdue when a
demo is shown. Re-runnable: each review is keyed on its reference, each finding on its review and
title, each recommendation on its review and text."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from hub.working_days import add_working_days
from partnership.access import SharingLevel
from partnership.models import Theme

from . import deadline_cache
from .milestones import milestone_due_dates, recorded_done_dates, specs_for
from .models import (
    SETTLED_STATUSES,
    AgeBand,
    Decision,
    DoneSource,
    Finding,
    LevelOfNeed,
    Milestone,
    Recommendation,
    Review,
    ReviewStatus,
    ReviewTheme,
    ReviewTimescale,
    ReviewType,
    may_lead,
)
from .services import recompute_milestones

R, P, G, PUB = (
    SharingLevel.RESTRICTED,
    SharingLevel.PARTNERSHIP,
    SharingLevel.REGIONAL,
    SharingLevel.PUBLIC,
)

# Each finding: (title, more text, theme slugs, agency short names, sharing level,
# recommendation). The "days" are how long ago the partnership became aware (or began).
REVIEWS = [
    {
        "reference": "WIR-RR-2026-07",
        "type": ReviewType.RAPID_REVIEW,
        "title": "Baby R: bruising noticed at a routine health visit",
        "pseudonym": "Baby R",
        "age": AgeBand.UNDER_1,
        "lead": "Wirral",
        "themes": ["bruising-non-mobile-babies", "trilogy-of-risk", "professional-curiosity"],
        "agencies": ["Police", "NHS trust", "CSC"],
        "aware_days_ago": 9,
        "notified": False,
        "status": ReviewStatus.IN_PROGRESS,
        # Bruising on a baby who cannot move is a child protection matter, whatever came before.
        "level": LevelOfNeed.ACUTE,
        "sharing": R,
        "panel": ["reviewer", "agencylead", "healthlead"],
        "findings": [
            (
                "A small bruise on a non-mobile baby was recorded but not referred.",
                "The practitioner accepted the parent's account; the bruising protocol was "
                "not followed and no one else was told.",
                ["bruising-non-mobile-babies", "professional-curiosity"],
                ["NHS trust"],
                G,
                "Re-launch the bruising in non-mobile babies protocol with every health "
                "visiting team and audit its use after three months.",
            ),
            (
                "Domestic abuse, parental mental ill-health and drug use were each known to a "
                "different agency.",
                "No agency put the three together; the toxic trio was not recognised.",
                ["trilogy-of-risk", "information-sharing"],
                ["Police", "CSC"],
                P,
                "Add the trilogy of risk to the multi-agency referral form.",
            ),
        ],
    },
    {
        "reference": "WIR-RR-2026-05",
        "type": ReviewType.RAPID_REVIEW,
        "title": "Child Q: neglect and missed health appointments",
        "pseudonym": "Child Q",
        "age": AgeBand.AGE_5_10,
        "lead": "Wirral",
        "participating": ["Liverpool"],
        "themes": ["neglect", "was-not-brought", "voice-of-the-child"],
        "agencies": ["CSC", "Education", "NHS trust"],
        "aware_days_ago": 40,
        "notified": True,
        "status": ReviewStatus.IN_PROGRESS,
        "level": LevelOfNeed.COMPLEX,
        "sharing": R,
        "panel": ["reviewer", "manager"],
        "findings": [
            (
                "Missed appointments were treated as the family's choice, not as a child who "
                "was not brought.",
                "Seven health appointments were missed across two partnerships; each was "
                "closed without follow-up.",
                ["was-not-brought", "neglect"],
                ["NHS trust"],
                G,
                "Adopt the was-not-brought policy across health providers on both sides of "
                "the Mersey.",
            ),
            (
                "Child Q's own words were not recorded in any assessment.",
                "School heard Child Q describe going without food; this did not reach the "
                "assessment.",
                ["voice-of-the-child"],
                ["Education", "CSC"],
                P,
                "Every assessment records the child's own words, seen alone.",
            ),
            (
                "The move between partnerships lost the case history.",
                "The transfer-in conference took place eleven weeks after the family moved.",
                ["information-sharing", "neglect"],
                ["CSC"],
                R,
                "Agree a cross-boundary transfer protocol with a named lead on each side.",
            ),
        ],
    },
    {
        "reference": "WIR-RR-2025-11",
        "type": ReviewType.RAPID_REVIEW,
        "title": "Child M: sexual exploitation of a young person missing from home",
        "pseudonym": "Child M",
        "age": AgeBand.AGE_11_15,
        "lead": "Wirral",
        "themes": ["cse", "missing-children", "extra-familial-harm"],
        "agencies": ["Police", "CSC", "Early help"],
        "aware_days_ago": 300,
        "notified": True,
        "status": ReviewStatus.SIGNED_OFF,
        "decision": Decision.LCSPR,
        "level": LevelOfNeed.ACUTE,
        "sharing": R,
        "panel": ["reviewer", "agencylead"],
        "findings": [
            (
                "Return home interviews did not ask where Child M had been or with whom.",
                "Nine episodes missing from home produced nine short return interviews.",
                ["missing-children", "cse"],
                ["Early help"],
                G,
                "Return home interviews use the exploitation screening questions.",
            ),
            (
                "Adults seen with Child M were not identified.",
                "Police logs named cars and addresses that were never mapped together.",
                ["cse", "extra-familial-harm"],
                ["Police"],
                P,
                "Hold a multi-agency child exploitation mapping meeting when a child goes "
                "missing three times in a month.",
            ),
        ],
    },
    {
        "reference": "WIR-LCSPR-2025-02",
        "type": ReviewType.LCSPR,
        "converted_from": "WIR-RR-2025-11",
        "title": "Child M: local child safeguarding practice review",
        "pseudonym": "Child M",
        "age": AgeBand.AGE_11_15,
        "lead": "Wirral",
        "themes": ["cse", "missing-children", "escalation"],
        "agencies": ["Police", "CSC", "Early help", "Education"],
        "aware_days_ago": 300,
        "notified": True,
        "decision_days_ago": 270,
        "status": ReviewStatus.AWAITING_SIGN_OFF,
        "level": LevelOfNeed.ACUTE,
        "sharing": P,
        "panel": ["reviewer", "manager", "agencylead"],
        "findings": [
            (
                "Concerns were not escalated when the strategy meeting decided no further action.",
                "Two practitioners disagreed but did not use the escalation policy.",
                ["escalation"],
                ["Education", "CSC"],
                PUB,
                "Refresh the resolving professional differences policy and train school "
                "designated safeguarding leads in it.",
            ),
            (
                "Exploitation was seen as a choice Child M had made.",
                "Records described Child M as 'putting herself at risk'.",
                ["cse", "voice-of-the-child"],
                ["Police", "CSC"],
                G,
                "Use language that recognises exploitation in every agency's recording guidance.",
            ),
            (
                "School exclusion removed a protective adult.",
                "A fixed-term exclusion took Child M out of the one setting that noticed her.",
                ["children-not-in-school"],
                ["Education"],
                P,
                "Schools consult the social worker before excluding a child on a plan.",
            ),
        ],
    },
    {
        "reference": "WIR-CDR-2025-04",
        "type": ReviewType.CHILD_DEATH_REVIEW,
        "title": "Baby T: sudden unexpected death in infancy",
        "pseudonym": "Baby T",
        "age": AgeBand.UNDER_1,
        "lead": "Wirral",
        "themes": ["sudi", "parental-substance-misuse"],
        "agencies": ["NHS trust", "ICB", "Early help"],
        "aware_days_ago": 150,
        "status": ReviewStatus.SIGNED_OFF,
        "level": LevelOfNeed.ADDITIONAL,
        "sharing": R,
        "panel": ["healthlead", "reviewer"],
        "findings": [
            (
                "Safer sleep advice was given once, at birth, and not repeated.",
                "The family's circumstances changed (a new partner, alcohol use) but the advice "
                "was never revisited.",
                ["sudi"],
                ["NHS trust"],
                PUB,
                "Repeat safer sleep advice at every contact when circumstances change.",
            ),
            (
                "Co-sleeping risk with alcohol was not discussed with the father.",
                "Fathers and partners were not part of the safer sleep conversation.",
                ["sudi", "unseen-men"],
                ["NHS trust", "Early help"],
                G,
                "Include fathers and partners in safer sleep conversations.",
            ),
        ],
    },
    {
        "reference": "WIR-DARDR-2025-01",
        "type": ReviewType.DARDR,
        "title": "Adult S: domestic abuse related death review",
        "pseudonym": "Adult S",
        "age": AgeBand.ADULT_25_64,
        # Commissioned by the community safety partnership, which asked the adults board to run
        # it; the children's partnership takes part because children lived in the home.
        "lead": "Wirral SAB",
        "participating": ["Wirral"],
        "themes": ["domestic-abuse", "information-sharing"],
        "agencies": ["Police", "Housing", "ASC"],
        "aware_days_ago": 400,
        "decision_days_ago": 380,
        "status": ReviewStatus.EMBARGOED,
        "status_reason": "[fictional] Publication paused until the criminal trial ends.",
        "level": None,
        "sharing": R,
        "panel": ["sab.manager", "manager", "agencylead"],
        "findings": [
            (
                "Coercive control was not recognised by housing officers.",
                "Repeated requests to move were treated as a housing matter only.",
                ["domestic-abuse"],
                ["Housing"],
                G,
                "Train housing officers to recognise coercive control and refer to MARAC.",
            ),
            (
                "The MARAC referral did not reach the GP.",
                "Information stayed within the meeting; the GP saw Adult S twice afterwards.",
                ["information-sharing", "domestic-abuse"],
                ["Police"],
                R,
                "Send MARAC actions to the GP practice within one working day.",
            ),
        ],
    },
    {
        "reference": "WIR-SAR-2025-03",
        "type": ReviewType.SAR,
        "title": "Adult B: self-neglect and hoarding",
        "pseudonym": "Adult B",
        "age": AgeBand.ADULT_65_PLUS,
        "lead": "Wirral SAB",
        "themes": ["neglect", "thresholds"],
        "agencies": ["ASC", "Housing", "ICB"],
        "aware_days_ago": 250,
        "decision_days_ago": 230,
        "status": ReviewStatus.PUBLISHED,
        "published_days_ago": 20,
        "level": None,
        "sharing": PUB,
        "panel": ["sab.manager"],
        "findings": [
            (
                "Self-neglect referrals were closed as lifestyle choice.",
                "Four referrals in two years were closed without a mental capacity assessment.",
                ["neglect", "thresholds"],
                ["ASC"],
                PUB,
                "Self-neglect referrals get a capacity assessment before closure.",
            ),
            (
                "No agency held the whole picture.",
                "Fire service, housing and the GP each knew part of the risk.",
                ["information-sharing"],
                ["Housing", "ICB"],
                PUB,
                "Use the multi-agency risk management meeting for self-neglect.",
            ),
        ],
    },
    {
        "reference": "WIR-MAA-2026-01",
        "type": ReviewType.MULTI_AGENCY_AUDIT,
        "title": "Thematic audit: neglect in children on child in need plans",
        "pseudonym": "",
        "age": AgeBand.SEVERAL,
        "lead": "Wirral",
        "themes": ["neglect", "thresholds", "risk-assessment"],
        "agencies": ["CSC", "Early help", "Education", "NHS trust"],
        "start_days_ago": 60,
        "status": ReviewStatus.IN_PROGRESS,
        "level": LevelOfNeed.COMPLEX,
        "sharing": P,
        "panel": ["qa", "reviewer"],
        "findings": [
            (
                "The graded care profile was used in fewer than half the cases audited.",
                "Where it was used, plans were clearer and reviewed on time.",
                ["neglect", "risk-assessment"],
                ["CSC", "Early help"],
                G,
                "Use the graded care profile in every neglect assessment.",
            ),
            (
                "Plans drifted past their review dates.",
                "Six of twelve plans had no review for more than three months.",
                ["thresholds"],
                ["CSC"],
                P,
                "Escalate plans unreviewed for twelve weeks to the team manager.",
            ),
        ],
    },
    {
        "reference": "WIR-S11-2025",
        "type": ReviewType.SECTION_11_AUDIT,
        "title": "Section 11 audit 2025: agencies' safeguarding arrangements",
        "pseudonym": "",
        "age": "",
        "lead": "Wirral",
        "themes": ["information-sharing", "escalation"],
        "agencies": ["Police", "ICB", "NHS trust", "Probation", "Housing"],
        "start_days_ago": 200,
        "status": ReviewStatus.SIGNED_OFF,
        "level": None,
        "sharing": G,
        "panel": ["qa"],
        "findings": [
            (
                "Most agencies rated themselves green on safer recruitment.",
                "Evidence was strongest where audits were repeated each year.",
                ["escalation"],
                ["Police", "NHS trust"],
                G,
                "Share the safer recruitment self-audit tool across the partnership.",
            ),
            (
                "Supervision records rarely mention safeguarding.",
                "Three agencies rated amber for safeguarding supervision.",
                ["professional-curiosity"],
                ["Probation", "Housing"],
                P,
                "Agencies rated amber set an improvement action within one month.",
            ),
        ],
    },
    {
        "reference": "WIR-S175-2025",
        "type": ReviewType.SECTION_175_AUDIT,
        "title": "Section 175 audit 2025: schools and colleges",
        "pseudonym": "",
        "age": "",
        "lead": "Wirral",
        "themes": ["online-harm", "harmful-sexual-behaviour"],
        "agencies": ["Education"],
        "start_days_ago": 180,
        "status": ReviewStatus.SIGNED_OFF,
        "level": None,
        "sharing": G,
        "panel": ["qa"],
        "findings": [
            (
                "Schools want help with child-on-child sexual abuse.",
                "Two thirds of schools asked for training on harmful sexual behaviour.",
                ["harmful-sexual-behaviour"],
                ["Education"],
                PUB,
                "Offer harmful sexual behaviour training to every designated safeguarding lead.",
            ),
            (
                "Online safety policies are out of date.",
                "A third of policies predate the current guidance.",
                ["online-harm"],
                ["Education"],
                G,
                "Publish a model online safety policy for schools.",
            ),
        ],
    },
    {
        "reference": "WIR-LR-2026-01",
        "type": ReviewType.LEARNING_REVIEW,
        "title": "Child J: young carer not seen by services",
        "pseudonym": "Child J",
        "age": AgeBand.AGE_11_15,
        "lead": "Wirral",
        "themes": ["young-carers", "parental-mental-health"],
        "agencies": ["Education", "Early help", "ASC"],
        "start_days_ago": 30,
        "status": ReviewStatus.DRAFT,
        "level": LevelOfNeed.ADDITIONAL,
        "sharing": P,
        "panel": ["reviewer"],
        "findings": [
            (
                "Adult services did not ask who cared for the children.",
                "Child J cared for a parent with severe depression for two years.",
                ["young-carers", "parental-mental-health"],
                ["ASC"],
                G,
                "Adult assessments ask 'who else lives here, and who cares for whom?'.",
            ),
            (
                "Lateness at school was treated as behaviour.",
                "Sanctions were given for lateness caused by caring.",
                ["young-carers"],
                ["Education"],
                P,
                "Schools check for caring responsibilities before sanctioning lateness.",
            ),
        ],
    },
    {
        "reference": "LIV-RR-2026-03",
        "type": ReviewType.RAPID_REVIEW,
        "title": "Child K: criminal exploitation and county lines",
        "pseudonym": "Child K",
        "age": AgeBand.AGE_16_17,
        "lead": "Liverpool",
        "themes": ["cce", "extra-familial-harm", "children-not-in-school"],
        "agencies": ["Police", "CSC", "Education"],
        "aware_days_ago": 25,
        "notified": True,
        "notification_late_by": 0,
        "status": ReviewStatus.IN_PROGRESS,
        "level": LevelOfNeed.ACUTE,
        "sharing": R,
        "panel": ["liverpool.manager"],
        "findings": [
            (
                "Child K was treated as an offender, not as a victim of exploitation.",
                "Arrests for possession out of area did not lead to a referral.",
                ["cce"],
                ["Police"],
                G,
                "Every out-of-area arrest of a child leads to an exploitation screening.",
            ),
            (
                "Reduced school timetable left Child K unsupervised most days.",
                "The part-time timetable lasted seven months without review.",
                ["children-not-in-school"],
                ["Education"],
                P,
                "Part-time timetables are reviewed every six weeks.",
            ),
        ],
    },
    {
        "reference": "LIV-NR-2025-01",
        "type": ReviewType.NATIONAL_REVIEW,
        "title": "Child D: national review of abusive head trauma",
        "pseudonym": "Child D",
        "age": AgeBand.UNDER_1,
        "lead": "Liverpool",
        "themes": ["abusive-head-trauma", "unseen-men"],
        "agencies": ["NHS trust", "Police"],
        "aware_days_ago": 220,
        "notified": True,
        "decision_days_ago": 200,
        "status": ReviewStatus.PUBLISHED_IMPROVEMENTS_ONLY,
        "status_reason": "[fictional] Full publication would identify the siblings.",
        "published_days_ago": 10,
        "decision": Decision.NATIONAL_REVIEW,
        "level": LevelOfNeed.UNIVERSAL,
        "sharing": G,
        "panel": ["liverpool.manager"],
        "findings": [
            (
                "The mother's partner was not known to any agency.",
                "He lived in the home but was never seen or asked about.",
                ["unseen-men"],
                ["NHS trust"],
                PUB,
                "Ask about every adult living in or visiting the home.",
            ),
            (
                "Coping with crying was not discussed before discharge.",
                "ICON messages were given only in writing.",
                ["abusive-head-trauma"],
                ["NHS trust"],
                PUB,
                "Talk through ICON with both parents before discharge from maternity.",
            ),
        ],
    },
    {
        "reference": "SEF-PR-2025-01",
        "type": ReviewType.PEER_REVIEW,
        "title": "Peer review of the front door (MASH)",
        "pseudonym": "",
        "age": "",
        "lead": "Sefton",
        "themes": ["thresholds", "information-sharing"],
        "agencies": ["CSC", "Police", "ICB"],
        "start_days_ago": 120,
        "status": ReviewStatus.NOT_PUBLISHED,
        "status_reason": "[fictional] Peer reviews are shared with the region, not published.",
        "level": None,
        "sharing": G,
        "panel": [],
        "findings": [
            (
                "Thresholds were applied consistently at the front door.",
                "Decisions were timely in 46 of 50 contacts sampled.",
                ["thresholds"],
                ["CSC"],
                G,
                "Keep the daily multi-agency triage meeting.",
            ),
            (
                "Health information arrived after decisions were made.",
                "Health research took two days on average.",
                ["information-sharing"],
                ["ICB"],
                G,
                "Place a health practitioner in the MASH every weekday.",
            ),
        ],
    },
    {
        "reference": "HAL-RR-2026-02",
        "type": ReviewType.RAPID_REVIEW,
        "title": "Child F: fabricated or induced illness",
        "pseudonym": "Child F",
        "age": AgeBand.AGE_1_4,
        "lead": "Halton",
        "themes": ["fii", "disabled-children"],
        "agencies": ["NHS trust", "CSC"],
        "aware_days_ago": 70,
        "notified": True,
        "status": ReviewStatus.SIGNED_OFF,
        "decision": Decision.NO_FURTHER_REVIEW,
        "level": LevelOfNeed.COMPLEX,
        "sharing": R,
        "panel": ["halton.reviewer"],
        "findings": [
            (
                "Perplexing presentations were investigated by one hospital at a time.",
                "Three hospitals saw Child F; no consultant had the whole history.",
                ["fii"],
                ["NHS trust"],
                G,
                "Appoint a responsible consultant when presentations are perplexing.",
            ),
            (
                "Child F's disability made symptoms easy to explain away.",
                "Professionals accepted symptoms as part of the condition.",
                ["disabled-children", "professional-curiosity"],
                ["CSC"],
                P,
                "Disability does not lower professional curiosity: add it to supervision.",
            ),
        ],
    },
]


def build(world, scale: int) -> None:
    today = timezone.localdate()
    themes = {t.slug: t for t in Theme.objects.all()}
    built: dict[str, Review] = {}
    for spec in REVIEWS:
        built[spec["reference"]] = _build_review(world, spec, themes, built, today)
    world.log.append(f"{len(built)} demo reviews")
    if scale > 1:
        _build_scaled_reviews(world, scale, themes, today)


def _dates(spec, today: date) -> dict:
    values = {}
    if "aware_days_ago" in spec:
        aware = today - timedelta(days=spec["aware_days_ago"])
        values["aware_date"] = aware
        values["incident_date"] = aware - timedelta(days=2)
        if spec.get("notified"):
            values["notification_date"] = add_working_days(aware, 4)
    if "start_days_ago" in spec:
        values["start_date"] = today - timedelta(days=spec["start_days_ago"])
    if "decision_days_ago" in spec:
        values["decision_date"] = today - timedelta(days=spec["decision_days_ago"])
    if "published_days_ago" in spec:
        values["publication_date"] = today - timedelta(days=spec["published_days_ago"])
    return values


def _build_review(world, spec, themes, built, today) -> Review:
    lead = world.partnerships[spec["lead"]]
    review_type = spec["type"]
    defaults = {
        "review_type": review_type.value,
        "title": spec["title"],
        "subject_pseudonym": spec["pseudonym"],
        "age_band": spec["age"] or "",
        "lead_partnership": lead,
        "level_of_need": spec["level"],
        "status": spec["status"].value,
        "status_reason": spec.get("status_reason", ""),
        "decision": spec["decision"].value if spec.get("decision") else "",
        "summary": f"[fictional] {spec['title']}: a demonstration review with invented facts.",
        "confidential_details": "[fictional] No real case: placeholder for the panel's "
        "identifying notes.",
        "sharing_level": spec["sharing"].value,
        "converted_from": built.get(spec.get("converted_from")),
        **_dates(spec, today),
    }
    review, _ = Review.objects.update_or_create(reference=spec["reference"], defaults=defaults)
    review.themes.set([themes[slug] for slug in spec["themes"]])
    review.agencies.set([world.agencies[(spec["lead"], a)] for a in spec["agencies"]])
    review.participating_partnerships.set(
        [world.partnerships[p] for p in spec.get("participating", [])]
    )
    review.panel.set([world.people[u] for u in spec["panel"]])
    review.save()

    for order, (title, more, slugs, agency_shorts, level, recommendation) in enumerate(
        spec["findings"]
    ):
        finding, _ = Finding.objects.update_or_create(
            review=review,
            title=title,
            defaults={
                "text": f"{title} {more}",
                "sharing_level": level.value,
                "level_of_need": spec["level"],
                "sort_order": order,
            },
        )
        finding.themes.set([themes[s] for s in slugs])
        finding.agencies.set([world.agencies[(spec["lead"], a)] for a in agency_shorts])
        finding.save()
        rec, _ = Recommendation.objects.update_or_create(
            review=review,
            text=recommendation,
            defaults={"sharing_level": level.value, "sort_order": order},
        )
        rec.findings.set([finding])
        rec.save()

    author = world.people.get(spec["panel"][0]) if spec["panel"] else None
    if review.latest_revision_id is None:
        # A first revision, published, so the admin's history starts with the demo record.
        revision = review.save_revision(user=author, clean=False, log_action=True)
        revision.publish(user=author, skip_permission_checks=True)
    _complete_demo_milestones(review, author, today)
    if spec["status"] == ReviewStatus.AWAITING_SIGN_OFF and not review.workflow_in_progress:
        # Sent for sign-off by its author: the panel's approval waits on their home pages.
        review.get_workflow().start(review, author)
    return review


# A review in one of these has been signed off: its own work is done, and so, in the demo, is
# whatever fell due since (the Panel responded, the copy went before publication).
AFTER_SIGN_OFF = {status.value for status in SETTLED_STATUSES} | {ReviewStatus.EMBARGOED.value}


def demo_done_dates(review, due: dict, today: date) -> dict:
    """kind -> (done date, how) for a demo review signed off or beyond: the milestones its
    sign-off completed, done when due (on time) or today if that is earlier, and those due since
    done when due. Steps that a date on the review records (notification, publication) are left
    to that date, as they are in use."""
    if review.status not in AFTER_SIGN_OFF:
        return {}
    recorded = recorded_done_dates(review)
    done = {}
    for s in specs_for(review.review_type):
        day = due.get(s.kind)
        if s.kind in recorded or s.done_field:
            continue
        if s.signed_off:
            done[s.kind] = (min(day or today, today), DoneSource.SIGN_OFF)
        elif day is not None and day < today:
            done[s.kind] = (day, DoneSource.MARKED)
    return done


def _complete_demo_milestones(review, author, today: date) -> None:
    """Close what a signed-off demo review has done, keeping dates already recorded (re-runs)."""
    milestones = {m.kind: m for m in review.milestones.filter(done_date__isnull=True)}
    due = {kind: m.due_date for kind, m in milestones.items()}
    changed = []
    for kind, (day, how) in demo_done_dates(review, due, today).items():
        milestone = milestones.get(kind)
        if milestone is None:
            continue
        milestone.done_date, milestone.done_source = day, how
        milestone.completed_by = author if how == DoneSource.MARKED else None
        changed.append(milestone)
    if changed:
        Milestone.objects.bulk_update(changed, ["done_date", "done_source", "completed_by"])
        deadline_cache.invalidate()
        recompute_milestones(review)


SCALED_TYPES = [
    ReviewType.RAPID_REVIEW,
    ReviewType.RAPID_REVIEW,
    ReviewType.LCSPR,
    ReviewType.MULTI_AGENCY_AUDIT,
    ReviewType.SAR,
    ReviewType.LEARNING_REVIEW,
]
SCALED_THEMES = [
    "neglect",
    "domestic-abuse",
    "trilogy-of-risk",
    "cse",
    "sudi",
    "bruising-non-mobile-babies",
    "information-sharing",
    "professional-curiosity",
]
SCALED_LEVELS = [R, P, P, G, PUB]
# A signed-off review carries its full set of findings; one still being written has only its
# first few. Half the scaled reviews are settled, so scale 50 gives the search benchmark its
# 50,000 searchable findings (plus 5,000 not yet shareable, which the index must leave out).
SCALED_FINDINGS_SETTLED = 20
SCALED_FINDINGS_UNSETTLED = 2
SCALED_PRACTICE = [
    "the health visitor saw it but it was not recorded as a concern",
    "it was discussed at the strategy meeting but nobody followed it up",
    "police recorded it but did not share it with children's social care",
    "the plan drifted for months without a review",
    "the school raised it but the referral was closed without a visit",
    "the father was never asked about it",
    "the child was not seen alone",
    "agencies held different parts of the picture",
    "supervision did not challenge the worker's view",
    "the threshold was applied without considering the history",
]


def _build_scaled_reviews(world, scale: int, themes: dict, today: date) -> None:
    """100 x scale more reviews, in bulk, for benchmarks; no revisions. Half are settled (signed
    off or beyond) with 20 findings each, half still in hand with 2: 50,000 searchable findings
    at scale 50, what the search benchmark needs."""
    count = 100 * scale
    # Each type is led by a partnership that may lead it: the SARs by the adults board.
    leads = {
        kind: [p for p in world.partnerships.values() if may_lead(kind, p.kind)]
        for kind in set(SCALED_TYPES)
    }
    wanted = [f"BENCH-{i:06d}" for i in range(count)]
    existing = set(Review.objects.filter(reference__in=wanted).values_list("reference", flat=True))
    now = timezone.now()
    new = []
    for i, reference in enumerate(wanted):
        if reference in existing:
            continue
        review_type = SCALED_TYPES[i % len(SCALED_TYPES)]
        aware = today - timedelta(days=(i * 7) % 700)
        new.append(
            Review(
                reference=reference,
                review_type=review_type.value,
                title=f"Demo review {i}: {themes[SCALED_THEMES[i % 8]].name.lower()}",
                subject_pseudonym=f"Child {chr(65 + i % 26)}{i}",
                lead_partnership=leads[review_type][i % len(leads[review_type])],
                aware_date=aware,
                notification_date=add_working_days(aware, 5) if i % 3 else None,
                status=list(ReviewStatus)[i % len(ReviewStatus)].value,
                summary="[fictional] A generated review for benchmarks.",
                confidential_details="[fictional] placeholder",
                sharing_level=SCALED_LEVELS[i % len(SCALED_LEVELS)].value,
                created_at=now,
                updated_at=now,
            )
        )
    Review.objects.bulk_create(new, batch_size=1000)
    created = list(
        Review.objects.filter(reference__in=[r.reference for r in new]).values_list(
            "pk", "reference"
        )
    )
    settled = {status.value for status in SETTLED_STATUSES}
    status_of = dict(
        Review.objects.filter(pk__in=[pk for pk, _ in created]).values_list("pk", "status")
    )
    tagged, findings = [], []
    for pk, reference in created:
        i = int(reference[-6:])
        tagged.append(ReviewTheme(content_object_id=pk, tag=themes[SCALED_THEMES[i % 8]]))
        how_many = (
            SCALED_FINDINGS_SETTLED if status_of[pk] in settled else SCALED_FINDINGS_UNSETTLED
        )
        for n in range(how_many):
            slug = SCALED_THEMES[(i + n) % 8]
            practice = SCALED_PRACTICE[(i + 3 * n) % len(SCALED_PRACTICE)]
            findings.append(
                Finding(
                    review_id=pk,
                    title=f"Finding {n + 1} of demo review {i}",
                    text=f"[fictional] Finding {n + 1} about {themes[slug].name.lower()}: "
                    f"{practice}.",
                    sharing_level=SCALED_LEVELS[(i + n) % len(SCALED_LEVELS)].value,
                    sort_order=n,
                )
            )
    ReviewTheme.objects.bulk_create(tagged, batch_size=2000)
    Finding.objects.bulk_create(findings, batch_size=2000)
    made = Finding.objects.filter(review_id__in=[pk for pk, _ in created]).values_list(
        "pk", "title"
    )
    through = Finding.themes.through
    # Each finding is tagged with the theme its text names: "Finding n of demo review i".
    links = [
        through(
            finding_id=pk,
            theme_id=themes[
                SCALED_THEMES[(int(title.split()[-1]) + int(title.split()[1]) - 1) % 8]
            ].pk,
        )
        for pk, title in made
    ]
    through.objects.bulk_create(links, batch_size=2000)
    milestones = _bulk_milestones(new)
    world.log.append(
        f"{len(new)} scaled reviews with {len(findings)} findings and {milestones} milestones"
    )


def _bulk_milestones(reviews) -> int:
    """The milestones `recompute_milestones` would give these reviews, made in bulk: bulk_create
    sends no post_save, and the deadlines dashboard must be measured with its rows in place."""
    timescales = {
        partnership_id: ReviewTimescale.objects.for_partnership(partnership_id)
        for partnership_id in {review.lead_partnership_id for review in reviews}
    }
    rows = []
    today = timezone.localdate()
    for review in Review.objects.filter(reference__in=[r.reference for r in reviews]):
        due = milestone_due_dates(review, timescales[review.lead_partnership_id], {})
        done = {
            kind: (day, DoneSource.RECORDED) for kind, day in recorded_done_dates(review).items()
        }
        done.update(demo_done_dates(review, due, today))
        for position, spec in enumerate(specs_for(review.review_type)):
            day, how = done.get(spec.kind, (None, ""))
            rows.append(
                Milestone(
                    review=review,
                    kind=spec.kind,
                    label=spec.label,
                    position=position,
                    due_date=due[spec.kind],
                    done_date=day,
                    done_source=how,
                    statutory=spec.statutory,
                )
            )
    Milestone.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    deadline_cache.invalidate()
    return len(rows)
