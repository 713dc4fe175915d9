"""Where partnership managers change their partnership's review timescales: Settings > Review
timescales. Each manager sees and edits only their own partnership's figures."""

from django.core.exceptions import PermissionDenied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import DeleteView, EditView, SnippetViewSet

from partnership.access import membership_of, sees_everything

from .models import ReviewTimescale


def timescales_for(user):
    """The timescale rows `user` may manage: their own partnership's, or all for superusers."""
    rows = ReviewTimescale.objects.select_related("partnership")
    if sees_everything(user):
        return rows
    membership = membership_of(user)
    if membership is None:
        return rows.none()
    return rows.filter(partnership_id=membership.partnership_id)


class OwnPartnershipMixin:
    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not timescales_for(self.request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied
        return obj


class TimescaleEditView(OwnPartnershipMixin, EditView):
    pass


class TimescaleDeleteView(OwnPartnershipMixin, DeleteView):
    pass


class TimescaleForm(WagtailAdminModelForm):
    """Says in the form what the figure counts, since the unit belongs to the milestone."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        spec = self.instance.spec if self.instance.kind else None
        if spec and "amount" in self.fields:
            self.fields["amount"].label = f"Amount in {spec.unit.label}"
            self.fields["amount"].help_text = (
                f"{spec.label}: now {self.instance.timescale or spec.describe()}. "
                f"Default: {spec.describe()}."
            )


class ReviewTimescaleViewSet(SnippetViewSet):
    model = ReviewTimescale
    icon = "time"
    menu_label = "Review timescales"
    add_to_settings_menu = True
    edit_view_class = TimescaleEditView
    delete_view_class = TimescaleDeleteView
    inspect_view_enabled = False
    list_display = [
        Column("review_type", label="Review type", accessor="get_review_type_display"),
        Column("milestone_label", label="Milestone"),
        Column("timescale", label="Timescale"),
        Column("default", label="Default"),
        Column("basis", label="Basis"),
        "partnership",
    ]
    list_filter = ["review_type"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            HelpPanel(
                content="Statutory timescales are fixed in law and are not here. These are the "
                "partnership's own (local) figures and commonly cited ones it confirms. Saving "
                "recomputes the deadlines of the partnership's open reviews."
            ),
            FieldPanel("partnership", read_only=True),
            FieldPanel("review_type", read_only=True),
            FieldPanel("kind", read_only=True),
            FieldPanel("amount"),
        ],
        base_form_class=TimescaleForm,
    )

    def get_queryset(self, request):
        return timescales_for(request.user)


register_snippet(ReviewTimescaleViewSet)
