from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the labels and autocomplete hints people and browsers expect,
    and a way to say the computer is shared, so that the sign-in ends with the browser."""

    shared_computer = forms.BooleanField(
        required=False,
        label="This is a shared computer",
        help_text="You will be signed out when you close the browser.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})
        # GOV.UK's wording for a missing answer says what to do, not what went wrong.
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.error_messages["invalid_login"] = (
            "Enter a correct username and password. Both are case-sensitive."
        )


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class TwoFactorCodeForm(forms.Form):
    """The code from an authenticator app: a short number that phones can fill in from a text
    message or app (`one-time-code`) and type on the number pad."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now. It changes every 30 seconds.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "autocapitalize": "none",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )


class RecoveryCodeForm(forms.Form):
    """One of the person's recovery codes, letters and digits, for when the phone is not to
    hand: no number pad, and no autofill from anything the browser remembers."""

    code = forms.CharField(
        label="Recovery code",
        help_text="One of the 10 recovery codes you were given when you set up. Each works once.",
        max_length=30,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
        error_messages={"required": "Enter one of your recovery codes"},
    )
