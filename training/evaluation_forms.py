"""The delegate's forms: the evaluation after a session and the follow-up. They check what a
form can (a rating was chosen); `training.evaluations` checks everything about the booking."""

from django import forms

from .models import PracticeChange

RATING_CHOICES = [
    ("1", "1: poor"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5: excellent"),
]
CONFIDENCE_CHOICES = [
    ("1", "1: not at all confident"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5: very confident"),
]


def _rating(label, choices=RATING_CHOICES, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose a rating for: {label[0].lower()}{label[1:]}"},
    )


class EvaluationForm(forms.Form):
    overall = _rating("How would you rate the session overall?")
    outcomes_met = _rating(
        "How well did the session meet its learning outcomes?",
        help_text="The outcomes are listed on the course page.",
    )
    confidence_before = _rating(
        "How confident were you in this area of practice before the session?", CONFIDENCE_CHOICES
    )
    confidence_after = _rating(
        "How confident are you in this area of practice now?", CONFIDENCE_CHOICES
    )
    comments = forms.CharField(
        label="Comments (optional)",
        required=False,
        help_text="What worked, what could be better. Do not name children or families.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class FollowUpForm(forms.Form):
    practice_changed = forms.ChoiceField(
        label="Has your practice changed since the session?",
        choices=PracticeChange.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether your practice has changed"},
    )
    what_changed = forms.CharField(
        label="What has changed?",
        required=False,
        help_text="For example, a tool you now use, a question you now ask, who you now contact. "
        "Do not name children or families.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self):
        cleaned = super().clean()
        changed = cleaned.get("practice_changed")
        if changed and changed != PracticeChange.NO and not cleaned.get("what_changed", "").strip():
            self.add_error("what_changed", "Tell us what changed in your practice")
        return cleaned
