"""The follow-up action reports: what quality assurance, partnership managers and the independent
scrutineer read to know whether learning is embedded.

Every function takes the reader and the day, starts from `partnership.access.visible_to`, and
counts in the database with a fixed number of queries however many actions there are, so that a
restricted action of another partnership is never counted and a report of 50,000 actions costs
what one of 5 does."""

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, DateField, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import TruncDate
from wagtail.log_actions import log

from partnership.access import (
    SharingLevel,
    has_role,
    membership_of,
    sees_everything,
    visible_to,
)
from partnership.models import Role
from reviews.models import Recommendation, Review

from .impact import ImpactSignal
from .impact import for_actions as impact_for_actions
from .impact import totals as impact_totals
from .models import RAG, Action, ActionEvent, ActionState, Evidence, EvidenceKind, ImpactType

REPORT_ROLES = (Role.QUALITY_ASSURANCE, Role.PARTNERSHIP_MANAGER, Role.INDEPENDENT_SCRUTINEER)

DONE_STATES = (ActionState.COMPLETED, ActionState.IMPACT_EVIDENCED, ActionState.EMBEDDED)
IMPACT_STATES = (ActionState.IMPACT_EVIDENCED, ActionState.EMBEDDED)

EXPORTED = "hub.action.exported"


def can_see_reports(user) -> bool:
    """Reports are oversight: quality assurance, the managers and the independent scrutineer."""
    return sees_everything(user) or has_role(user, *REPORT_ROLES)


FILTERS = ("owner_agency", "state", "rag", "theme", "source", "review", "partnership")


def report_actions(user, today: date, filters: dict | None = None):
    """The actions `user` may see, rated on `today`, narrowed by the report's filters.

    `filters` holds any of FILTERS: model instances for agency, theme, review and partnership,
    the value for state, RAG and source; empty values are ignored."""
    actions = visible_to(user, Action.objects.with_rag(today)).select_related(
        "owner_agency", "owner_agency__partnership", "partnership", "review", "lead"
    )
    return filter_actions(actions, filters or {})


def filter_actions(actions, filters: dict):
    lookups = {
        "owner_agency": "owner_agency",
        "state": "state",
        "rag": "rag",
        "theme": "themes",
        "source": "source",
        "review": "review",
        "partnership": "partnership",
    }
    for name, lookup in lookups.items():
        value = filters.get(name)
        if value not in (None, ""):
            # One theme per filter: an action carries a theme once, so the join never repeats it.
            actions = actions.filter(**{lookup: value})
    return actions


@dataclass
class CrossTab:
    """Counts of actions by agency (rows) and a second dimension (columns), with totals."""

    columns: list[tuple[str, str]]
    rows: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    total: int = 0


def cross_tab(actions, dimension: str, choices) -> CrossTab:
    """One GROUP BY query: agency x `dimension` ("rag" or "state")."""
    grouped = (
        actions.order_by()
        .values("owner_agency_id", "owner_agency__name", dimension)
        .annotate(n=Count("pk"))
        .order_by("owner_agency__name")
    )
    table = CrossTab(columns=list(choices))
    by_agency: OrderedDict[int, dict] = OrderedDict()
    table.totals = {value: 0 for value, _ in choices}
    for row in grouped:
        entry = by_agency.setdefault(
            row["owner_agency_id"],
            {
                "agency": row["owner_agency__name"],
                "counts": {value: 0 for value, _ in choices},
                "total": 0,
            },
        )
        entry["counts"][row[dimension]] = row["n"]
        entry["total"] += row["n"]
        table.totals[row[dimension]] += row["n"]
        table.total += row["n"]
    for entry in by_agency.values():
        entry["cells"] = [entry["counts"][value] for value, _ in choices]
    table.rows = list(by_agency.values())
    table.total_cells = [table.totals[value] for value, _ in choices]
    return table


def action_summary(user, today: date, filters: dict | None = None) -> dict:
    """The summary tables of the actions report: agency x RAG and agency x state (two queries)."""
    actions = report_actions(user, today, filters)
    return {
        "by_rag": cross_tab(actions, "rag", RAG.choices),
        "by_state": cross_tab(actions, "state", ActionState.choices),
    }


