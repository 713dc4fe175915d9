"""The review snippet's admin views, each narrowed by the access policy.

Every view of one review (edit, inspect, history, revisions, compare, preview, delete, usage,
lock, unlock, unpublish, workflow) is guarded by `partnership.admin_access`, before Wagtail loads
or renders anything: a review the person may not see answers 404, as if it did not exist; one
they may read but not change opens read-only. Reads of restricted reviews are logged.

The subject's pseudonym stays with the people who may change the review: the listing, its export
and the read-only view show everyone else the review's title and summary as
`reviews.pseudonyms` shares them."""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Case, CharField, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet
from wagtail.models import WorkflowState

from hub.admin_columns import PlainColumn
from partnership.access import changeable_by, sees_everything, visible_to
from partnership.admin_access import AccessGuardedViewSet
from partnership.models import Partnership, Theme

from ..audit import log_review_export, log_review_read
from ..models import Milestone, Review, ReviewStatus, ReviewType
from ..models.milestone import DUE_SOON_WORKING_DAYS
from ..permissions import ReviewPermissionPolicy
from ..pseudonyms import share


class ReviewReadAuditMixin:
    """Reads of restricted reviews leave an audit entry, once the guard has let the reader in."""

    #: How this view reads the review, for the audit trail; None if it does not show content.
    read_as = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.read_as and request.method == "GET" and self.guarded_object is not None:
            log_review_read(self.guarded_object, request.user, self.read_as)


class ReviewFilterSet(WagtailFilterSet):
    review_type = django_filters.ChoiceFilter(label="Type", choices=ReviewType.choices)
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices)
    lead_partnership = django_filters.ModelChoiceFilter(
        label="Lead partnership", queryset=Partnership.objects.all()
    )
    theme = django_filters.ModelChoiceFilter(
        label="Theme", field_name="themes", queryset=Theme.objects.all(), distinct=True
    )
    overdue = django_filters.BooleanFilter(label="Has overdue milestones", method="filter_overdue")
    due_soon = django_filters.BooleanFilter(
        label=f"Has milestones due within {DUE_SOON_WORKING_DAYS} working days",
        method="filter_due_soon",
    )
    involved = django_filters.BooleanFilter(
        label="My deadlines (my partnership leads or takes part, or I sit on the panel)",
        method="filter_involved",
    )

    class Meta:
        model = Review
        fields = ["review_type", "status", "lead_partnership", "theme"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Milestone.objects.overdue(timezone.localdate()).values("review_id")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)

    def filter_due_soon(self, queryset, name, value):
        if value is None:
            return queryset
        soon = Milestone.objects.due_within_working_days(
            timezone.localdate(), DUE_SOON_WORKING_DAYS
        ).values("review_id")
        return queryset.filter(pk__in=soon) if value else queryset.exclude(pk__in=soon)

    def filter_involved(self, queryset, name, value):
        if value is None:
            return queryset
        involved = Review.objects.involving(self.request.user).values("pk")
        return queryset.filter(pk__in=involved) if value else queryset.exclude(pk__in=involved)


class ReviewViewSetBase(AccessGuardedViewSet):
    """The access policy and the audit trail for every view of the review snippet."""

    permission_policy_class = ReviewPermissionPolicy

    def get_queryset(self, request):
        reviews = Review.objects.select_related("lead_partnership").annotate(
            sign_off_step=sign_off_step_subquery(),
            is_home=Case(
                When(
                    pk__in=changeable_by(request.user, Review.objects.all()).values("pk"),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        return visible_to(request.user, reviews)

    def _read_as(self, view_class):
        return {
            self.edit_view_class: "edit",
            self.inspect_view_class: "inspect",
            self.preview_on_edit_view_class: "preview",
            self.revisions_view_class: "revision preview",
            self.revisions_compare_view_class: "revisions compare",
            self.workflow_preview_view_class: "workflow preview",
        }.get(view_class)

    def guard_mixins(self, view_class):
        if view_class is self.edit_view_class:
            return (SignOffOnlyMixin, *self._audit_mixins(view_class))
        if view_class is self.inspect_view_class:
            return (SharedReadMixin, *self._audit_mixins(view_class))
        return self._audit_mixins(view_class)

    def _audit_mixins(self, view_class):
        audited = type(
            "ReviewReadAudit",
            (ReviewReadAuditMixin,),
            {"read_as": self._read_as(view_class), "__module__": __name__},
        )
        if hasattr(view_class, "as_spreadsheet"):
            return (ListingExportAuditMixin, audited)
        return (audited,)


class SharedReadMixin:
    """The read-only view is for people who may read a review but not change it: they read its
    title and summary without the subject's pseudonym, as the site shows them."""

    def get_object(self, queryset=None):
        return share(super().get_object(queryset))


class SignOffOnlyMixin:
    """The editor never publishes a review, nor cancels or restarts its sign-off, for anyone but
    a system administrator, whatever the form posted: sign-off is the only way to publish."""

    def get_available_actions(self):
        actions = super().get_available_actions()
        if sees_everything(self.request.user):
            return actions
        around = {"publish", "unpublish", "cancel-workflow", "restart-workflow"}
        return [action for action in actions if action not in around]


class ListingExportAuditMixin:
    """Exports of the listing are exports of reviews: restricted ones leave an audit entry."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        log_review_export(queryset, self.request.user, how=f"admin listing ({spreadsheet_format})")
        return super().as_spreadsheet(queryset, spreadsheet_format)


def sign_off_step_subquery():
    """The name of the step a review's sign-off is at, if one is under way: one subquery for
    the whole listing, not a workflow lookup per row."""
    in_progress = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Review),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )
    return Subquery(in_progress.values("current_task_state__task__name")[:1])


def review_stage(review) -> str:
    """Where the review is: its status, or the step of sign-off it waits on."""
    step = getattr(review, "sign_off_step", None)
    if step:
        return f"In sign-off: {step}"
    return review.get_status_display()


TITLE_COLUMN = PlainColumn("title", label="Title", accessor="listed_title")
TYPE_COLUMN = PlainColumn("review_type", label="Type", accessor="get_review_type_display")
STATUS_COLUMN = PlainColumn("status", label="Status", accessor=review_stage)
SHARING_COLUMN = PlainColumn("sharing_level", label="Sharing", accessor="get_sharing_level_display")
PARTNERSHIP_COLUMN = PlainColumn("lead_partnership", label="Lead partnership")

LIST_DISPLAY = [
    "reference",
    TITLE_COLUMN,
    TYPE_COLUMN,
    STATUS_COLUMN,
    PARTNERSHIP_COLUMN,
    SHARING_COLUMN,
]
INSPECT_FIELDS = [
    "reference",
    "review_type",
    "title",
    "lead_partnership",
    "participating_partnerships",
    "status",
    "sharing_level",
    "summary",
    "level_of_need",
    "aware_date",
    "notification_date",
    "decision_date",
    "decision",
    "publication_date",
]
# Never confidential_details: an export leaves the panel's walls.
LIST_EXPORT = [
    "reference",
    "listed_title",
    "review_type",
    "status",
    "lead_partnership",
    "sharing_level",
    "decision",
    "aware_date",
    "decision_date",
]
