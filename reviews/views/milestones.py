"""Marking a milestone of a review done, from the review's timeline.

A page of its own, linked from the timeline in the editor: a form cannot be nested inside the
editor's form. Whoever may not see the review gets 404, as for every view of a review; whoever
may see but not change it gets 403 (`may_mark_milestones_done`). What may be marked done, and
on which day, is `reviews.services.complete_milestone`'s to say."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from partnership.admin_dates import DateField

from ..models import Milestone
from ..permissions import may_mark_milestones_done, may_open
from ..services import ReviewError, complete_milestone

TIMELINE_TAB = "#tab-timeline"


class MarkDoneForm(forms.Form):
    # Typed as every admin date is (partnership.admin_dates): 15/03/2026, never a picker's guess.
    day = DateField(
        label="Done on",
        required=False,
        help_text="The day it happened; today unless you say otherwise.",
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["day"].initial = today

    def clean_day(self):
        return self.cleaned_data["day"] or self.today


class MarkMilestoneDoneView(WagtailAdminTemplateMixin, View):
    template_name = "reviews/milestone_done.html"
    page_title = "Mark a milestone done"
    header_icon = "date"

    def dispatch(self, request, pk):
        milestone = (
            Milestone.objects.select_related("review", "review__lead_partnership")
            .filter(pk=pk)
            .first()
        )
        if milestone is None or not may_open(request.user, milestone.review):
            raise Http404("No milestone found.")
        if not may_mark_milestones_done(request.user, milestone.review):
            # A plain 403: Wagtail's PermissionDenied handling redirects to the dashboard.
            return TemplateResponse(
                request,
                "hub/forbidden.html",
                {"message": "Only people who may change this review may mark its milestones done."},
                status=403,
            )
        self.milestone = milestone
        self.review = milestone.review
        self.edit_url = self.review.get_admin_url() + TIMELINE_TAB
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.review.reference

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": self.edit_url, "label": self.review.reference},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            milestone=self.milestone, review=self.review, edit_url=self.edit_url, **kwargs
        )

    def get(self, request, pk):
        form = MarkDoneForm(today=timezone.localdate())
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, pk):
        form = MarkDoneForm(request.POST, today=timezone.localdate())
        if form.is_valid():
            try:
                complete_milestone(self.milestone, request.user, form.cleaned_data["day"])
            except ReviewError as error:
                form.add_error(None, str(error))
            else:
                day = form.cleaned_data["day"]
                messages.success(
                    request, f"“{self.milestone.label}” marked done on {day:%-d %B %Y}."
                )
                return redirect(self.edit_url)
        return self.render_to_response(self.get_context_data(form=form), status=400)
