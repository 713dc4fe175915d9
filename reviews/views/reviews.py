"""The review snippet's admin views, each narrowed by the access policy.

Every view of one review (edit, history, revisions, compare, preview, delete, usage, lock,
unlock, workflow) is guarded in `setup`, before Wagtail loads or renders anything: a review the
person may not see answers 404, as if it did not exist. Reads of restricted reviews are logged."""

import django_filters
from django.contrib.admin.utils import unquote
from django.http import Http404
from django.utils import timezone
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import SnippetViewSet

from partnership.access import visible_to
from partnership.models import Partnership, Theme

from ..audit import log_review_export, log_review_read
from ..models import Milestone, Review, ReviewStatus, ReviewType
from ..models.milestone import DUE_SOON_WORKING_DAYS
from ..permissions import may_open


class ReviewAccessMixin:
    """Answer 404 for a review the person may not open; log reads of restricted reviews."""

    #: How this view reads the review, for the audit trail; None if it does not show content.
    read_as = None

    def setup(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            review = Review._base_manager.filter(pk=unquote(str(pk))).first()
            if review is None or not may_open(request.user, review):
                raise Http404("No review found.")
            if self.read_as and request.method == "GET":
                log_review_read(review, request.user, self.read_as)
        super().setup(request, *args, **kwargs)


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


class ReviewChooseView(snippet_chooser.ChooseView):
    def get_object_list(self):
        return visible_to(self.request.user, super().get_object_list())


class ReviewChooseResultsView(snippet_chooser.ChooseResultsView):
    def get_object_list(self):
        return visible_to(self.request.user, super().get_object_list())


class ReviewChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return visible_to(self.request.user, Review.objects.all()).get(pk=pk)


class ReviewChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return visible_to(self.request.user, super().get_objects(pks))


class ReviewChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = ReviewChooseView
    choose_results_view_class = ReviewChooseResultsView
    chosen_view_class = ReviewChosenView
    chosen_multiple_view_class = ReviewChosenMultipleView


class ReviewViewSetBase(SnippetViewSet):
    """The access policy and the audit trail for every view of the review snippet."""

    chooser_viewset_class = ReviewChooserViewSet
    search_backend_name = None  # plain database lookups over the visible reviews
    inspect_view_enabled = False

    def get_queryset(self, request):
        return visible_to(request.user, Review.objects.select_related("lead_partnership"))

    def _read_as(self, view_class):
        return {
            self.edit_view_class: "edit",
            self.preview_on_edit_view_class: "preview",
            self.revisions_view_class: "revision preview",
            self.revisions_compare_view_class: "revisions compare",
            self.workflow_preview_view_class: "workflow preview",
        }.get(view_class)

    def construct_view(self, view_class, **kwargs):
        guarded = type(
            view_class.__name__,
            (ReviewAccessMixin, view_class),
            {"read_as": self._read_as(view_class), "__module__": __name__},
        )
        if hasattr(view_class, "as_spreadsheet"):
            guarded = type(
                view_class.__name__, (ListingExportAuditMixin, guarded), {"__module__": __name__}
            )
        return super().construct_view(guarded, **kwargs)


class ListingExportAuditMixin:
    """Exports of the listing are exports of reviews: restricted ones leave an audit entry."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        log_review_export(queryset, self.request.user, how=f"admin listing ({spreadsheet_format})")
        return super().as_spreadsheet(queryset, spreadsheet_format)


TYPE_COLUMN = Column("review_type", label="Type", accessor="get_review_type_display")
STATUS_COLUMN = Column("status", label="Status", accessor="get_status_display")
SHARING_COLUMN = Column("sharing_level", label="Sharing", accessor="get_sharing_level_display")
PARTNERSHIP_COLUMN = Column("lead_partnership", label="Lead partnership")

LIST_DISPLAY = [
    "reference",
    "title",
    TYPE_COLUMN,
    STATUS_COLUMN,
    PARTNERSHIP_COLUMN,
    SHARING_COLUMN,
]
# Never confidential_details: an export leaves the panel's walls.
LIST_EXPORT = [
    "reference",
    "title",
    "review_type",
    "status",
    "lead_partnership",
    "sharing_level",
    "decision",
    "aware_date",
    "decision_date",
]
