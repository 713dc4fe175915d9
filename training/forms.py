from django import forms


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

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        if not session.requires_manager_approval:
            del self.fields["line_manager_email"]
