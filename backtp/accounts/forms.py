from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from backtp.accounts import throttle
from backtp.accounts.models import User

LOCKED_MESSAGE = (
    "Too many failed attempts. For your safety, logging in is paused for 15 minutes. "
    "If you have forgotten your password, you can reset it now."
)


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        help_text="Only for resetting your password. We never send anything else."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email already exists.")
        return email


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request else ""


class ThrottledAuthenticationForm(AuthenticationForm):
    """The standard login form, refusing attempts once an account or address is locked."""

    locked = False

    def clean(self) -> dict:
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if throttle.is_locked(username, address):
            self.locked = True
            raise forms.ValidationError(LOCKED_MESSAGE, code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.clear_failures(username)
        return cleaned
