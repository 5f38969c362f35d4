"""Neither sign-up nor password reset tells anyone whether an email has an account:
sign-up with a taken email succeeds like any other, and a reset answers as fast for an
address with an account as for one without (the email leaves after the answer)."""

import re
import time

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client

from backtp.accounts import mail as accounts_mail
from backtp.accounts.models import User

pytestmark = pytest.mark.django_db

SLOW_SECONDS = 0.5


class SlowEmailBackend(EmailBackend):
    """The test outbox, behind a mail server that takes half a second per message."""

    def send_messages(self, email_messages):
        time.sleep(SLOW_SECONDS)
        return super().send_messages(email_messages)


# Not PASSWORD ("pw-person-12345"): Django's similarity check refuses it next to an
# address such as person123@example.com, which the factories make once they pass 100.
SIGNUP_PASSWORD = "amber-kettle-lantern-57"


def _signup(client: Client, username: str, email: str):
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "email": email,
            "password1": SIGNUP_PASSWORD,
            "password2": SIGNUP_PASSWORD,
        },
    )


# Sign-up -----------------------------------------------------------------------------


def test_signing_up_with_a_taken_email_looks_the_same_as_with_a_new_one(person) -> None:
    new = _signup(Client(), "newcomer", "newcomer@example.com")
    taken = _signup(Client(), "copycat", person.email.upper())
    assert new.status_code == taken.status_code == 302
    assert new["Location"] == taken["Location"] == "/"
    assert User.objects.filter(email__iexact=person.email).count() == 2


def test_a_taken_username_is_still_refused_with_a_plain_message(person) -> None:
    response = _signup(Client(), person.username, "someone-else@example.com")
    assert response.status_code == 400
    assert "username already exists" in response.content.decode()


def test_the_username_field_says_not_to_use_an_email_or_real_name(client: Client) -> None:
    html = client.get("/accounts/signup/").content.decode()
    assert "your email address or your real name" in html


def test_an_email_address_as_username_is_refused(client: Client) -> None:
    response = _signup(client, "ben@example.com", "ben@example.com")
    assert response.status_code == 400
    assert "not an email address" in response.content.decode()
    assert not User.objects.filter(username="ben@example.com").exists()


# Password reset ------------------------------------------------------------------------


def _timed_reset(client: Client, email: str):
    start = time.perf_counter()
    response = client.post("/accounts/password/reset/", {"email": email})
    return response, time.perf_counter() - start


def test_a_reset_answers_as_fast_for_an_existing_account_as_for_a_missing_one(
    settings, person
) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{SlowEmailBackend.__module__}.SlowEmailBackend"}}
    client = Client()
    client.get("/accounts/password/reset/")  # templates loaded before anything is timed
    existing, existing_seconds = _timed_reset(client, person.email)
    missing, missing_seconds = _timed_reset(client, "nobody@example.com")

    assert (existing.status_code, existing["Location"]) == (
        missing.status_code,
        missing["Location"],
    )
    assert existing_seconds < SLOW_SECONDS / 2, existing_seconds
    assert missing_seconds < SLOW_SECONDS / 2, missing_seconds

    accounts_mail.wait_for_pending(timeout=10)
    assert [m.to for m in mail.outbox] == [[person.email]]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link
    form_url = client.get(link.group(1))["Location"]
    assert "set-password" in form_url


def test_an_email_that_cannot_be_sent_is_logged_not_shown(settings, person, caplog) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 1},  # nothing listens
        }
    }
    response = Client().post("/accounts/password/reset/", {"email": person.email})
    assert response["Location"] == "/accounts/password/reset/sent/"
    accounts_mail.wait_for_pending(timeout=10)
    assert any(r.levelname in {"ERROR", "WARNING"} for r in caplog.records)
