"""Demo self-assessment: Wirral's Section 11 standards in two versions, last year's cycle agreed,
this year's with every agency's return at a different stage (carried forward, in progress,
submitted, challenged and answered, agreed with an improvement action), and a Section 175 cycle
for four fictional schools. Everything goes through `audits.cycles`, as people would do it.
Keyed on the cycles' references, so re-running changes nothing. With scale > 1 a cycle of 500
fictional retired agencies for the bench's heat map."""

from __future__ import annotations

import zlib
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from partnership.demo import World
from partnership.models import Agency, Membership, Role, Sector

from . import cycles as services
from . import demo_case_audits, events, regional
from .models import (
    AgencyReturn,
    Assessment,
    Cycle,
    RatingScale,
    ReturnState,
    SetKind,
    Standard,
    StandardSet,
)
from .standards import adopt

S11_NAME = "Section 11 standards"
S11 = [
    (
        "1",
        "Senior management have commitment to the importance of safeguarding and promoting "
        "children's welfare.",
        "A named board member leads on safeguarding; safeguarding is in the agency's plans.",
        "Board minutes; the strategic plan; the lead's role description.",
    ),
    (
        "2",
        "There is a clear statement of the agency's responsibilities towards children, "
        "available to all staff.",
        "Every member of staff can say where the statement is and what it asks of them.",
        "The policy; induction materials; a staff survey.",
    ),
    (
        "3",
        "There is a clear line of accountability for work on safeguarding children.",
        "Staff know who to go to; the designated lead's time is protected.",
        "Structure charts; supervision records (without case detail).",
    ),
    (
        "4",
        "Service development takes account of the need to safeguard children and is informed "
        "by the views of children and families.",
        "Children's and families' views are asked for and change services.",
        "Consultation reports; 'you said, we did' summaries.",
    ),
    (
        "5",
        "Staff training on safeguarding children is in place, at the level each role needs.",
        "Training records show every role trained at its level, refreshed on time.",
        "Training compliance figures by level.",
    ),
    (
        "6",
        "Safer recruitment procedures, including vetting and allegations management, are in place.",
        "DBS checks are current; allegations are referred to the LADO within one working day.",
        "Recruitment audit; LADO referral log (counts only).",
    ),
    (
        "7",
        "Effective inter-agency working to safeguard children, including information sharing.",
        "Staff share information with confidence and escalate disagreements.",
        "Multi-agency audit findings; use of the escalation policy.",
    ),
    (
        "8",
        "Information about children and families is recorded and shared in line with the "
        "partnership's procedures.",
        "Records are contemporaneous, and say what was shared, with whom and why.",
        "Record-keeping audit.",
    ),
]
# This year's version: standard 8 is reworded and 9 is new.
S11_CHANGES = {
    "8": (
        "Records about children and families are kept and shared as the partnership's "
        "information sharing agreement asks, including across the Wirral and Cheshire border.",
        "Records say what was shared, with whom and why, across every boundary.",
        "Record-keeping audit; the sharing agreement's annual review.",
    ),
    "9": (
        "The agency learns from case reviews and audits, and can show the learning changed "
        "practice.",
        "Actions from reviews are embedded and re-audited.",
        "Action plan; re-audit results; briefing reach.",
    ),
}
S175_NAME = "Section 175 standards for schools"
S175 = [
    (
        "1",
        "The school has a designated safeguarding lead with the time and training to act.",
        "",
        "",
    ),
    (
        "2",
        "Staff read Keeping Children Safe in Education part one and know how to raise a concern.",
        "",
        "",
    ),
    ("3", "Concerns are recorded, acted on and passed on when a pupil moves school.", "", ""),
    ("4", "Pupils are taught how to keep themselves safe, online too.", "", ""),
    ("5", "Governors hold the school to account for safeguarding.", "", ""),
]
# Each with its designated safeguarding lead: fictional names.
SCHOOLS = [
    ("Oakfield Primary School (fictional)", ("dsl.oakfield", "Olwen", "Pryce")),
    ("Bracken Hill Academy (fictional)", ("dsl.brackenhill", "Bram", "Hollis")),
    ("St Ebba's Catholic Primary (fictional)", ("dsl.stebbas", "Siobhan", "Keane")),
    ("Wallasey Vale High School (fictional)", ("dsl.wallaseyvale", "Wes", "Marlow")),
]
# Demo agency leads for the Wirral agencies that have none: fictional names.
LEADS = {
    "ICB": ("lead.icb", "Ifeoma", "Barr"),
    "CSC": ("lead.csc", "Callum", "Dunmore"),
    "Early help": ("lead.earlyhelp", "Esme", "Tolland"),
    "Probation": ("lead.probation", "Petra", "Vance"),
    "Housing": ("lead.housing", "Hamid", "Rusk"),
    "ASC": ("lead.asc", "Anya", "Kell"),
    "VCF": ("lead.vcf", "Vikram", "Oduya"),
}


