"""Login throttling counts failures per account and address together, so a stranger
cannot lock the owner out; one address is also stopped after many failures across
usernames; a password reset lifts the account's locks everywhere."""

import logging

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

OWNER = "10.0.0.1"
STRANGER = "192.0.2.66"
NEW_PASSWORD = "quince-lantern-harbour-7"

REDIS_DOWN = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    },
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}


def log_in(client: Client, username: str, password: str, address: str) -> int:
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


def fail(client: Client, username: str, address: str, times: int) -> None:
    for _ in range(times):
        assert log_in(client, username, "wrong", address) == 400


def reset_password(client: Client, user, new_password: str = NEW_PASSWORD) -> None:
    """The reset link's page, as the emailed link would open it."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    form_url = client.get(f"/accounts/password/reset/{uid}/{token}/")["Location"]
    done = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert done["Location"] == "/accounts/password/reset/done/"


def test_a_strangers_failures_lock_the_stranger_out_not_the_owner(person) -> None:
    stranger, owner = Client(), Client()
    assert settings.LOGIN_FAILURE_LIMIT == 5
    fail(stranger, person.username, STRANGER, 5)
    response = stranger.post(
        "/accounts/login/",
        {"username": person.username, "password": PASSWORD},
        REMOTE_ADDR=STRANGER,
    )
    assert response.status_code == 429  # even with the right password
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in stranger.session
    # Nor can the stranger dodge it by writing the name another way.
    assert log_in(stranger, f" {person.username.upper()} ", "wrong", STRANGER) == 429
    assert log_in(owner, person.username, PASSWORD, OWNER) == 302


def test_one_address_trying_many_usernames_is_stopped_at_the_address_limit(
    client: Client, person
) -> None:
    limit = settings.LOGIN_FAILURE_ADDRESS_LIMIT
    assert limit > settings.LOGIN_FAILURE_LIMIT
    for n in range(limit):
        fail(client, f"guess{n}", STRANGER, 1)
    assert log_in(client, "guess-next", "wrong", STRANGER) == 429
    assert log_in(client, person.username, PASSWORD, STRANGER) == 429
    assert log_in(Client(), person.username, PASSWORD, OWNER) == 302


def test_a_success_clears_the_failures_from_that_address(client: Client, person) -> None:
    fail(client, person.username, OWNER, 4)
    assert log_in(client, person.username, PASSWORD, OWNER) == 302
    client.post("/accounts/logout/")
    fail(client, person.username, OWNER, 4)
    assert log_in(client, person.username, PASSWORD, OWNER) == 302


def test_a_password_reset_lifts_the_owners_own_lock_and_every_other(person) -> None:
    owner, stranger = Client(), Client()
    fail(owner, person.username, OWNER, 5)
    fail(stranger, person.username, STRANGER, 5)
    assert log_in(owner, person.username, PASSWORD, OWNER) == 429
    reset_password(Client(), person)
    assert log_in(owner, person.username, NEW_PASSWORD, OWNER) == 302
    # The stranger's address starts again from nothing too: five more tries, then locked.
    fail(stranger, person.username, STRANGER, 5)
    assert log_in(stranger, person.username, NEW_PASSWORD, STRANGER) == 429


def test_with_redis_down_a_password_reset_still_works(settings, person, caplog) -> None:
    settings.CACHES = REDIS_DOWN
    with caplog.at_level(logging.WARNING, logger="backtp.throttle"):
        reset_password(Client(), person)
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert any("login throttling unavailable" in r.getMessage() for r in caplog.records)
