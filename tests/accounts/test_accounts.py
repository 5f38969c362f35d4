"""Sign up, log in (throttled), log out, change and reset the password.

More on signing up in test_signup.py, on logging in by email in test_login_by_email.py."""

import re

import pytest
from django.core import mail
from django.test import Client

from backtp.accounts import mail as accounts_mail
from backtp.accounts.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_signing_up_creates_the_account_and_logs_in(client: Client) -> None:
    response = client.post("/accounts/signup/", {"email": "Ben@Example.com", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="ben@example.com")
    assert user.check_password(PASSWORD)
    home = client.get("/")
    assert home.context["user"] == user
    html = home.content.decode()
    assert "Welcome! Your account (ben@example.com) is ready." in html
    assert user.username not in html  # generated: nobody sees it


def test_signup_returns_to_a_safe_next_page_only(client: Client) -> None:
    data = {"email": "cy@example.com", "password": PASSWORD}
    response = client.post("/accounts/signup/?next=/muscles/", data)
    assert response["Location"] == "/muscles/"
    client.logout()
    data = {**data, "email": "di@example.com"}
    response = client.post("/accounts/signup/?next=https://evil.example/", data)
    assert response["Location"] == "/"


@pytest.mark.parametrize(
    "target", ["foo", "//evil.example", "https://evil.example", "/\\evil.example"]
)
@pytest.mark.parametrize("where", ["form", "query"])
def test_signup_ignores_a_next_that_is_not_a_local_path(client: Client, target, where) -> None:
    """A `next` that is not a path on this site is dropped: the person is signed up,
    logged in and lands on the home page (never a 500, never another site)."""
    data = {"email": "flo@example.com", "password": PASSWORD}
    if where == "form":
        response = client.post("/accounts/signup/", {**data, "next": target})
    else:
        form = client.get("/accounts/signup/", {"next": target})
        assert form.status_code == 200
        response = client.post("/accounts/signup/", {**data, "next": form.context["next"]})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").context["user"] == User.objects.get(email="flo@example.com")


def test_signup_follows_a_next_that_is_a_local_path(client: Client) -> None:
    data = {"email": "gus@example.com", "password": PASSWORD, "next": "/journal/"}
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 302 and response["Location"] == "/journal/"
    assert client.get("/journal/").status_code == 200


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password1234", "too common"),
        ("4829175630184", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(client: Client, password, message) -> None:
    response = client.post("/accounts/signup/", {"email": "eve@example.com", "password": password})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(email="eve@example.com").exists()


def test_logging_in_and_out(client: Client, person) -> None:
    response = client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert "Journal" in html and "Log out" in html
    assert client.get("/accounts/logout/").status_code == 405  # logging out needs a POST
    client.post("/accounts/logout/")
    assert "Log in" in client.get("/").content.decode()


def test_a_wrong_password_is_a_400_with_a_message(client: Client, person) -> None:
    response = client.post("/accounts/login/", {"username": person.username, "password": "nope"})
    assert response.status_code == 400
    assert "That email and password do not match an account." in response.content.decode()


def _fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> None:
    for _ in range(times):
        response = client.post(
            "/accounts/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )
        assert response.status_code == 400


def test_five_failures_lock_the_account_from_that_address_even_for_the_right_password(
    client: Client, person
) -> None:
    """More in tests/accounts/test_throttle.py: the owner's other addresses stay open."""
    _fail(client, person.username, 5)
    response = client.post(
        "/accounts/login/",
        {"username": person.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 429
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    other = client.post(
        "/accounts/login/",
        {"username": person.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_the_lock_lifts_after_fifteen_minutes(client: Client, person, monkeypatch) -> None:
    import django.core.cache.backends.locmem as locmem

    _fail(client, person.username, 5)
    real_time = locmem.time.time
    monkeypatch.setattr(locmem.time, "time", lambda: real_time() + 15 * 60 + 1)
    response = client.post(
        "/accounts/login/",
        {"username": person.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302


def test_changing_the_password_needs_the_old_one(client: Client, person) -> None:
    assert client.get("/accounts/password/change/")["Location"].startswith("/accounts/login/")
    client.force_login(person)
    new = "quince-lantern-harbour-7"
    bad = client.post(
        "/accounts/password/change/",
        {"old_password": "wrong", "new_password1": new, "new_password2": new},
    )
    assert bad.status_code == 400 and "incorrectly" in bad.content.decode()
    client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    person.refresh_from_db()
    assert person.check_password(new)


def test_resetting_a_forgotten_password_by_email(client: Client, person) -> None:
    response = client.post("/accounts/password/reset/", {"email": person.email})
    assert response["Location"] == "/accounts/password/reset/sent/"
    accounts_mail.wait_for_pending(timeout=10)  # the email leaves after the answer
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your backtp password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session value
    new = "quince-lantern-harbour-7"
    done = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/accounts/password/reset/done/"
    person.refresh_from_db()
    assert person.check_password(new)
    assert "expired" in client.get(link, follow=True).content.decode()


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client: Client) -> None:
    response = client.post(
        "/accounts/password/reset/", {"email": "nobody@example.com"}, follow=True
    )
    assert "If an account uses that address" in response.content.decode()
    accounts_mail.wait_for_pending(timeout=10)
    assert mail.outbox == []


def test_behind_the_proxy_each_client_address_is_counted_apart(client: Client, person, settings):
    """Behind the load balancer every request comes from its address: the client's
    own is the last X-Forwarded-For hop, and only that address gets locked."""
    settings.BEHIND_PROXY = True
    for _ in range(5):
        response = client.post(
            "/accounts/login/",
            {"username": person.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            headers={"X-Forwarded-For": "forged, 203.0.113.7"},
        )
        assert response.status_code == 400
    locked = client.post(
        "/accounts/login/",
        {"username": person.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        headers={"X-Forwarded-For": "another-forgery, 203.0.113.7"},
    )
    assert locked.status_code == 429
    other = client.post(
        "/accounts/login/",
        {"username": person.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        headers={"X-Forwarded-For": "198.51.100.4"},
    )
    assert other.status_code == 302
