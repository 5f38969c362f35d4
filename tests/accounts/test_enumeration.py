"""Neither sign-up nor password reset tells anyone whether an email has an account:
sign-up with a taken email succeeds like any other, and a reset answers as fast for an
address with an account as for one without (the email leaves after the answer). Logging
in runs the password hasher as often for an unknown address: test_login_by_email.py."""

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


def _signup(client: Client, email: str):
    return client.post("/accounts/signup/", {"email": email, "password": SIGNUP_PASSWORD})


# Sign-up -----------------------------------------------------------------------------


def _welcome(client: Client, email: str) -> str:
    """The page the person lands on, with their own address taken out."""
    html = client.get("/").content.decode()
    match = re.search(r"Welcome![^<]*", html)
    assert match
    return match.group(0).replace(email, "EMAIL")


def test_signing_up_with_a_taken_email_looks_the_same_as_with_a_new_one(person) -> None:
    new_client, taken_client = Client(), Client()
    new = _signup(new_client, "newcomer@example.com")
    taken = _signup(taken_client, person.email.upper())
    assert new.status_code == taken.status_code == 302
    assert new["Location"] == taken["Location"] == "/"
    assert _welcome(new_client, "newcomer@example.com") == _welcome(taken_client, person.email)
    assert User.objects.filter(email__iexact=person.email).count() == 2


def test_a_taken_email_with_a_weak_password_is_refused_like_a_new_one(person) -> None:
    """The only refusals are about the password and the address's form, never its use."""
    new = Client().post("/accounts/signup/", {"email": "newcomer@example.com", "password": "short"})
    taken = Client().post("/accounts/signup/", {"email": person.email, "password": "short"})
    assert new.status_code == taken.status_code == 400
    assert [str(e) for e in new.context["form"].errors.get("password", [])] == [
        str(e) for e in taken.context["form"].errors.get("password", [])
    ]
    assert set(new.context["form"].errors) == set(taken.context["form"].errors) == {"password"}


def test_sign_up_asks_for_no_username(client: Client) -> None:
    """Anyone can find out whether a username is taken; there is none to choose."""
    form = client.get("/accounts/signup/").context["form"]
    assert list(form.fields) == ["email", "password"]


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
