"""Actions in the admin, for quality assurance: every action the reader may see, rated red, amber,
green or blue today, filtered and exported; and the edit form, where the state is read-only
because state changes go through the lifecycle services (`learning.actions`), which check their
rules and keep the history.

Every list, export, chooser and object view is narrowed by `partnership.access` through
`partnership.admin_access`: an action the reader may not see is not found (404), never merely
refused, so that its existence is not told; one they may read but not change (another
partnership's, shared regionally) opens read-only."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.coreutils import multigetattr
from wagtail.snippets.views import snippets

from partnership.access import visible_to
from partnership.admin_access import AccessGuardedViewSet
from partnership.pickers import (
    agencies_of,
    involved_partnership_ids,
    offer_partnerships,
    offer_visible,
    people_of,
)
from reviews.models import Recommendation, Review

from . import reports
from .filter_choices import action_filter_choices
from .models import RAG, Action, ActionEvent, ActionSource, ActionState

RAG_LABELS = dict(RAG.choices)


class IdChoiceField(django_filters.fields.ChoiceField):
    """A choice from a cached list of ids (see `learning.filter_choices`) that accepts any id:
    the list may be a minute behind, and the rows are narrowed by the access policy whatever
    is chosen, so refusing an id the list lacks would only refuse a fresh agency or theme."""

    def valid_value(self, value):
        return str(value).isdigit() or super().valid_value(value)


class IdChoiceFilter(django_filters.ChoiceFilter):
    field_class = IdChoiceField


class ActionFilterSet(WagtailFilterSet):
    """The filters of the action list and the actions report; `reports.filter_actions` applies
    them, so the list, the report and their exports agree.

    The agency, theme and partnership lists come from the cache; the review is typed as its
    reference, since a partnership has thousands of reviews and a list of them all would be
    half a megabyte of page that no one could scroll."""

    state = django_filters.ChoiceFilter(choices=ActionState.choices, label="State")
    rag = django_filters.ChoiceFilter(choices=RAG.choices, label="RAG")
    owner_agency = IdChoiceFilter(choices=[], label="Owner agency")
    theme = IdChoiceFilter(choices=[], label="Theme")
    source = django_filters.ChoiceFilter(choices=ActionSource.choices, label="Source")
    review = django_filters.CharFilter(
        label="Review reference",
        help_text="As the review listing shows it; any case.",
        widget=forms.TextInput(attrs={"size": 20}),
    )
    partnership = IdChoiceFilter(choices=[], label="Partnership")

    class Meta:
        model = Action
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is not None:
            for name, choices in action_filter_choices(user).items():
                self.filters[name].extra["choices"] = choices

    def filter_queryset(self, queryset):
        return reports.filter_actions(queryset, self.form.cleaned_data)


class RagColumn(StatusTagColumn):
    """The RAG rating annotated by `with_rag`, shown as a status tag."""

    def __init__(self, **kwargs):
        super().__init__("rag", label="RAG", sort_key="rag", primary=lambda a: False, **kwargs)

    def get_value(self, instance):
        return RAG_LABELS.get(instance.rag, instance.rag)


def lead_name(action) -> str:
    if action.lead is None:
        return "The agency's leads"
    return action.lead.get_full_name() or action.lead.get_username()


def due_date(action) -> str:
    # A calendar date, not "2 months ago": due dates are read against the tracker.
    return date_format(action.due_date, "j M Y")


def rag_label(value):
    return str(RAG_LABELS.get(value, value))


ACTION_EXPORT = [
    "reference",
    "description",
    "get_source_display",
    "review.reference",
    "partnership.short_name",
    "owner_agency.name",
    "lead.get_full_name",
    "due_date",
    "get_state_display",
    "rag",
    "get_sharing_level_display",
]
ACTION_EXPORT_HEADINGS = {
    "get_source_display": "Source",
    "review.reference": "Review",
    "partnership.short_name": "Partnership",
    "owner_agency.name": "Owner agency",
    "lead.get_full_name": "Lead",
    "get_state_display": "State",
    "rag": "RAG",
    "get_sharing_level_display": "Sharing level",
}


def export_cell(item, name):
    """A dotted value of the export; a missing review or lead is an empty cell, not an error."""
    try:
        return multigetattr(item, name)
    except AttributeError:
        return ""


class AuditedExportMixin:
    """Exports of restricted actions leave an audit entry for each, naming the reader."""

    custom_field_preprocess = {"rag": {"csv": rag_label, "xlsx": rag_label}}

    def to_row_dict(self, item):
        return {name: export_cell(item, name) for name in self.list_export}

    def as_spreadsheet(self, queryset, spreadsheet_format):
        reports.log_export(self.request.user, queryset)
        return super().as_spreadsheet(reports.StreamedRows(queryset), spreadsheet_format)


class ActionIndexView(AuditedExportMixin, snippets.IndexView):
    pass


class ActionForm(WagtailAdminModelForm):
    """Offers what the editor may see of the action's own partnership: its reviews and their
    recommendations, its agencies and its people. An action is filed under the editor's own
    partnership (or the one it is filed under already)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if user is None:
            return
        action = self.instance
        current = [action.partnership_id] if action.partnership_id else []
        offer_partnerships(self, "partnership", current)
        involved = involved_partnership_ids(self, "partnership")
        reviews = visible_to(user, Review.objects.of_partnerships(involved))
        recommendations = visible_to(
            user, Recommendation.objects.of_partnerships(involved)
        ).select_related("review")
        # A reference the editor may not see is taken off the form, not cleared.
        offer_visible(self, "review", reviews)
        offer_visible(self, "recommendation", recommendations)
        if "owner_agency" in self.fields:
            keep = [action.owner_agency_id] if action.owner_agency_id else []
            self.fields["owner_agency"].queryset = agencies_of(involved, keep=keep)
        if "lead" in self.fields:
            keep = [action.lead_id] if action.lead_id else []
            self.fields["lead"].queryset = people_of(involved, keep=keep)

    def clean(self):
        data = super().clean()
        agency, partnership = data.get("owner_agency"), data.get("partnership")
        if agency and partnership and agency.partnership_id != partnership.pk:
            self.add_error("owner_agency", "The agency must work in the action's partnership.")
        recommendation = data.get("recommendation")
        # A review the editor may not see is kept off the form (see `offer_visible`).
        review = data.get("review") if "review" in self.fields else self.instance.review
        if recommendation and review and recommendation.review_id != review.pk:
            self.add_error("recommendation", "The recommendation must be one of the review's.")
        if recommendation and not review:
            data["review"] = recommendation.review
        return data


