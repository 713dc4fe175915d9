"""Learning's part of each person's home page (`hub.home`): the briefings a practitioner has not
read yet, the actions an agency lead answers for, and what quality assurance and the partnership's
leaders must decide or watch. Built from the querysets and services that hold the rules
(`Action.objects.mine`, `learning.actions`, `learning.reports`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from hub.formats import long_date
from hub.home import DONE, NOTE, SOON, URGENT, Figure, Item, Section
from partnership.access import has_role, membership_of, visible_to
from partnership.models import Role

from . import actions as services
from . import reports
from .models import (
    RAG,
    Action,
    ExtensionDecision,
    ExtensionRequest,
    LearningBriefing,
    LibraryPage,
)

SHOWN = 5
RAG_COLOUR = {RAG.RED: URGENT, RAG.AMBER: SOON, RAG.GREEN: DONE}
# How long an extension decision stays on the agency lead's home page.
DECISIONS_SHOWN_FOR = timedelta(days=30)


def _unread_briefings(user, membership):
    """Live briefings this person may see, meant for their agency, that they have not marked
    read and understood: newest first."""
    briefings = visible_to(user, LearningBriefing.objects.live())
    if membership.agency_id:
        briefings = briefings.filter(audiences=membership.agency_id)
    return briefings.exclude(acknowledgements__user=user).order_by("-briefing_date", "-pk")


def _library_url(membership) -> str:
    """The reader's own partnership's library, where briefings for their agency are listed."""
    library = (
        LibraryPage.objects.live()
        .filter(partnership_id=membership.partnership_id)
        .only("url_path")
        .first()
    )
    return library.url if library else ""


def reader_sections(request):
    """On the site: briefings to read, for everyone signed in with an agency."""
    user = request.user
    membership = membership_of(user)
    if membership is None or membership.agency_id is None:
        return None
    unread = list(
        _unread_briefings(user, membership).only("pk", "title", "url_path", "briefing_date")[
            : SHOWN + 1
        ]
    )
    agency = membership.agency.name
    return Section(
        key="briefings-unread",
        heading="Briefings for you to read",
        caption=f"7-minute briefings for {agency} you have not yet marked as read.",
        items=tuple(
            Item(text=b.title, url=b.url, detail=f"Published {long_date(b.briefing_date)}.")
            for b in unread[:SHOWN]
        ),
        empty=f"You have read every briefing for {agency}.",
        more_url=_library_url(membership),
        more_text=f"{membership.partnership.short_name}'s learning library",
        order=40,
    )


def _action_item(action, today) -> Item:
    days = (action.due_date - today).days
    if days < 0:
        tag = f"{-days} days overdue" if days < -1 else "1 day overdue"
    elif days == 0:
        tag = "Due today"
    else:
        tag = f"Due {long_date(action.due_date)}"
    return Item(
        text=f"{action.reference}: {Truncator(action.description).chars(120)}",
        url=reverse("my-action", args=[action.reference]),
        detail=action.owner_agency.name if action.owner_agency_id else "",
        tag=tag,
        tag_colour=RAG_COLOUR.get(action.rag, NOTE),
    )


def action_sections(request):
    """On the site, for agency leads and anyone leading an action: their open actions by RAG,
    the most urgent first, and the decisions on their extension requests."""
    user = request.user
    today = timezone.localdate()
    mine = Action.objects.mine(user).open().with_rag(today)
    counts = mine.aggregate(
        **{str(rag): Count("pk", filter=Q(rag=rag)) for rag in (RAG.RED, RAG.AMBER, RAG.GREEN)}
    )
    if not any(counts.values()) and not has_role(user, Role.AGENCY_LEAD):
        return None
    first = list(mine.select_related("owner_agency").order_by("due_date", "reference")[:SHOWN])
    my_actions = reverse("my-actions")
    sections = [
        Section(
            key="actions-mine",
            heading="Actions to keep up to date",
            caption="Open actions your agency owns or you lead, the most urgent first.",
            figures=tuple(
                Figure(
                    label=label,
                    value=counts[str(rag)],
                    url=f"{my_actions}?rag={rag}",
                    colour=RAG_COLOUR[rag],
                )
                for rag, label in (
                    (RAG.RED, "Overdue"),
                    (RAG.AMBER, "Due soon"),
                    (RAG.GREEN, "On track"),
                )
            ),
            items=tuple(_action_item(action, today) for action in first),
            empty="No open actions.",
            more_url=my_actions,
            more_text="All my actions",
            order=15,
        )
    ]
    decided = list(
        ExtensionRequest.objects.filter(
            action__in=Action.objects.mine(user).values("pk"),
            decided_at__gte=timezone.now() - DECISIONS_SHOWN_FOR,
        )
        .exclude(decision=ExtensionDecision.PENDING)
        .select_related("action")
        .order_by("-decided_at")[:SHOWN]
    )
    if decided:
        sections.append(
            Section(
                key="actions-extensions",
                heading="Decisions on extension requests",
                items=tuple(
                    Item(
                        text=f"{request.action.reference}: {request.get_decision_display()}",
                        url=reverse("my-action", args=[request.action.reference]),
                        detail=f"Asked for {long_date(request.requested_due_date)}; "
                        f"decided {long_date(timezone.localdate(request.decided_at))}.",
                        tag=request.get_decision_display(),
                        tag_colour=DONE
                        if request.decision == ExtensionDecision.APPROVED
                        else URGENT,
                    )
                    for request in decided
                ),
                order=16,
            )
        )
    return sections


def quality_assurance_sections(request):
    """In the admin, for quality assurance: what waits for their decision, and who is behind."""
    user = request.user
    if not has_role(user, Role.QUALITY_ASSURANCE):
        return None
    sign_offs = services.actions_awaiting_sign_off(user)
    extensions = services.extension_requests_awaiting_decision(user)
    waiting_sign_off = list(sign_offs.select_related("owner_agency").order_by("due_date")[:SHOWN])
    waiting_extension = list(extensions.select_related("action").order_by("requested_at")[:SHOWN])
    return [
        Section(
            key="qa-sign-off",
            heading="Embed sign-offs waiting",
            items=tuple(
                Item(
                    text=f"{action.reference}: {Truncator(action.description).chars(100)}",
                    url=reverse("action_embed", args=[action.pk]),
                    detail=action.owner_agency.name if action.owner_agency_id else "",
                    tag="Impact evidenced",
                    tag_colour=SOON,
                )
                for action in waiting_sign_off
            ),
            empty="No action waits for your sign-off.",
            more_url=reverse("action_embed_sign_off"),
            more_text="All sign-offs waiting",
            order=10,
        ),
        Section(
            key="qa-extensions",
            heading="Extension requests waiting",
            items=tuple(
                Item(
                    text=f"{extension.action.reference}: "
                    f"to {long_date(extension.requested_due_date)}",
                    url=reverse("action_extension_decide", args=[extension.pk]),
                    detail=f"Asked {long_date(timezone.localdate(extension.requested_at))}.",
                    tag="To decide",
                    tag_colour=SOON,
                )
                for extension in waiting_extension
            ),
            empty="No extension request waits for a decision.",
            more_url=reverse("action_extension_requests"),
            more_text="All extension requests",
            order=11,
        ),
        _overdue_by_agency(user),
    ]


def _overdue_by_agency(user) -> Section:
    """Overdue actions for each agency, from the actions report's own summary table."""
    today = timezone.localdate()
    membership = membership_of(user)
    # The reader's own partnership: actions others share with them are not theirs to chase.
    own = {"partnership": membership.partnership_id} if membership else {}
    by_rag = reports.action_summary(user, today, own)["by_rag"]
    report = reverse("learning_reports:actions")
    if membership:
        report += f"?partnership={membership.partnership_id}"
    figures = []
    for row in by_rag.rows:
        overdue = row["counts"].get(RAG.RED, 0)
        if overdue:
            label = row["agency"] or "No agency"
            figures.append(Figure(label, overdue, f"{report}&rag={RAG.RED}", URGENT))
    return Section(
        key="actions-overdue-by-agency",
        heading="Overdue actions by agency",
        figures=tuple(sorted(figures, key=lambda f: -f.value)[:8]),
        empty="No action is overdue.",
        more_url=report,
        more_text="The actions report",
        order=40,
    )