def _visible_actions_of_recommendation(user, **extra):
    return visible_to(user, Action.objects.filter(recommendation=OuterRef("pk"), **extra))


def _recommendation_stages(user) -> dict:
    """Counts for the recommendation side of the funnel, as aggregate expressions.

    A recommendation reaches a stage when it has actions the reader can see and every one of
    them has reached it; one closed as not achieved holds it back, which is the point."""
    has = Exists(_visible_actions_of_recommendation(user))

    def all_in(states):
        return has & ~Exists(_visible_actions_of_recommendation(user).exclude(state__in=states))

    return {
        "recommendations": Count("pk"),
        "with_actions": Count("pk", filter=has),
        "actions_completed": Count("pk", filter=all_in(DONE_STATES)),
        "impact_evidenced": Count("pk", filter=all_in(IMPACT_STATES)),
        "embedded": Count("pk", filter=all_in((ActionState.EMBEDDED,))),
    }


def _action_measures() -> dict:
    """How much did we do, how well, is anyone better off: counted over actions."""
    return {
        "actions": Count("pk"),
        "done": Count("pk", filter=Q(state__in=DONE_STATES)),
        "completed_on_time": Count(
            "pk", filter=Q(state__in=DONE_STATES, completed_on__lte=F("due_date"))
        ),
        "overdue": Count("pk", filter=Q(rag=RAG.RED)),
        "not_achieved": Count("pk", filter=Q(state=ActionState.NOT_ACHIEVED)),
        "better_off": Count("pk", filter=Q(state__in=IMPACT_STATES)),
        "embedded": Count("pk", filter=Q(state=ActionState.EMBEDDED)),
    }


def _actions_with_completion(user, today: date):
    """Visible actions, rated, with the day they were first completed (from their history)."""
    first_done = (
        ActionEvent.objects.filter(action=OuterRef("pk"), to_state__in=DONE_STATES)
        .order_by("at")
        .values("at")[:1]
    )
    return visible_to(user, Action.objects.with_rag(today)).annotate(
        completed_on=TruncDate(Subquery(first_done), output_field=DateField())
    )