def build(world: World, scale: int) -> None:
    wirral = world.partnerships.get("Wirral")
    qa = world.people.get("qa")
    if wirral is None or qa is None or Cycle.objects.filter(partnership=wirral).exists():
        return
    leads = _leads(world)
    first = _set(wirral, S11_NAME, 1, S11, SetKind.SECTION_11, RatingScale.FOUR_POINT, world)
    second = _set(
        wirral, S11_NAME, 2, _changed(S11), SetKind.SECTION_11, RatingScale.FOUR_POINT, world
    )
    today = timezone.localdate()
    last_year = _open(first, world, "Section 11 self-assessment 2025-26", today + timedelta(days=1))
    for agency_return in last_year.returns.select_related("agency"):
        _complete(agency_return, leads, world)
        _agree_all(agency_return, qa, today)
    Cycle.objects.filter(pk=last_year.pk).update(
        due_date=today - timedelta(days=240), opened_at=timezone.now() - timedelta(days=330)
    )
    this_year = _open(
        second, world, "Section 11 self-assessment 2026-27", today + timedelta(days=42)
    )
    _stages(this_year, leads, world, today)
    _section_175(world, wirral, today)
    _neighbour(world, second, today)
    regional.share_figures(this_year, qa, True)
    demo_case_audits.build(world, leads)
    if scale > 1:
        _bench_cycle(world, wirral, second)
    world.log.append(
        f"audits: {Cycle.objects.count()} self-assessment cycles, "
        f"{AgencyReturn.objects.count()} returns"
    )


def _neighbour(world, wirral_set, today):
    """Liverpool adopts Wirral's shared standards, runs its own cycle, and shares its figures,
    so that the regional comparison has two partnerships side by side."""
    manager = world.people.get("liverpool.manager")
    if manager is None:
        return
    own = adopt(wirral_set, manager)
    cycle = services.open_cycle(
        own,
        manager,
        title="Section 11 self-assessment 2026-27",
        due_date=today + timedelta(days=42),
        agencies=services.invitable_agencies(own),
    )
    for agency_return in cycle.returns.select_related("agency"):
        _complete(agency_return, {}, world)
    regional.share_figures(cycle, manager, True)


def _leads(world) -> dict[int, object]:
    """Each Wirral agency's demo lead, by agency id."""
    for short, person in LEADS.items():
        agency = world.agencies.get(("Wirral", short))
        if agency is not None:
            _lead(world, agency, *person)
    group = Group.objects.get(name=Role.AGENCY_LEAD.label)
    memberships = Membership.objects.filter(
        partnership=world.partnerships["Wirral"], user__groups=group, agency__isnull=False
    ).select_related("user")
    return {m.agency_id: m.user for m in memberships.order_by("pk")}


def _lead(world, agency, username, first, last):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username, email=f"{username}@example.org", first_name=first, last_name=last
        )
        if world.password:
            user.set_password(world.password)
            user.save()
        user.groups.add(Group.objects.get(name=Role.AGENCY_LEAD.label))
        Membership.objects.create(user=user, partnership=agency.partnership, agency=agency)
    world.people[username] = user
    return User.objects.get(pk=user.pk)


def _changed(standards):
    rows = [
        (code, *S11_CHANGES[code]) if code in S11_CHANGES else (code, text, good, evidence)
        for code, text, good, evidence in standards
    ]
    return rows + [("9", *S11_CHANGES["9"])]


def _set(partnership, name, version, standards, kind, scale, world) -> StandardSet:
    standard_set = StandardSet.objects.create(
        partnership=partnership,
        name=name,
        version=version,
        kind=kind,
        scale=scale,
        sharing_level="regional",
        created_by=world.people.get("qa"),
    )
    Standard.objects.bulk_create(
        Standard(
            standard_set=standard_set,
            sort_order=n,
            code=code,
            text=text,
            good_looks_like=good,
            evidence_expected=evidence,
        )
        for n, (code, text, good, evidence) in enumerate(standards)
    )
    return standard_set


def _open(standard_set, world, title, due, agencies=None) -> Cycle:
    return services.open_cycle(
        standard_set,
        world.people["qa"],
        title=title,
        due_date=due,
        agencies=agencies if agencies is not None else services.invitable_agencies(standard_set),
    )


def _rating(agency_return, standard, scale: int) -> int:
    """A steady spread of ratings: mostly met, some partially met, few not met."""
    roll = zlib.crc32(f"{agency_return.agency.name}:{standard.code}".encode()) % 10
    if scale == 3:
        return 1 if roll == 0 else 2 if roll < 3 else 3
    return 1 if roll == 0 else 2 if roll < 3 else 4 if roll == 9 else 3


