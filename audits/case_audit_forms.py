"""Forms of the case audit pages. They check what a form can (something was chosen, a known
quarter); `audits.case_audits` checks everything else, including that a case's identifier is
pseudonymised."""

from datetime import date

from django import forms
from django.utils import timezone

from partnership.models import Agency, Sector, Theme
from reviews.models import AgeBand, LevelOfNeed

from .case_audits import first_day_of_quarter, testable_actions
from .models import Grade, quarter_label

CHILD_AGE_BANDS = [
    (value, label)
    for value, label in AgeBand.choices
    if value not in ("18_24", "25_64", "65_plus", "several")
]
GRADE_CHOICES = [(g.value, g.label) for g in reversed(Grade)]


def quarters_around(today: date, before: int = 1, after: int = 6) -> list[tuple[str, str]]:
    """The quarters a programme plans in: the last one, this one and the next six."""
    start = first_day_of_quarter(today)
    index = start.year * 4 + (start.month - 1) // 3
    days = [date(i // 4, 3 * (i % 4) + 1, 1) for i in range(index - before, index + after + 1)]
    return [(day.isoformat(), quarter_label(day)) for day in days]


class PlanAuditForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Neglect: children on child in need plans",
        error_messages={"required": "Enter a title for the audit"},
    )
    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=Theme.objects.order_by("name"),
        error_messages={"required": "Choose the theme the audit tests"},
    )
    quarter = forms.TypedChoiceField(
        label="Quarter",
        coerce=date.fromisoformat,
        error_messages={"required": "Choose the quarter the audit runs in"},
    )
    questions = forms.CharField(
        label="Questions",
        help_text="One per line. Each agency grades each case against them.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the audit's questions, one per line"},
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies that grade the cases",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one agency to grade the cases"},
    )
    tested_action = forms.ModelChoiceField(
        label="The action whose learning this re-audit tests (optional)",
        queryset=testable_actions(None),
        required=False,
        empty_label="No action",
    )

    def __init__(self, partnership, *args, re_audit_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = quarters_around(timezone.localdate())
        self.fields["agencies"].queryset = (
            Agency.objects.filter(partnership=partnership, active=True)
            .exclude(sector=Sector.PARTNERSHIP)
            .select_related("partnership")  # each label names it
            .order_by("name")
        )
        if re_audit_of is None:
            del self.fields["tested_action"]
            return
        self.fields["tested_action"].queryset = testable_actions(partnership.pk).order_by(
            "reference"
        )
        self.fields["theme"].disabled = True
        if not self.is_bound:
            self.initial.update(
                title=f"Re-audit: {re_audit_of.review.title}",
                theme=re_audit_of.theme_id,
                questions=re_audit_of.questions,
                agencies=[a.pk for a in re_audit_of.agencies.all()],
            )
        self.initial["theme"] = re_audit_of.theme_id


class CaseForm(forms.Form):
    identifier = forms.CharField(
        label="Case identifier",
        max_length=20,
        help_text='Pseudonymised: "Case A" or "MACA-07". Never a name or a date of birth.',
        error_messages={"required": "Enter the case's pseudonymised identifier"},
    )
    level_of_need = forms.TypedChoiceField(
        label="Level of need",
        coerce=int,
        choices=[("", "Choose the level of need"), *LevelOfNeed.choices],
        error_messages={"required": "Choose the case's level of need"},
    )
    age_band = forms.ChoiceField(
        label="Age",
        choices=[("", "Choose the child's age band"), *CHILD_AGE_BANDS],
        error_messages={"required": "Choose the child's age band"},
    )


class GradeForm(forms.Form):
    grade = forms.TypedChoiceField(
        label="Your agency's grade",
        coerce=int,
        choices=GRADE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a grade"},
    )
    worked_well = forms.CharField(
        label="What worked well",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Do not name the child, their family or practitioners.",
    )
    worried_about = forms.CharField(
        label="What are we worried about", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    needs_to_happen = forms.CharField(
        label="What needs to happen", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AgreeGradeForm(forms.Form):
    grade = forms.TypedChoiceField(
        label="Agreed grade",
        coerce=int,
        choices=GRADE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the agreed grade"},
    )
