"""Signing up: an email and one password, its rules stated once in plain words (made
from the configured validators), the username generated and never shown; bad input is a
400 with a message next to the field. Enumeration: test_enumeration.py."""

import re

import pytest
from django.contrib.auth import password_validation
from django.test import Client

from backtp.accounts.forms import password_rules
from backtp.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RULES = "At least 10 characters; not too like your email; not a common password; not only numbers."


def sign_up(client: Client, data: dict) -> object:
    return client.post("/accounts/signup/", data)


def field_block(html: str, name: str) -> str:
    """The .field block of one form field: its label, input, errors and help."""
    match = re.search(
        rf'<div class="field[^"]*">\s*<label for="id_{name}">.*?(?=<div class="field[ "]|</form>)',
        html,
        re.S,
    )
    assert match, name
    return match.group(0)


# The rules ----------------------------------------------------------------------------


def test_the_rules_are_the_configured_validators_in_plain_words() -> None:
    assert password_rules() == RULES


def test_every_configured_validator_has_plain_words() -> None:
    """A validator added to AUTH_PASSWORD_VALIDATORS without plain words in
    password_rules() would show Django's own help text: this fails until it has some."""
    for validator in password_validation.get_default_password_validators():
        assert str(validator.get_help_text()) not in password_rules(), type(validator)


def test_the_rules_follow_the_settings(settings) -> None:
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 14},
        },
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    ]
    assert password_rules() == "At least 14 characters; not only numbers."
    html = Client().get("/accounts/signup/").content.decode()
    assert "At least 14 characters; not only numbers." in html


def test_the_page_asks_for_an_email_and_one_password_and_states_the_rules_once(
    client: Client,
) -> None:
    html = client.get("/accounts/signup/").content.decode()
    assert html.count(RULES) == 1
    assert RULES in field_block(html, "password")
    for stock in ("Password confirmation", "can’t be too similar", "Username", "password1"):
        assert stock not in html
    assert re.search(r'<input type="email" name="email"[^>]*autocomplete="email"', html)
    assert re.search(
        r'<input type="password" name="password"[^>]*autocomplete="new-password"', html
    )


def test_the_password_has_a_show_button_that_stays_hidden_without_javascript(
    client: Client,
) -> None:
    html = client.get("/accounts/signup/").content.decode()
    button = re.search(r"<button[^>]*password-toggle[^>]*>[^<]*</button>", html)
    assert button
    assert 'type="button"' in button.group(0)
    assert 'aria-controls="id_password"' in button.group(0)
    assert " hidden>" in button.group(0)  # password-toggle.js reveals it
    assert re.search(r'<script type="module" src="/static/js/password-toggle\.[0-9a-f]+\.js"', html)


# Signing up ---------------------------------------------------------------------------


def test_the_account_gets_a_generated_username_nobody_sees(client: Client) -> None:
    sign_up(client, {"email": "ana@example.com", "password": PASSWORD})
    sign_up(Client(), {"email": "ana@example.com", "password": PASSWORD})
    first, second = User.objects.filter(email="ana@example.com").order_by("pk")
    for user in (first, second):
        assert re.fullmatch(r"u-[0-9a-f]{16}", user.username)
    assert first.username != second.username
    html = client.get("/").content.decode()
    assert first.username not in html and "ana@example.com" in html


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short. It must contain at least 10 characters."),
        ("password1234", "This password is too common."),
        ("4829175630184", "This password is entirely numeric."),
        ("lanternharbour1", "The password is too similar to the email address."),
    ],
)
def test_a_weak_password_is_refused_next_to_the_field_with_the_rules(
    client: Client, password: str, message: str
) -> None:
    response = sign_up(client, {"email": "lanternharbour@example.com", "password": password})
    assert response.status_code == 400
    block = field_block(response.content.decode(), "password")
    assert message in block and RULES in block
    assert 'value="lanternharbour@example.com"' in response.content.decode()  # kept
    assert password not in response.content.decode()  # never sent back
    assert not User.objects.exists()


LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".example"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"email": "", "password": PASSWORD}, "email", "This field is required."),
        ({"password": PASSWORD}, "email", "This field is required."),
        ({"email": "ana@example.com"}, "password", "This field is required."),
        ({"email": "ana@example.com", "password": ""}, "password", "This field is required."),
        ({"email": LONG_EMAIL, "password": PASSWORD}, "email", "at most 254 characters"),
        ({"email": "not an address", "password": PASSWORD}, "email", "valid email address"),
        ({"email": "\u202e\ufeff@\u0000", "password": PASSWORD}, "email", "Null characters"),
        ({"email": "\u202e\ufeff", "password": PASSWORD}, "email", "valid email address"),
        ({"email": "ana@example.com", "password": "a\x00bcdefghijk"}, "password", "Null char"),
        ({"email": "ana@example.com", "password": "\ufeff" * 3}, "password", "too short"),
    ],
)
def test_bad_input_is_a_400_with_a_message_next_to_the_field(
    client: Client, data: dict, field: str, message: str
) -> None:
    response = sign_up(client, data)
    assert response.status_code == 400
    assert message in field_block(response.content.decode(), field)
    assert not User.objects.exists()


def test_nothing_at_all_is_a_400_naming_both_fields(client: Client) -> None:
    response = sign_up(client, {})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"email", "password"}
