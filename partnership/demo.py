"""The demo partnership world: fictional people in the region's real partnership structure.

Every name of a person here is invented. `load_demo` calls `build(world, scale)` of each app's
demo module in dependency order; each is re-runnable and keys its records on natural keys."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .models import Agency, Membership, Partnership, PartnershipKind, Region, Role, Sector

CHILDREN, ADULTS = PartnershipKind.CHILDREN, PartnershipKind.ADULTS

PARTNERSHIPS = [
    # short name, full name, police force, website[, kind: children's unless named]
    (
        "Wirral",
        "Wirral Safeguarding Children Partnership",
        "Merseyside Police",
        "https://example.org/wirral",
    ),
    (
        "Liverpool",
        "Liverpool Safeguarding Children Partnership",
        "Merseyside Police",
        "https://example.org/liverpool",
    ),
    (
        "Sefton",
        "Sefton Safeguarding Children Partnership",
        "Merseyside Police",
        "https://example.org/sefton",
    ),
    (
        "Knowsley",
        "Knowsley Safeguarding Children Partnership",
        "Merseyside Police",
        "https://example.org/knowsley",
    ),
    (
        "St Helens",
        "St Helens Safeguarding Children Partnership",
        "Merseyside Police",
        "https://example.org/st-helens",
    ),
    (
        "Halton",
        "Halton Children and Young People Safeguarding Partnership",
        "Cheshire Constabulary",
        "https://example.org/halton",
    ),
    # Adult reviews (SARs, and the DARDRs the community safety partnership asks it to run) are
    # led by the adults board, never by the children's partnership.
    (
        "Wirral SAB",
        "Wirral Safeguarding Adults Board",
        "Merseyside Police",
        "https://example.org/wirral-sab",
        ADULTS,
    ),
]

# (name pattern, short name pattern, sector); {p} is the partnership's place (its short name
# without "SAB"). An adults board has no schools or early help among its members.
AGENCIES = [
    ("{police}", "Police", Sector.POLICE),
    ("NHS Cheshire and Merseyside ICB ({p} place)", "ICB", Sector.HEALTH),
    ("{p} Community and Hospital NHS Trust", "NHS trust", Sector.HEALTH),
    ("{p} Council Children's Social Care", "CSC", Sector.CHILDRENS_SOCIAL_CARE),
    ("{p} Early Help", "Early help", Sector.EARLY_HELP),
    ("{p} Schools and Colleges", "Education", Sector.EDUCATION),
    ("Probation Service ({p})", "Probation", Sector.PROBATION),
    ("{p} Housing Partners", "Housing", Sector.HOUSING),
    ("{p} Council Adult Social Care", "ASC", Sector.ADULT_SOCIAL_CARE),
    ("{p} Voluntary, Community and Faith Sector", "VCF", Sector.VOLUNTARY),
    ("{p} Safeguarding Partnership Business Unit", "Business unit", Sector.PARTNERSHIP),
]
CHILDREN_ONLY = {Sector.EARLY_HELP, Sector.EDUCATION}

# One demo person per role in Wirral, plus practitioners elsewhere for cross-partnership journeys.
PEOPLE = [
    # username, first, last, partnership, agency short name, roles, job title
    (
        "manager",
        "Morgan",
        "Hale",
        "Wirral",
        "Business unit",
        [Role.PARTNERSHIP_MANAGER],
        "Partnership business manager",
    ),
    ("reviewer", "Rhiannon", "Pike", "Wirral", "Business unit", [Role.REVIEWER], "Review lead"),
    (
        "qa",
        "Quentin",
        "Ashby",
        "Wirral",
        "Business unit",
        [Role.QUALITY_ASSURANCE],
        "Quality assurance officer",
    ),
    (
        "agencylead",
        "Aisha",
        "Lund",
        "Wirral",
        "Police",
        [Role.AGENCY_LEAD],
        "Detective inspector, public protection",
    ),
    (
        "healthlead",
        "Harriet",
        "Moss",
        "Wirral",
        "NHS trust",
        [Role.AGENCY_LEAD],
        "Named nurse for safeguarding",
    ),
    (
        "trainer",
        "Tomasz",
        "Rowe",
        "Wirral",
        "Business unit",
        [Role.TRAINER],
        "Multi-agency training officer",
    ),
    (
        "practitioner",
        "Pat",
        "Okafor",
        "Wirral",
        "Early help",
        [Role.PRACTITIONER],
        "Family support worker",
    ),
    (
        "scrutineer",
        "Sam",
        "Iredale",
        "Wirral",
        None,
        [Role.INDEPENDENT_SCRUTINEER],
        "Independent scrutineer",
    ),
    (
        "exec",
        "Elin",
        "Marsh",
        "Wirral",
        "CSC",
        [Role.EXECUTIVE_GROUP],
        "Director of children's services",
    ),
    (
        "liverpool.practitioner",
        "Lee",
        "Varga",
        "Liverpool",
        "NHS trust",
        [Role.PRACTITIONER],
        "Health visitor",
    ),
    (
        "liverpool.manager",
        "Lorna",
        "Briggs",
        "Liverpool",
        "Business unit",
        [Role.PARTNERSHIP_MANAGER],
        "Partnership business manager",
    ),
    ("halton.reviewer", "Hugo", "Wren", "Halton", "Business unit", [Role.REVIEWER], "Review lead"),
    (
        "sab.manager",
        "Saoirse",
        "Bannon",
        "Wirral SAB",
        "Business unit",
        [Role.PARTNERSHIP_MANAGER],
        "Safeguarding adults board business manager",
    ),
    # The three statutory partners' delegates, who sign off Wirral's reviews.
    (
        "wirral.la.partner",
        "Lindsay",
        "Ferrars",
        "Wirral",
        "CSC",
        [Role.DELEGATED_SAFEGUARDING_PARTNER],
        "Director of children's services",
    ),
    (
        "wirral.police.partner",
        "Piers",
        "Calloway",
        "Wirral",
        "Police",
        [Role.DELEGATED_SAFEGUARDING_PARTNER],
        "Detective superintendent, public protection",
    ),
    (
        "wirral.health.partner",
        "Hana",
        "Okonjo",
        "Wirral",
        "ICB",
        [Role.DELEGATED_SAFEGUARDING_PARTNER],
        "Designated nurse for safeguarding children",
    ),
]


@dataclass
class World:
    """What the demo builders share: the records later apps hang their demo data on."""

    region: Region | None = None
    partnerships: dict[str, Partnership] = field(default_factory=dict)
    agencies: dict[tuple[str, str], Agency] = field(default_factory=dict)
    people: dict[str, object] = field(default_factory=dict)
    password: str | None = None
    log: list[str] = field(default_factory=list)


def build(world: World, scale: int) -> None:
    world.region, _ = Region.objects.get_or_create(
        slug="pan-mersey", defaults={"name": "Pan-Mersey"}
    )
    for short, name, police, website, *kind in PARTNERSHIPS:
        kind = kind[0] if kind else CHILDREN
        partnership, _ = Partnership.objects.update_or_create(
            short_name=short,
            defaults={
                "region": world.region,
                "name": name,
                "slug": short.lower().replace(" ", "-"),
                "website": website,
                "kind": kind,
            },
        )
        world.partnerships[short] = partnership
        place = short.removesuffix(" SAB")
        for pattern, agency_short, sector in AGENCIES:
            if kind == ADULTS and sector in CHILDREN_ONLY:
                continue
            if kind == ADULTS and sector == Sector.PARTNERSHIP:
                pattern = "{p} Safeguarding Adults Board Business Unit"
            agency, _ = Agency.objects.update_or_create(
                partnership=partnership,
                name=pattern.format(p=place, police=police),
                defaults={"short_name": agency_short, "sector": sector},
            )
            world.agencies[(short, agency_short)] = agency

    User = get_user_model()
    groups = {role: Group.objects.get(name=role.label) for role in Role}
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={"first_name": "Ada", "last_name": "Admin", "email": "admin@example.org"},
    )
    admin.is_staff = admin.is_superuser = True
    set_demo_password(admin, world.password)
    admin.save()
    world.people["admin"] = admin
    for username, first, last, p_short, agency_short, roles, title in PEOPLE:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        set_demo_password(user, world.password)
        user.save()
        user.groups.set([groups[r] for r in roles])
        Membership.objects.update_or_create(
            user=user,
            defaults={
                "partnership": world.partnerships[p_short],
                "agency": world.agencies.get((p_short, agency_short)) if agency_short else None,
                "job_title": title,
            },
        )
        world.people[username] = user

    if scale > 1:
        _build_scaled_practitioners(world, scale, groups[Role.PRACTITIONER])


def set_demo_password(user, password):
    """The demo's one password for every fictional person; none when it is not given (a scaled
    bench world), so nobody can sign in as them."""
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()


def _build_scaled_practitioners(world: World, scale: int, group: Group) -> None:
    """Many practitioners across the partnerships, made in bulk so a large world takes seconds."""
    User = get_user_model()
    count = 200 * scale
    shorts = list(world.partnerships)
    wanted = [f"practitioner-{i:06d}" for i in range(count)]
    existing = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    new = [
        User(
            username=u,
            first_name="Demo",
            last_name=f"Practitioner {u[-6:]}",
            email=f"{u}@example.org",
            password="!",
        )
        for u in wanted
        if u not in existing
    ]
    User.objects.bulk_create(new, batch_size=2000)
    created = User.objects.filter(username__in=[u.username for u in new]).values_list(
        "pk", "username"
    )
    through = User.groups.through
    memberships, links = [], []
    for pk, username in created:
        short = shorts[int(username[-6:]) % len(shorts)]
        memberships.append(
            Membership(
                user_id=pk,
                partnership=world.partnerships[short],
                agency=world.agencies.get((short, "Early help")) or world.agencies[(short, "ASC")],
            )
        )
        links.append(through(user_id=pk, group_id=group.pk))
    Membership.objects.bulk_create(memberships, batch_size=2000)
    through.objects.bulk_create(links, batch_size=2000)
    world.log.append(f"{len(new)} scaled practitioners")