@dataclass
class FunnelRow:
    """One line of the "learning embedded" funnel: a review, or the whole partnership."""

    label: str
    review: Review | None = None
    recommendations: int = 0
    with_actions: int = 0
    actions_completed: int = 0
    impact_evidenced: int = 0
    embedded: int = 0
    actions: int = 0
    done: int = 0
    completed_on_time: int = 0
    overdue: int = 0
    not_achieved: int = 0
    better_off: int = 0
    actions_embedded: int = 0

    @staticmethod
    def percent(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def done_percent(self):
        return self.percent(self.done, self.actions)

    @property
    def on_time_percent(self):
        return self.percent(self.completed_on_time, self.done)

    @property
    def better_off_percent(self):
        return self.percent(self.better_off, self.actions)

    @property
    def embedded_percent(self):
        return self.percent(self.embedded, self.recommendations)

    @property
    def stages(self) -> list[tuple[str, int]]:
        return [
            ("Recommendations", self.recommendations),
            ("With actions", self.with_actions),
            ("Actions completed", self.actions_completed),
            ("Impact evidenced", self.impact_evidenced),
            ("Embedded", self.embedded),
        ]


@dataclass
class Funnel:
    partnership: object
    total: FunnelRow
    reviews: list[FunnelRow]
    impact_by_type: list[tuple[str, int]]
    # Evidence towards embedding held by other apps (training follow-ups): see learning.impact.
    impact_signals: list[ImpactSignal] = field(default_factory=list)


def funnel(user, today: date, partnership=None, review: Review | None = None) -> Funnel:
    """The "learning embedded" funnel of one partnership's reviews, each and all together.

    Six queries whatever the size: recommendations by review, their total, actions by review,
    their total, the reviews named, and impact evidence by type."""
    if partnership is None and review is None:
        membership = membership_of(user)
        partnership = membership.partnership if membership else None

    recommendations = visible_to(user, Recommendation.objects.all())
    actions = _actions_with_completion(user, today)
    if review is not None:
        recommendations = recommendations.filter(review=review)
        actions = actions.filter(review=review)
    if partnership is not None:
        recommendations = recommendations.filter(review__lead_partnership=partnership)
        actions = actions.filter(partnership=partnership)

    stages = _recommendation_stages(user)
    measures = _action_measures()

    per_review: dict[int, FunnelRow] = {}
    for row in recommendations.order_by().values("review_id").annotate(**stages):
        review_id = row.pop("review_id")
        per_review[review_id] = FunnelRow(label="", **row)
    for row in (
        actions.filter(review__isnull=False).order_by().values("review_id").annotate(**measures)
    ):
        review_id = row.pop("review_id")
        target = per_review.setdefault(review_id, FunnelRow(label=""))
        _set_measures(target, row)

    total = FunnelRow(label=str(partnership) if partnership else "All partnerships")
    for name, value in recommendations.order_by().aggregate(**stages).items():
        setattr(total, name, value or 0)
    _set_measures(total, actions.order_by().aggregate(**measures))

    reviews = visible_to(user, Review.objects.filter(pk__in=list(per_review))).order_by("reference")
    rows = []
    for item in reviews:
        row = per_review[item.pk]
        row.review = item
        row.label = f"{item.reference}: {item.title}"
        rows.append(row)

    impact = (
        Evidence.objects.filter(kind=EvidenceKind.IMPACT, action__in=actions.values("pk"))
        .order_by()
        .values("impact_type")
        .annotate(n=Count("pk"))
    )
    labels = dict(ImpactType.choices)
    impact_by_type = sorted(
        ((labels.get(row["impact_type"], "Not given"), row["n"]) for row in impact),
        key=lambda pair: -pair[1],
    )
    return Funnel(
        partnership=partnership,
        total=total,
        reviews=rows,
        impact_by_type=impact_by_type,
        impact_signals=impact_totals(actions),
    )


def _set_measures(row: FunnelRow, values: dict) -> None:
    values = dict(values)
    row.actions_embedded = values.pop("embedded", 0) or 0
    for name, value in values.items():
        setattr(row, name, value or 0)


@dataclass
class EvidencePack:
    review: Review
    recommendations: list
    other_actions: list
    today: date


def evidence_pack(user, review: Review, today: date) -> EvidencePack:
    """Every recommendation of the review the reader may see, its actions, their evidence,
    history and sign-off, and the evidence towards embedding other apps count: a fixed number
    of queries, however many there are."""
    actions = (
        visible_to(user, Action.objects.with_rag(today))
        .select_related("owner_agency__partnership", "lead", "embedded_by")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("document", "added_by"),
            ),
            Prefetch("events", queryset=ActionEvent.objects.select_related("user")),
        )
        .order_by("reference")
    )
    recommendations = list(
        visible_to(user, Recommendation.objects.filter(review=review))
        .order_by("sort_order", "pk")
        .prefetch_related(Prefetch("actions", queryset=actions, to_attr="pack_actions"))
    )
    other = list(actions.filter(review=review, recommendation__isnull=True))
    everything = [a for r in recommendations for a in r.pack_actions] + other
    signals = impact_for_actions(Action.objects.filter(pk__in=[a.pk for a in everything]))
    for action in everything:
        action.impact_signals = signals.get(action.pk, [])
    return EvidencePack(
        review=review, recommendations=recommendations, other_actions=other, today=today
    )


def pack_actions(pack: EvidencePack) -> list[Action]:
    return [a for r in pack.recommendations for a in r.pack_actions] + pack.other_actions


def log_export(user, actions) -> int:
    """Leave an audit entry for each restricted action in an export; returns how many.

    Only restricted records are logged, as the design asks: wider levels are already readable by
    everyone the export could reach."""
    if isinstance(actions, list):
        restricted = [a for a in actions if a.sharing_level == SharingLevel.RESTRICTED]
    else:
        restricted = list(actions.filter(sharing_level=SharingLevel.RESTRICTED).order_by())
    for action in restricted:
        log(action, EXPORTED, user=user)
    return len(restricted)
