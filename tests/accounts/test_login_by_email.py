"""Logging in by email (accounts/backends.py): in any case; an older account also by its
username; several accounts on one address; the hasher runs as often whether the address
has an account or not; throttling counts the identifier typed."""

from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import aauthenticate, authenticate
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.utils import timezone

from backtp.accounts.models import User
from tests.accounts.test_throttle import OWNER, STRANGER, fail, log_in, reset_password
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

INVALID = "That email and password do not match an account."


class CountingHasher(MD5PasswordHasher):
    """The tests' fast hasher, counting how often it hashes."""

    runs = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.runs += 1
        return super().encode(password, salt)


@pytest.fixture
def hashes(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]

    def count(**credentials) -> tuple[User | None, int]:
        CountingHasher.runs = 0
        user = authenticate(None, **credentials)
        return user, CountingHasher.runs

    return count


def test_a_new_account_logs_in_with_its_email_in_any_case(client: Client) -> None:
    client.post("/accounts/signup/", {"email": "ana@example.com", "password": PASSWORD})
    client.post("/accounts/logout/")
    for typed in ("ana@example.com", " Ana@Example.COM "):
        response = client.post("/accounts/login/", {"username": typed, "password": PASSWORD})
        assert response.status_code == 302, response.content.decode()
        assert client.get("/").context["user"].email == "ana@example.com"
        client.post("/accounts/logout/")


def test_an_older_account_logs_in_with_its_username_or_its_email(client: Client) -> None:
    old = UserFactory(username="ben", email="Ben@Example.com")  # as typed back then
    for typed in ("ben", "ben@example.com", "BEN@EXAMPLE.COM"):
        response = client.post("/accounts/login/", {"username": typed, "password": PASSWORD})
        assert response.status_code == 302, typed
        assert client.get("/").context["user"] == old
        client.post("/accounts/logout/")


def test_a_wrong_password_or_an_unknown_address_is_the_same_400(client: Client, person) -> None:
    wrong = client.post("/accounts/login/", {"username": person.email, "password": "nope"})
    unknown = client.post("/accounts/login/", {"username": "no@example.com", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 400
    assert INVALID in wrong.content.decode() and INVALID in unknown.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "", "password": PASSWORD}, "This field is required."),
        ({"password": PASSWORD}, "This field is required."),
        ({"username": "ana@example.com"}, "This field is required."),
        ({"username": "a" * 250 + "@example.com", "password": PASSWORD}, "at most 254"),
        ({"username": "\u202e\ufeff\x00", "password": PASSWORD}, "Null characters"),
        ({"username": "\u202e\ufeff", "password": "\U0001f600" * 20}, INVALID),
    ],
)
def test_bad_input_is_a_400_with_a_message(client: Client, person, data, message) -> None:
    response = client.post("/accounts/login/", data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_login_form_asks_for_an_email_and_says_who_may_use_a_username(client: Client):
    html = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">Email</label>' in html
    assert "Accounts made before December 2026 can also use their username." in html
    assert 'autocomplete="username"' in html and 'inputmode="email"' in html
    assert 'maxlength="254"' in html
    assert 'autocomplete="current-password"' in html
    assert 'aria-controls="id_password"' in html  # the show-password button
    assert "js/password-toggle." in html


# Several accounts on one address ---------------------------------------------------------


def test_accounts_sharing_an_address_each_log_in_with_their_own_password() -> None:
    first = UserFactory(email="kim@example.com", password="first-pw-kettle-1")
    second = UserFactory(email="kim@example.com", password="second-pw-kettle-2")
    assert authenticate(None, username="kim@example.com", password="first-pw-kettle-1") == first
    assert authenticate(None, username="KIM@example.com", password="second-pw-kettle-2") == second
    assert authenticate(None, username="kim@example.com", password="neither") is None


def test_accounts_sharing_an_address_and_a_password_log_in_to_the_latest_used() -> None:
    now = timezone.now()
    older = UserFactory(email="kim@example.com", last_login=now - timedelta(days=2))
    latest = UserFactory(email="kim@example.com", last_login=now - timedelta(days=1))
    never = UserFactory(email="kim@example.com", last_login=None)
    assert authenticate(None, username="kim@example.com", password=PASSWORD) == latest
    latest.is_active = False
    latest.save()
    assert authenticate(None, username="kim@example.com", password=PASSWORD) == older
    older.delete()
    assert authenticate(None, username="kim@example.com", password=PASSWORD) == never


def test_an_account_with_no_email_is_not_found_by_an_empty_one() -> None:
    UserFactory(username="admin-made", email="")
    assert authenticate(None, username="", password=PASSWORD) is None
    assert authenticate(None, username="  ", password=PASSWORD) is None
    assert authenticate(None, username="admin-made", password=PASSWORD) is not None


def test_the_async_path_finds_accounts_by_email_too(person) -> None:
    found = async_to_sync(aauthenticate)(None, username=person.email.upper(), password=PASSWORD)
    assert found == person


# As long whether or not the address has an account --------------------------------------


def test_the_hasher_runs_once_whether_or_not_the_address_has_an_account(hashes, person) -> None:
    assert hashes(username="nobody@example.com", password="wrong") == (None, 1)
    assert hashes(username="", password="wrong") == (None, 1)
    assert hashes(username=person.email, password="wrong") == (None, 1)
    assert hashes(username=person.username, password="wrong") == (None, 1)
    assert hashes(username=person.email, password=PASSWORD) == (person, 1)


def test_an_address_with_many_accounts_is_checked_a_bounded_number_of_times(hashes) -> None:
    UserFactory.create_batch(8, email="many@example.com")
    user, runs = hashes(username="many@example.com", password="wrong")
    assert user is None and runs == 5


# Throttling ------------------------------------------------------------------------------


def test_failures_by_email_lock_that_address_whatever_the_case(person) -> None:
    stranger = Client()
    fail(stranger, person.email, STRANGER, 5)
    assert log_in(stranger, person.email, PASSWORD, STRANGER) == 429
    assert log_in(stranger, f" {person.email.upper()} ", PASSWORD, STRANGER) == 429
    assert log_in(Client(), person.email, PASSWORD, OWNER) == 302


def test_a_password_reset_lifts_the_locks_on_the_email_too(person) -> None:
    owner = Client()
    fail(owner, person.email.upper(), OWNER, 5)
    assert log_in(owner, person.email, PASSWORD, OWNER) == 429
    reset_password(Client(), person)
    assert log_in(owner, person.email, "quince-lantern-harbour-7", OWNER) == 302


def test_the_admin_takes_a_staff_members_email(client: Client) -> None:
    boss = UserFactory(email="boss@example.com", is_staff=True, is_superuser=True)
    response = client.post("/admin/login/", {"username": "Boss@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/admin/").context["user"] == boss
    assert client.get("/admin/accounts/user/").status_code == 200