def _complete(agency_return, leads, world, upto=None, submit=True):
    lead = leads.get(agency_return.agency_id) or world.people["admin"]
    top = len(agency_return.cycle.standard_set.ratings)
    assessments = list(agency_return.assessments.select_related("standard"))
    for assessment in assessments[:upto]:
        rating = assessment.rating or _rating(agency_return, assessment.standard, top)
        if assessment.carried_forward and rating <= 2 and assessment.standard.code in "357":
            rating += 1  # last year's improvement action shows
        services.save_assessment(
            assessment,
            lead,
            rating=rating,
            narrative=assessment.narrative
            or f"{agency_return.agency.short_name} meets this through its policy and its "
            "annual audit; figures attached.",
            improvement=assessment.improvement,
        )
    if submit:
        services.submit(
            agency_return,
            lead,
            signed_by_name="Dr Rowan Ashworth (fictional)",
            signed_by_role="Chief executive",
        )


def _agree_all(agency_return, qa, today, except_codes=()):
    for assessment in agency_return.assessments.select_related("standard"):
        if assessment.standard.code in except_codes:
            continue
        services.agree(
            assessment, qa, rating=assessment.rating, due_date=today + timedelta(days=90)
        )


def _stages(cycle, leads, world, today):
    """This year's returns, each at its own stage."""
    qa = world.people["qa"]
    returns = {r.agency.short_name: r for r in cycle.returns.select_related("agency")}
    if "Police" in returns:  # the demo agency lead's: carried forward, three standards redone
        _complete(returns["Police"], leads, world, upto=3, submit=False)
    if "NHS trust" in returns:  # submitted; standard 3 challenged and answered
        _complete(returns["NHS trust"], leads, world)
        session = events.record_event(
            cycle,
            qa,
            title="Challenge and support: health agencies",
            held_on=today - timedelta(days=7),
            returns=[r for short, r in returns.items() if short in ("NHS trust", "ICB")],
            notes="Supervision cover and the safeguarding training figures were discussed; "
            "the trust is to re-audit supervision in quarter four.",
        )
        third = returns["NHS trust"].assessments.get(standard__code="3")
        services.challenge(
            third,
            qa,
            text="The supervision audit found named nurses' supervision lapsed in two teams: "
            "is 'met' right?",
            event=session,
        )
        services.respond(
            third,
            leads[returns["NHS trust"].agency_id],
            text="Agreed: cover is now in place; we propose partially met until the re-audit.",
            rating=2,
        )
        _agree_all(returns["NHS trust"], qa, today, except_codes={"3"})
    if "CSC" in returns:  # agreed, with an improvement action from its amber ratings
        _complete(returns["CSC"], leads, world)
        _agree_all(returns["CSC"], qa, today)
    if "ICB" in returns:  # submitted, waiting for quality assurance
        _complete(returns["ICB"], leads, world)
    if "Housing" in returns:
        _complete(returns["Housing"], leads, world, upto=5, submit=False)
    if "VCF" in returns:
        _complete(returns["VCF"], leads, world)
        first = returns["VCF"].assessments.get(standard__code="5")
        services.challenge(
            first, qa, text="Training figures show 61% at level 3: what is the plan to reach 90%?"
        )


def _section_175(world, wirral, today):
    schools, leads = [], {}
    for name, person in SCHOOLS:
        school, _ = Agency.objects.get_or_create(
            partnership=wirral,
            name=name,
            defaults={"short_name": name.split(" (")[0][:60], "sector": Sector.EDUCATION},
        )
        schools.append(school)
        leads[school.pk] = _lead(world, school, *person)
    standard_set = _set(
        wirral,
        S175_NAME,
        1,
        [(code, text, "", "") for code, text, *_ in S175],
        SetKind.SECTION_175,
        RatingScale.RAG,
        world,
    )
    cycle = _open(
        standard_set, world, "Section 175 audit 2026-27", today + timedelta(days=70), schools
    )
    returns = list(cycle.returns.select_related("agency").order_by("agency__name"))
    for n, agency_return in enumerate(returns):
        if n < 2:
            _complete(agency_return, leads, world)
        elif n == 2:
            _complete(agency_return, leads, world, upto=2, submit=False)


BENCH_AGENCIES = 500


def _bench_cycle(world, wirral, standard_set):
    """500 agencies' returns on one cycle, submitted and rated, for the heat map's bench row.
    The agencies are retired, so no picker offers them."""
    names = [f"Bench agency {n:03d}" for n in range(BENCH_AGENCIES)]
    Agency.objects.bulk_create(
        Agency(
            partnership=wirral, name=name, short_name=name, sector=Sector.VOLUNTARY, active=False
        )
        for name in names
    )
    agencies = Agency.objects.filter(partnership=wirral, name__in=names)
    cycle = _open(
        standard_set, world, "Bench: Section 11 across 500 agencies", timezone.localdate(), agencies
    )
    Cycle.objects.filter(pk=cycle.pk).update(reference="BENCH-S11")
    AgencyReturn.objects.filter(cycle=cycle).update(state=ReturnState.SUBMITTED)
    ids = list(cycle.returns.order_by("pk").values_list("pk", flat=True))
    for rating in (1, 2, 3, 4):
        Assessment.objects.filter(agency_return_id__in=ids[rating - 1 :: 4]).update(rating=rating)
