"""Every date and date-time field in the Wagtail admin, as people in England type them.

Wagtail's date picker reads and writes its own format and, when it cannot read what was typed,
puts today in its place as the field loses focus: 15/03/2026 became today, 31/02/2026 became
3 March, and a statutory clock started on the wrong day without anyone being told. So the admin's
date fields are plain text boxes with the format shown as a hint; the server reads what was typed
(`partnership.dates`), shows it back as dd/mm/yyyy, and refuses a date that does not exist with a
message at the field, saving nothing. No script touches the value.

`use_english_dates()` makes every model date field in every admin form (snippets, pages, settings)
one of these, from `PartnershipConfig.ready`."""

from datetime import date, datetime, time

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import from_current_timezone
from django.utils import timezone
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

from .dates import parse_date, parse_date_time

DATE_FORMAT = "%d/%m/%Y"
DATE_TIME_FORMAT = "%d/%m/%Y %H:%M"
DATE_EXAMPLE = "For example, 15/03/2026"
DATE_TIME_EXAMPLE = "For example, 10/02/2027 09:30"

PICKERS = (AdminDateInput, AdminDateTimeInput)


class DateInput(forms.DateInput):
    """A plain text box: no picker script, so what was typed stays as typed."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"spellcheck": "false", **(attrs or {})}, format=DATE_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"spellcheck": "false", **(attrs or {})}, format=DATE_TIME_FORMAT)


def _without_picker(widget, plain):
    """Wagtail's schedule-publishing panel asks for its picker by name; keep that widget's
    attributes (the dialog's reset on cancel) and drop the picker."""
    if widget is None:
        return plain
    picker = widget if isinstance(widget, type) else type(widget)
    if not issubclass(picker, PICKERS):
        return widget
    attrs = {} if isinstance(widget, type) else dict(widget.attrs)
    attrs.pop("autocomplete", None)
    return plain(attrs=attrs)


def _with_example(help_text, example) -> str:
    # In the help text, so Wagtail shows it above the box and links it with aria-describedby.
    return f"{help_text} {example}" if help_text else example


class TypedDateMixin:
    """A plain text box (never Wagtail's picker) with the expected format as its hint."""

    widget = None
    example = ""

    def __init__(self, *, widget=None, help_text="", **kwargs):
        super().__init__(
            widget=_without_picker(widget, type(self).widget),
            help_text=_with_example(help_text, self.example),
            **kwargs,
        )


class DateField(TypedDateMixin, forms.DateField):
    widget = DateInput
    example = DATE_EXAMPLE
    default_error_messages = {"invalid": "Enter a real date, for example 15/03/2026"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return parse_date(value)
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class DateTimeField(TypedDateMixin, forms.DateTimeField):
    """A date and a 24-hour time in London (Django makes it aware in TIME_ZONE); a time the
    clocks skip or repeat is refused rather than moved."""

    widget = DateTimeInput
    example = DATE_TIME_EXAMPLE
    default_error_messages = {
        "invalid": "Enter a real date and time, for example 10/02/2027 09:30",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value if timezone.is_aware(value) else from_current_timezone(value)
        if isinstance(value, date):
            return from_current_timezone(datetime.combine(value, time()))
        try:
            return from_current_timezone(parse_date_time(value))
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class DateFilter(django_filters.DateFilter):
    """A listing or report filter on a date, typed the same way."""

    field_class = DateField


def use_english_dates():
    """Make every admin form's model date and date-time fields these fields. Registered after
    Wagtail's own overrides (importing wagtail.admin.forms.models makes them), so these win."""
    register_form_field_override(models.DateField, override={"form_class": DateField})
    register_form_field_override(models.DateTimeField, override={"form_class": DateTimeField})
