"""Forms for working on actions on the site. They check what a form can (something was typed,
the date is a real date, the file is a kind the Hub keeps); the services in `learning.actions`
check everything about the action itself."""

import os

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from partnership.dates import real_date
from partnership.uploads import ContentMismatch, check_content

from .actions import max_upload_bytes
from .models import RAG, ActionState, EvidenceKind, ImpactType


class ActionFilterForm(forms.Form):
    """The list's filters: plain GET parameters, so they work without JavaScript."""

    state = forms.ChoiceField(
        label="State", required=False, choices=[("", "Any state"), *ActionState.choices]
    )
    rag = forms.ChoiceField(
        label="RAG rating", required=False, choices=[("", "Any rating"), *RAG.choices]
    )


class ProgressForm(forms.Form):
    text = forms.CharField(
        label="Progress update",
        help_text="What has happened since the last update. Do not name children or families.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what has happened since the last update"},
    )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="What does the evidence show?",
        choices=EvidenceKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is evidence of completion or of impact"},
    )
    impact_type = forms.ChoiceField(
        label="Type of impact evidence",
        help_text="Only for evidence of impact.",
        required=False,
        choices=[("", "Not evidence of impact"), *ImpactType.choices],
    )
    text = forms.CharField(
        label="Describe the evidence",
        help_text="For example, which audit, how many practitioners, what changed.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the evidence shows"},
    )
    document = forms.FileField(
        label="Upload a document (optional)",
        help_text="",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = ", ".join(ext.upper() for ext in settings.WAGTAILDOCS_EXTENSIONS)
        self.fields["document"].help_text = (
            f"{kinds}; up to {filesizeformat(max_upload_bytes())}. "
            "Only people who may see this action can download it."
        )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if not document:
            return document
        extension = os.path.splitext(document.name)[1].lstrip(".").lower()
        if extension not in settings.WAGTAILDOCS_EXTENSIONS:
            raise ValidationError(
                "The document must be a "
                + ", ".join(ext.upper() for ext in settings.WAGTAILDOCS_EXTENSIONS)
            )
        if document.size > max_upload_bytes():
            raise ValidationError(
                f"The document must be smaller than {filesizeformat(max_upload_bytes())}"
            )
        try:
            check_content(document)
        except ContentMismatch as error:
            raise ValidationError(str(error)) from error
        return document

    def clean(self):
        cleaned = super().clean()
        kind, impact_type = cleaned.get("kind"), cleaned.get("impact_type")
        if kind == EvidenceKind.IMPACT and not impact_type:
            self.add_error("impact_type", "Select the type of impact evidence")
        if kind == EvidenceKind.COMPLETION and impact_type:
            self.add_error(
                "impact_type",
                "Evidence of completion has no impact type: choose ‘Not evidence of impact’",
            )
        return cleaned


class DateInput(forms.MultiWidget):
    """GOV.UK's date input: day, month and year as three boxes of numbers."""

    def __init__(self, attrs=None):
        number = {"inputmode": "numeric"}
        super().__init__(
            {
                "day": forms.TextInput(number),
                "month": forms.TextInput(number),
                "year": forms.TextInput(number),
            },
            attrs,
        )

    def decompress(self, value):
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]

    def id_for_label(self, id_):
        # The error summary's link goes to the day box, as GOV.UK's pattern asks.
        return f"{id_}_day" if id_ else id_


class DateField(forms.MultiValueField):
    widget = DateInput

    def __init__(self, **kwargs):
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(min_value=1900, max_value=2200),
        )
        kwargs.setdefault("error_messages", {})
        super().__init__(fields, require_all_fields=False, **kwargs)

    def clean(self, value):
        # One message for every way a date can be wrong, as GOV.UK's date pattern does.
        if not any(str(v or "").strip() for v in value or []):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        try:
            day, month, year = (int(str(v).strip()) for v in value)
            return real_date(day, month, year)
        except (TypeError, ValueError) as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error

    def compress(self, data_list):
        return data_list


class ExtensionForm(forms.Form):
    new_date = DateField(
        label="New due date",
        help_text="For example, 27 3 2027",
        error_messages={
            "required": "Enter the new due date",
            "invalid": "The new due date must be a real date, for example 27 3 2027",
        },
    )
    reason = forms.CharField(
        label="Why does the action need more time?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the action needs more time"},
    )


class DecisionForm(forms.Form):
    """Quality assurance's answer to an extension request."""

    note = forms.CharField(
        label="Note to the agency",
        help_text="Required when you refuse: say why.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
