"""The follow-up action reports: what quality assurance, partnership managers and the independent
scrutineer read to know whether learning is embedded.

Every function takes the reader and the day, starts from `partnership.access.visible_to`, and
counts in the database with a fixed number of queries however many actions there are, so that a
restricted action of another partnership is never counted and a report of 50,000 actions costs
what one of 5 does."""

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, DateField, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_registry

from partnership.access import (
    SharingLevel,
    can_change,
    has_role,
    membership_of,
    sees_everything,
    visible_to,
)
from partnership.models import Role
from reviews.models import Recommendation, Review
from reviews.pseudonyms import share_all

from . import report_cache
from .impact import ImpactSignal
from .impact import for_actions as impact_for_actions
from .impact import totals as impact_totals
from .models import RAG, Action, ActionEvent, ActionState, Evidence, EvidenceKind, ImpactType

REPORT_ROLES = (Role.QUALITY_ASSURANCE, Role.PARTNERSHIP_MANAGER, Role.INDEPENDENT_SCRUTINEER)

DONE_STATES = (ActionState.COMPLETED, ActionState.IMPACT_EVIDENCED, ActionState.EMBEDDED)
IMPACT_STATES = (ActionState.IMPACT_EVIDENCED, ActionState.EMBEDDED)

EXPORTED = "hub.action.exported"
LOG_BATCH = 1000


def can_see_action_reports(user) -> bool:
    """Reports are oversight: quality assurance, the managers and the independent scrutineer."""
    return sees_everything(user) or has_role(user, *REPORT_ROLES)


FILTERS = ("owner_agency", "state", "rag", "theme", "source", "review", "partnership")


# What a row of the report and its export show besides the action itself.
ROW_DETAILS = ("owner_agency", "owner_agency__partnership", "partnership", "review", "lead")


def report_actions(user, today: date, filters: dict | None = None):
    """The actions `user` may see, rated on `today`, narrowed by the report's filters.

    `filters` holds any of FILTERS: instances or ids for agency, theme, review and partnership
    (or a review's reference), the value for state, RAG and source; empty values are ignored.
    Nothing is joined: counting, grouping and choosing a page read the actions table alone;
    `with_details` and `page_with_details` join what a shown row needs."""
    actions = visible_to(user, Action.objects.with_rag(today))
    return filter_actions(actions, filters or {})


def with_details(actions):
    return actions.select_related(*ROW_DETAILS)


def page_with_details(page, today: date):
    """One page of actions (a sorted, sliced queryset) with what its rows show, in one query.

    The page's ids are chosen over the actions table alone (sorted and limited there), and only
    those rows are joined to their agency, partnership, review and lead: joining 100,000 rows
    to sort them and keep 50 is what made the report slow."""
    ordering = page.query.order_by or Action._meta.ordering
    return with_details(
        Action.objects.with_rag(today).filter(pk__in=page.values("pk")).order_by(*ordering)
    )


class StreamedRows:
    """A queryset read in chunks, for exports: every row the reader may see is written, while
    only one chunk of them is held in memory at a time. Has `model`, as Wagtail's export
    expects of a queryset when it names the columns."""

    def __init__(self, queryset, chunk_size: int = 2000):
        self.queryset = with_details(queryset)
        self.model = queryset.model
        self.chunk_size = chunk_size

    def __iter__(self):
        return self.queryset.iterator(chunk_size=self.chunk_size)


def filter_actions(actions, filters: dict):
    """Narrow `actions` by the report's filters. A review is a Review, its id, or its reference
    as typed (in any case); the rest take an instance or an id."""
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
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ""):
            continue
        if name == "review" and isinstance(value, str) and not value.isdigit():
            lookup = "review__reference__iexact"
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


def cross_tabs(actions, dimensions: dict[str, list]) -> dict[str, CrossTab]:
    """One GROUP BY query, agency x every dimension at once ("rag", "state"), folded here into
    one table per dimension: a few hundred grouped rows, whatever the number of actions."""
    names = list(dimensions)
    grouped = (
        actions.order_by()
        .values("owner_agency_id", "owner_agency__name", *names)
        .annotate(n=Count("pk"))
        .order_by("owner_agency__name", "owner_agency_id")
    )
    tables = {name: CrossTab(columns=list(choices)) for name, choices in dimensions.items()}
    by_agency = {name: OrderedDict() for name in names}
    for table, choices in zip(tables.values(), dimensions.values(), strict=True):
        table.totals = {value: 0 for value, _ in choices}
    for row in grouped:
        for name in names:
            table, value = tables[name], row[name]
            entry = by_agency[name].setdefault(
                row["owner_agency_id"],
                {
                    "agency": row["owner_agency__name"],
                    "counts": {v: 0 for v, _ in dimensions[name]},
                    "total": 0,
                },
            )
            entry["counts"][value] = entry["counts"].get(value, 0) + row["n"]
            entry["total"] += row["n"]
            table.totals[value] = table.totals.get(value, 0) + row["n"]
            table.total += row["n"]
    for name, table in tables.items():
        values = [value for value, _ in dimensions[name]]
        for entry in by_agency[name].values():
            entry["cells"] = [entry["counts"][value] for value in values]
        table.rows = list(by_agency[name].values())
        table.total_cells = [table.totals[value] for value in values]
    return tables


