from django import forms

from .models.booking import ACCESS_NEEDS_MAX


class BookingForm(forms.Form):
    """Confirming a booking; the line manager's address only where the session needs approval."""

    line_manager_email = forms.EmailField(
        label="Your line manager's email address",
        required=False,
        help_text="We will email them a link to approve your place. They do not need an account.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter your line manager's email address in the correct format, like "
            "name@example.org."
        },
    )

    access_needs = forms.CharField(
        label="Anything you need so that you can take part (optional)",
        required=False,
        max_length=ACCESS_NEEDS_MAX,
        help_text="For example step-free access, a hearing loop, a quiet room or breaks. Only "
        "the session's trainers see this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"Tell us your access needs in {ACCESS_NEEDS_MAX} characters or fewer."
        },
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        if not session.requires_manager_approval:
            del self.fields["line_manager_email"]
