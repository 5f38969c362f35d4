from functools import partial
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest

from backtp.accounts import mail, throttle
from backtp.accounts.models import User

LOCKED_MESSAGE = (
    "Too many failed attempts. For your safety, logging in is paused for 15 minutes. "
    "If you have forgotten your password, you can reset it now."
)


USERNAME_HELP = (
    "You log in with it. Anyone can find out whether a username is taken, so please "
    "don't use your email address or your real name. Letters, numbers and @ . + - _ only."
)


class SignupForm(UserCreationForm):
    """Never says whether an email already has an account: emails need not be unique
    (a reset link goes to every account with that address). Usernames must be, so a
    taken one is refused, and the help text asks for one that says nothing about you."""

    email = forms.EmailField(
        help_text="Only for resetting your password. We never send anything else."
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
        help_texts = {"username": USERNAME_HELP}

    def clean_username(self) -> str:
        username = super().clean_username()  # None when taken (the error is then set)
        if username and "@" in username:
            try:
                validate_email(username)
            except ValidationError:
                return username
            raise forms.ValidationError(
                "Please choose a username that is not an email address. "
                "Anyone can find out whether a username is in use."
            )
        return username

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class PasswordResetByEmailForm(PasswordResetForm):
    """Django's reset form, but the email is rendered and sent on the mail thread
    (accounts/mail.py): the answer takes as long whether the address has an account
    or not."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        mail.send_later(
            partial(
                super().send_mail,
                subject_template_name,
                email_template_name,
                context,
                from_email,
                to_email,
                html_email_template_name=html_email_template_name,
            )
        )


class ResetPasswordForm(SetPasswordForm):
    """The new-password form of a reset link: saving it also lifts every login lock on
    the account, so whoever locked it out cannot keep its owner out."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)
        throttle.forget_failures(user.get_username())
        return user


def client_address(request: HttpRequest | None) -> str:
    """Who is asking. Behind our proxy, REMOTE_ADDR is the proxy itself; the last
    X-Forwarded-For hop is the address the proxy saw (earlier hops are the client's
    own claims and can be forged)."""
    if not request:
        return ""
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


class ThrottledAuthenticationForm(AuthenticationForm):
    """The site's login form: refuses attempts once this account from this address, or
    this address, is locked, and counts failures (accounts/throttle.py)."""

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
        throttle.clear_failures(username, address)
        return cleaned


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's login form, held to the same limits as the site's."""


class SettingsForm(forms.ModelForm):
    # The model's range, also as the input's min and max.
    sessions_per_day = forms.IntegerField(
        min_value=1,
        max_value=10,
        label="Short sessions a day",
        help_text="Several short sessions a day work better than one long one; "
        "5 to 7 suits most people.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    contraindications = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Conditions that limit self-treatment",
        help_text=(
            "Ticked ones are remembered for the safety check and change which techniques you see."
        ),
    )

    class Meta:
        model = User
        fields = ("sessions_per_day", "contraindications")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from backtp.catalog.models import RedFlag

        super().__init__(*args, **kwargs)
        flags = RedFlag.objects.filter(level=RedFlag.Level.CONTRAINDICATION)
        cast(forms.ChoiceField, self.fields["contraindications"]).choices = [
            (f.slug, f.question) for f in flags
        ]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput, label="Your password, to confirm it is you"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password