def filters_key(filters: dict | None) -> tuple:
    """The report's filters as plain values (an instance by its id), for a cache key."""
    chosen = ((name, (filters or {}).get(name)) for name in FILTERS)
    return tuple(
        (name, str(getattr(value, "pk", value)).strip())
        for name, value in chosen
        if value not in (None, "")
    )


def action_summary(user, today: date, filters: dict | None = None) -> dict:
    """The summary tables of the actions report, agency x RAG and agency x state, from one
    query, kept per reader, filters and day until the actions change (`report_cache`)."""

    def build():
        tables = cross_tabs(
            report_actions(user, today, filters),
            {"rag": RAG.choices, "state": ActionState.choices},
        )
        return {"by_rag": tables["rag"], "by_state": tables["state"]}

    return report_cache.remember("summary", user, (filters_key(filters), today), build)


def count_actions(user, today: date, filters: dict | None, actions) -> int:
    """How many of the report's `actions` (the reader's, so filtered) there are: the report's
    pages share it until the actions change."""
    return report_cache.remember("count", user, (filters_key(filters), today), actions.count)


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
        # The state first: the history is read only for actions that were completed.
        "completed_on_time": Count(
            "pk", filter=Q(state__in=DONE_STATES) & Q(completed_on__lte=F("due_date"))
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

    Four queries whatever the size: recommendations grouped by review, actions grouped by
    review, the reviews named (reference and title only), and impact evidence by type. The
    partnership's line is the sum of the groups (actions with no review are a group of their
    own), so it always agrees with the reviews' lines, and the costly part, each action's
    first completion from its history, is worked out once per action rather than twice.

    All but the training signals is kept per reader and day until the actions, their history,
    evidence, recommendations or reviews change (`report_cache`); the signals, which other apps
    hold, are counted afresh."""
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

    where = (today, getattr(partnership, "pk", None), getattr(review, "pk", None))
    total, rows, impact_by_type = report_cache.remember(
        "funnel", user, where, lambda: _funnel_lines(user, recommendations, actions, partnership)
    )
    return Funnel(
        partnership=partnership,
        total=total,
        reviews=rows,
        impact_by_type=impact_by_type,
        impact_signals=impact_totals(actions),
    )


def _funnel_lines(user, recommendations, actions, partnership):
    """The funnel's partnership line, its review lines and its impact by type."""
    total = FunnelRow(label=str(partnership) if partnership else "All partnerships")
    per_review: dict[int, FunnelRow] = {}
    stages = _recommendation_stages(user)
    for row in recommendations.order_by().values("review_id").annotate(**stages):
        review_id = row.pop("review_id")
        per_review[review_id] = FunnelRow(label="", **row)
        _add(total, row)
    for row in actions.order_by().values("review_id").annotate(**_action_measures()):
        review_id = row.pop("review_id")
        _add(total, _measures(row))
        if review_id is not None:
            target = per_review.setdefault(review_id, FunnelRow(label=""))
            _add(target, _measures(row))

    # Only what a line shows: a review's confidential details never leave the database here, and
    # it is named as Wagtail names it, without the subject's pseudonym.
    reviews = (
        visible_to(user, Review.objects.filter(pk__in=list(per_review)))
        .only("pk", "reference", "title", "subject_pseudonym", "age_band", "review_type")
        .order_by("reference")
    )
    rows = []
    for item in reviews:
        row = per_review[item.pk]
        row.review = item
        row.label = str(item)
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
    return total, rows, impact_by_type


def _measures(values: dict) -> dict:
    """An action group's counts named as on a FunnelRow, where "embedded" counts recommendations
    and the actions signed off are "actions_embedded"."""
    values = dict(values)
    values["actions_embedded"] = values.pop("embedded", 0)
    return values


def _add(row: FunnelRow, values: dict) -> None:
    for name, value in values.items():
        setattr(row, name, getattr(row, name) + (value or 0))


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
    if not can_change(user, review):
        # A pack read by another partnership is shared: no subject's pseudonym in it.
        for recommendation in recommendations:
            recommendation.review = review
        share_all([review, *recommendations])
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
    everyone the export could reach. The entries are what `wagtail.log_actions.log` writes,
    written a thousand to a statement: logged one by one, an export of a region's 16,000
    restricted actions took minutes before its first row."""
    if isinstance(actions, list):
        restricted = [a for a in actions if a.sharing_level == SharingLevel.RESTRICTED]
    else:
        restricted = (
            actions.filter(sharing_level=SharingLevel.RESTRICTED)
            .order_by()
            .select_related(None)
            .only("pk", "reference", "description")
            .iterator(chunk_size=LOG_BATCH)
        )
    log_model = log_registry.get_log_model_for_model(Action)
    content_type = ContentType.objects.get_for_model(Action, for_concrete_model=False)
    uuid = get_active_log_context().uuid
    now = timezone.now()
    logged, batch = 0, []
    for action in restricted:
        batch.append(
            log_model(
                content_type=content_type,
                object_id=str(action.pk),
                label=log_model.objects.get_instance_title(action),
                action=EXPORTED,
                timestamp=now,
                data={},
                user=user,
                uuid=uuid,
            )
        )
        if len(batch) == LOG_BATCH:
            logged += len(log_model.objects.bulk_create(batch))
            batch = []
    if batch:
        logged += len(log_model.objects.bulk_create(batch))
    return logged
