"""The review editor's form: what each person may read and choose."""

import copy

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm

from partnership.models import Agency, Role
from partnership.pickers import (
    agencies_of,
    involved_partnership_ids,
    offer_partnerships,
    people_of,
)

from .models import Finding
from .permissions import may_read_confidential

# People who work in the admin and can sit on a review panel.
PANEL_ROLES = [
    Role.PARTNERSHIP_MANAGER,
    Role.REVIEWER,
    Role.QUALITY_ASSURANCE,
    Role.AGENCY_LEAD,
    Role.DELEGATED_SAFEGUARDING_PARTNER,
]


class ReviewAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        # Removed, not hidden: a removed field is never rendered and a posted value is ignored,
        # so the saved details stay as they were.
        if "confidential_details" in self.fields and not (
            user is not None and may_read_confidential(user, self.instance)
        ):
            del self.fields["confidential_details"]
        self._limit_to_involved_partnerships()
        self._limit_recommendation_findings()

    def clean(self):
        cleaned = super().clean()
        self._keep_author_on_panel(cleaned)
        return cleaned

    def _keep_author_on_panel(self, cleaned):
        """Whoever opens a review sits on its panel: a new review is restricted to its panel,
        and its author must go on seeing (and saving) what they have just written."""
        user = self.for_user
        if self.instance.pk is not None or user is None or "panel" not in self.fields:
            return
        if user.is_superuser or not self.fields["panel"].queryset.filter(pk=user.pk).exists():
            return
        panel = list(cleaned.get("panel") or [])
        if user.pk not in {member.pk for member in panel}:
            cleaned["panel"] = [*panel, user]

    def _limit_to_involved_partnerships(self):
        """The panel and agencies come from the partnerships that lead and take part in the
        review, not from the whole region; a review is led by the author's own partnership.
        Any partnership may take part, so that list is left whole."""
        user = self.for_user
        if user is None:
            return
        current = [self.instance.lead_partnership_id] if self.instance.pk else []
        offer_partnerships(self, "lead_partnership", current)
        involved = involved_partnership_ids(self, "lead_partnership", "participating_partnerships")
        if "panel" in self.fields:
            sitting = (
                [person.pk for person in self.instance.panel.all()] if self.instance.pk else []
            )
            panel_roles = get_user_model().objects.filter(
                groups__name__in=[r.label for r in PANEL_ROLES]
            )
            self.fields["panel"].queryset = people_of(involved, among=panel_roles, keep=sitting)
        named = (
            Agency.objects.filter(Q(reviews=self.instance) | Q(findings__review=self.instance))
            if self.instance.pk
            else Agency.objects.none()
        )
        agencies = agencies_of(involved, keep=named.values_list("pk", flat=True))
        if "agencies" in self.fields:
            self.fields["agencies"].queryset = agencies
        self._limit_formset_field("findings", "agencies", agencies)

    def _limit_formset_field(self, formset_name, field_name, queryset):
        """Offer `queryset` in every row of an inline formset. A per-form subclass, so that the
        formset's empty form (the template for new rows) offers the same choices as the rows
        already there."""
        formset = self.formsets.get(formset_name)
        if formset is None:
            return
        limited = type(formset.form.__name__, (formset.form,), {})
        limited.base_fields = copy.deepcopy(formset.form.base_fields)
        if field_name in limited.base_fields:
            limited.base_fields[field_name].queryset = queryset
        formset.form = limited

    def _limit_recommendation_findings(self):
        """A recommendation answers findings of its own review, and only saved ones: findings
        still in a draft have no identity to link to until the review is published."""
        findings = Finding.objects.filter(review_id=self.instance.pk) if self.instance.pk else None
        findings = findings if findings is not None else Finding.objects.none()
        self._limit_formset_field("recommendations", "findings", findings)
