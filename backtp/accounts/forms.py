import secrets
from functools import partial
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.views.decorators.debug import sensitive_variables

from backtp.accounts import mail, throttle
from backtp.accounts.models import User

LOCKED_MESSAGE = (
    "Too many failed attempts. For your safety, logging in is paused for 15 minutes. "
    "If you have forgotten your password, you can reset it now."
)


# When sign-up stopped asking for a username: older accounts may still log in with theirs.
EMAIL_ONLY_SINCE = "December 2026"


def password_rules() -> str:
    """The configured password validators' rules, in plain words and in one line.

    Made from AUTH_PASSWORD_VALIDATORS, so the rules the page states are the rules
    applied; a validator without plain words here is described by its own help text
    (tests/accounts/test_signup.py fails until it has some)."""
    length = ""
    rules = []
    for validator in password_validation.get_default_password_validators():
        if isinstance(validator, password_validation.MinimumLengthValidator):
            length = f"At least {validator.min_length} characters"
        elif isinstance(validator, password_validation.CommonPasswordValidator):
            rules.append("not a common password")
        elif isinstance(validator, password_validation.NumericPasswordValidator):
            rules.append("not only numbers")
        elif isinstance(validator, password_validation.UserAttributeSimilarityValidator):
            if "email" in validator.user_attributes:
                rules.append("not too like your email")
        else:
            rules.append(str(validator.get_help_text()))
    if length:
        rules.insert(0, length)
    text = "; ".join(rules)
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def generated_username() -> str:
    """The username of an account made from an email and a password: "u-" and 16 random
    hex digits. Nobody types or sees it; it exists because the user model needs a unique
    username. Unique: drawn again while any account (older ones chose their own) has it in
    any case; two sign-ups drawing the same 64 random bits at once is not a real risk, and
    the database's unique constraint would refuse the second."""
    while True:
        username = f"u-{secrets.token_hex(8)}"
        if not User.objects.filter(username__iexact=username).exists():
            return username


class SignupForm(forms.ModelForm):
    """A new account from an email and one password (its rules stated once, plainly).

    Never says whether an email already has an account: emails need not be unique (a
    reset link goes to every account with that address, and logging in tries each), so
    a taken email signs up like a new one. The username is generated_username()."""

    email = forms.EmailField(
        label="Email",
        max_length=254,
        help_text="You log in with it, and a reset link comes to it if you forget your "
        "password. We never send anything else.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ("email",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = password_rules()

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    @sensitive_variables("password")
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            # The similarity rule compares the password with the account's email.
            self.instance.email = cleaned.get("email") or ""
            try:
                password_validation.validate_password(password, self.instance)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned

    def save(self, commit: bool = True) -> User:
        user: User = super().save(commit=False)
        user.username = generated_username()
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


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


class OneNewPassword(SetPasswordForm):
    """A new password typed once, as at sign-up: the page's Show button lets the person
    check it, and the rules are stated once in plain words (password_rules)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["new_password2"]
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = password_rules()

    def clean(self) -> dict[str, Any]:
        # SetPasswordForm.clean compares and validates the second field, which this form
        # does not have: validate the one there is.
        cleaned = forms.Form.clean(self) or {}
        self.validate_password_for_user(self.user, "new_password1")
        return cleaned


class ChangePasswordForm(OneNewPassword, PasswordChangeForm):
    """Changing the password: the old one, then the new one once."""


class ResetPasswordForm(OneNewPassword):
    """The new-password form of a reset link: saving it also lifts every login lock on
    the account, so whoever locked it out cannot keep its owner out."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)
        # Locks are counted per identifier typed: the username (older accounts) or email.
        throttle.forget_failures(user.get_username())
        if user.email:
            throttle.forget_failures(user.email)
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
    """The site's login form, by email (or an older account's username; the backend is
    accounts/backends.py): refuses attempts once this identifier from this address, or
    this address, is locked, and counts failures (accounts/throttle.py)."""

    username = forms.CharField(
        label="Email",
        max_length=254,
        help_text=f"Accounts made before {EMAIL_ONLY_SINCE} can also use their username.",
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                # Not type="email": an older account's username has no @.
                "inputmode": "email",
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account. Check both, "
        "or reset your password if you have forgotten it.",
    }
    locked = False

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        # Django sets the username's length; an email may be longer.
        self.fields["username"].widget.attrs["maxlength"] = 254

    def clean(self) -> dict:
        # The throttle counts the identifier as typed, whatever its case or spaces.
        identifier = (self.cleaned_data.get("username") or "").strip().lower()
        address = client_address(self.request)
        if throttle.is_locked(identifier, address):
            self.locked = True
            raise forms.ValidationError(LOCKED_MESSAGE, code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(identifier, address)
            raise
        throttle.clear_failures(identifier, address)
        return cleaned


class ThrottledAdminAuthenticationForm(ThrottledAuthenticationForm, AdminAuthenticationForm):
    """The admin's login form, held to the same limits as the site's."""

    error_messages = AdminAuthenticationForm.error_messages


class SettingsForm(forms.ModelForm):
    """The conditions a person has told us of. How many sessions a day, and when, are set
    with the reminder times (backtp/reminders/forms.py)."""

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
        fields = ("contraindications",)

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