class HistoryRecordingMixin:
    """Creating or editing in the admin is part of the action's history, as imports are."""

    event_kind = ActionEvent.Kind.EDITED

    def save_instance(self):
        instance = super().save_instance()
        ActionEvent.objects.create(action=instance, kind=self.event_kind, user=self.request.user)
        return instance


class ActionCreateView(HistoryRecordingMixin, snippets.CreateView):
    event_kind = ActionEvent.Kind.CREATED


class ActionEditView(HistoryRecordingMixin, snippets.EditView):
    pass


class ActionViewSet(AccessGuardedViewSet):
    model = Action
    icon = "tasks"
    menu_label = "Actions"
    menu_name = "actions"
    add_to_admin_menu = True
    menu_order = 220
    index_view_class = ActionIndexView
    add_view_class = ActionCreateView
    edit_view_class = ActionEditView
    filterset_class = ActionFilterSet
    # The ORM rather than the search backend (as the guarded viewset has it): the list's RAG
    # annotation must survive searching.
    search_fields = ["reference", "description"]
    list_per_page = 50
    ordering = ["due_date", "reference"]
    list_display = [
        "reference",
        Column("description", label="Description"),
        Column("owner_agency", label="Owner agency"),
        Column("lead", label="Lead", accessor=lead_name),
        Column("due_date", label="Due", sort_key="due_date", accessor=due_date),
        Column("state", label="State", accessor="get_state_display", sort_key="state"),
        RagColumn(),
    ]
    list_export = ACTION_EXPORT
    export_headings = ACTION_EXPORT_HEADINGS
    export_filename = "actions"
    inspect_view_fields = [
        "reference",
        "source",
        "review",
        "recommendation",
        "description",
        "partnership",
        "owner_agency",
        "lead",
        "due_date",
        "original_due_date",
        "state",
        "progress",
        "embedded_by",
        "embedded_at",
        "sharing_level",
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("reference"),
                    FieldRowPanel([FieldPanel("source"), FieldPanel("source_detail")]),
                    FieldRowPanel([FieldPanel("review"), FieldPanel("recommendation")]),
                ],
                heading="Where it comes from",
            ),
            FieldPanel("description"),
            MultiFieldPanel(
                [
                    FieldPanel("partnership"),
                    FieldPanel("owner_agency"),
                    FieldPanel("lead"),
                    FieldRowPanel([FieldPanel("due_date"), FieldPanel("original_due_date")]),
                ],
                heading="Who and when",
            ),
            # Moved only by the lifecycle services, which check evidence and sign-off.
            FieldPanel("state", read_only=True),
            FieldPanel("progress"),
            FieldPanel("themes"),
            FieldPanel("sharing_level"),
        ],
        base_form_class=ActionForm,
    )

    def get_queryset(self, request):
        return visible_to(
            request.user, Action.objects.with_rag(timezone.localdate())
        ).select_related(
            "owner_agency", "owner_agency__partnership", "lead", "review", "partnership"
        )