def oversight_sections(request):
    """In the admin, for partnership managers and the independent scrutineer: how the learning
    is going, as figures (the scrutineer reads; nothing here changes anything)."""
    user = request.user
    if not has_role(user, Role.PARTNERSHIP_MANAGER, Role.INDEPENDENT_SCRUTINEER):
        return None
    if not reports.can_see_action_reports(user):
        return None
    total = reports.funnel(user, timezone.localdate()).total
    funnel_url = reverse("learning_reports:funnel")
    sections = [
        Section(
            key="learning-funnel",
            heading="Learning embedded",
            caption="From recommendation to practice that has changed, across the partnership.",
            figures=tuple(
                Figure(label=label, value=value, url=funnel_url) for label, value in total.stages
            ),
            more_url=funnel_url,
            more_text="The learning embedded report",
            order=50,
        )
    ]
    if has_role(user, Role.PARTNERSHIP_MANAGER):
        sections.insert(0, _overdue_by_agency(user))
    return sections


def executive_sections(request):
    """On the site, for the executive group: the actions escalated to them (overdue by more than
    the escalation period, as the reminder job counts) and how far learning is embedded."""
    user = request.user
    membership = membership_of(user)
    if not has_role(user, Role.EXECUTIVE_GROUP) or membership is None:
        return None
    today = timezone.localdate()
    escalated = (
        visible_to(
            user,
            Action.objects.overdue(today - timedelta(days=settings.HUB_ACTION_ESCALATION_DAYS)),
        )
        .filter(partnership_id=membership.partnership_id)
        .with_rag(today)
        .select_related("owner_agency")
        .order_by("due_date", "reference")
    )
    shown = list(escalated[: SHOWN + 1])
    total = reports.funnel(user, today).total
    return [
        Section(
            key="executive-escalations",
            heading="Escalated to the executive group",
            caption=f"Open actions more than {settings.HUB_ACTION_ESCALATION_DAYS} days overdue "
            f"in {membership.partnership.short_name}.",
            items=tuple(_action_item(action, today) for action in shown[:SHOWN]),
            empty="No action is overdue long enough to be escalated.",
            order=12,
        ),
        Section(
            key="executive-learning",
            heading="Learning embedded",
            caption="From recommendation to practice that has changed, in the reviews you may see.",
            figures=tuple(Figure(label=label, value=value) for label, value in total.stages),
            order=50,
        ),
    ]
