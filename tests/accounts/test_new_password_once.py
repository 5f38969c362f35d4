"""Changing or resetting a password asks for the new one once, as sign-up does (with a
Show button), and states the rules once in plain words, not Django's list."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from backtp.accounts.forms import password_rules
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "amber-kettle-lantern-57"
CHANGE = "/accounts/password/change/"


def _password_inputs(html: str) -> list[str]:
    return re.findall(r'<input type="password" name="([a-z_0-9]+)"', html)


def test_changing_asks_for_the_old_and_the_new_once_with_the_rules_once(
    person_client: Client,
) -> None:
    html = person_client.get(CHANGE).content.decode()
    assert _password_inputs(html) == ["old_password", "new_password1"]
    assert html.count(password_rules()) == 1
    assert "Your password can’t be" not in html  # Django's stock list


def test_a_change_takes_the_new_password(person_client: Client, person) -> None:
    response = person_client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short", "This password is too short"),
        ("1234567890123", "entirely numeric"),
        ("", "required"),
    ],
)
def test_a_weak_new_password_is_refused_next_to_the_field(
    person_client: Client, person, new: str, message: str
) -> None:
    response = person_client.post(CHANGE, {"old_password": PASSWORD, "new_password1": new})
    assert response.status_code == 400
    assert message in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_a_wrong_old_password_changes_nothing(person_client: Client, person) -> None:
    person_client.post(CHANGE, {"old_password": "not-it", "new_password1": NEW})
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_a_reset_link_asks_for_the_new_password_once(client: Client, person) -> None:
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    form_url = client.get(f"/accounts/password/reset/{uid}/{token}/")["Location"]
    html = client.get(form_url).content.decode()
    assert _password_inputs(html) == ["new_password1"]
    assert html.count(password_rules()) == 1
    weak = client.post(form_url, {"new_password1": "short"})
    assert weak.status_code == 400 and "too short" in weak.content.decode()
    assert client.post(form_url, {"new_password1": NEW}).status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW)
