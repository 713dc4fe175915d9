"""Forms of the self-assessment pages. They check what a form can (something was chosen, the
date is real, the file is a kind the Hub keeps); `audits.cycles` checks everything else."""

from django import forms

from learning.forms import DateField, EvidenceForm
from partnership.access import membership_of
from partnership.models import Agency

from .cycles import invitable_agencies
from .models import AgencyReturn, ChallengeEvent, StandardSet


def _rating_choices(standard_set):
    return [(rating.value, rating.label) for rating in standard_set.ratings.values()]


class OpenCycleForm(forms.Form):
    standard_set = forms.ModelChoiceField(
        label="Standards",
        queryset=StandardSet.objects.none(),
        empty_label=None,
        error_messages={"required": "Choose the standards agencies rate themselves against"},
    )
    title = forms.CharField(
        label="Title",
        max_length=150,
        help_text="For example, Section 11 self-assessment 2027",
        error_messages={"required": "Enter a title for the cycle"},
    )
    due_date = DateField(
        label="Returns are due on",
        help_text="For example, 31 3 2027",
        error_messages={
            "required": "Enter the date returns are due",
            "invalid": "The due date must be a real date, for example 31 3 2027",
        },
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Ask these agencies for a return",
        help_text="Section 175 cycles ask the schools and colleges; the others every other agency.",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one agency to ask for a return"},
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        membership = membership_of(user)
        partnership_id = membership.partnership_id if membership else None
        sets = StandardSet.objects.filter(partnership_id=partnership_id).order_by(
            "name", "-version"
        )
        self.fields["standard_set"].queryset = sets
        self.fields["agencies"].queryset = (
            Agency.objects.filter(partnership_id=partnership_id, active=True)
            .select_related("partnership")  # each label names it
            .order_by("name")
        )
        first = sets.first()
        if first is not None and not self.is_bound:
            self.initial["agencies"] = list(invitable_agencies(first).values_list("pk", flat=True))


class AssessmentForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Rating",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating"},
    )
    narrative = forms.CharField(
        label="What shows it",
        help_text="How the agency meets the standard, and the evidence. Do not name children or "
        "families.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    improvement = forms.CharField(
        label="Your improvement actions",
        help_text="What the agency will do where it falls short.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, standard_set, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = _rating_choices(standard_set)


class ChallengeForm(forms.Form):
    text = forms.CharField(
        label="Challenge",
        help_text="What the agency should look at again, and why.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the challenge"},
    )
    event = forms.ModelChoiceField(
        label="Made at a challenge and support event (optional)",
        queryset=ChallengeEvent.objects.none(),
        required=False,
        empty_label="Not at an event",
    )

    def __init__(self, agency_return, *args, **kwargs):
        super().__init__(*args, **kwargs)
        events = agency_return.events.all()
        if events:
            self.fields["event"].queryset = events
        else:
            del self.fields["event"]


class EventForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=150,
        help_text="For example, Challenge and support: health agencies",
        error_messages={"required": "Enter a title for the event"},
    )
    held_on = DateField(
        label="Held on",
        help_text="For example, 12 2 2027",
        error_messages={
            "required": "Enter the date the event was held",
            "invalid": "The date must be a real date, for example 12 2 2027",
        },
    )
    returns = forms.ModelMultipleChoiceField(
        label="Agencies it covered",
        queryset=AgencyReturn.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the agencies the event covered"},
    )
    notes = forms.CharField(
        label="What was agreed",
        required=False,
        help_text="Do not name children or families.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, cycle, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["returns"]
        field.queryset = cycle.returns.select_related("agency").order_by("agency__name")
        field.label_from_instance = lambda agency_return: agency_return.agency.name


class ResponseForm(forms.Form):
    text = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter your answer to the challenge"},
    )
    rating = forms.TypedChoiceField(
        label="Propose another rating (optional)",
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, standard_set, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", "Keep our rating"), *_rating_choices(standard_set)]


class AgreeForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Agreed rating",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the agreed rating"},
    )
    due_date = DateField(
        label="Improvement action due on",
        help_text="Only for a red or amber rating, which creates an action. For example, 30 6 2027",
        required=False,
        error_messages={"invalid": "The due date must be a real date, for example 30 6 2027"},
    )

    def __init__(self, standard_set, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = _rating_choices(standard_set)


class ReturnEvidenceForm(forms.Form):
    description = forms.CharField(
        label="What does the document show?",
        max_length=255,
        error_messages={"required": "Say what the document shows"},
    )
    document = forms.FileField(
        label="Upload a document",
        error_messages={"required": "Choose a file to upload"},
    )

    # The same kinds, sizes and content checks as an action's evidence.
    clean_document = EvidenceForm.clean_document

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        help_text = EvidenceForm().fields["document"].help_text
        self.fields["document"].help_text = help_text.replace("this action", "this return")


class SubmitForm(forms.Form):
    signed_by_name = forms.CharField(
        label="Signed by",
        max_length=150,
        help_text="The senior officer who signs the return off for the agency.",
        error_messages={"required": "Enter the name of the senior officer who signs the return"},
    )
    signed_by_role = forms.CharField(label="Their role", max_length=150, required=False)
