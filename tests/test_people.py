"""With Redis, a logged-in page reads its session, the catalogue version and the
person's row in one round trip (backtp.accounts.sessions, backtp.accounts.people), and
a change to the person (password, deactivation, a new journal entry, deletion) shows on
their very next request, whichever process serves it."""

import os

import pytest
import redis
from django.db import transaction
from django.test import Client

from backtp.accounts import people
from tests.test_session_log import payload, post

pytestmark = pytest.mark.django_db(transaction=True)  # changes must really commit

PASSWORD = "pw-ana-12345"


@pytest.fixture
def shared_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "backtp.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
            "KEY_PREFIX": f"backtp-test-{os.getpid()}",
        }
    }
    settings.SESSION_ENGINE = "backtp.accounts.sessions"
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def ana(django_user_model):
    return django_user_model.objects.create_user("ana", "ana@example.com", PASSWORD)


def logged_in() -> Client:
    client = Client()
    assert client.login(username="ana", password=PASSWORD)
    return client


@pytest.fixture
def sent(monkeypatch) -> list[str]:
    """Every command sent to Redis, once recording starts (sent.append('start'))."""
    commands: list[str] = []
    real = redis.Redis.execute_command

    def recording(self, *args, **options):
        if commands and commands[0] == "start":
            commands.append(str(args[0]).upper())
        return real(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", recording)
    return commands


def test_a_cached_personal_page_is_one_round_trip_and_no_query(
    shared_cache, ana, live_catalog, sent, django_assert_num_queries
) -> None:
    client = logged_in()
    for _ in range(2):  # the first request copies the row, the second builds the page
        assert "Your journal" in client.get("/journal/").content.decode()
    sent.append("start")
    with django_assert_num_queries(0):
        assert "Your journal" in client.get("/journal/").content.decode()
    assert sent[1:] == ["EVALSHA"]


def test_a_password_changed_elsewhere_logs_this_session_out(shared_cache, ana) -> None:
    phone = logged_in()
    assert phone.get("/journal/").status_code == 200  # its copy of the row is made
    laptop = logged_in()
    new = "quince-lantern-harbour-7"
    response = laptop.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert laptop.get("/journal/").status_code == 200  # the session that changed it stays
    assert phone.get("/journal/")["Location"].startswith("/accounts/login/")


def test_a_deactivated_person_is_logged_out_at_once(shared_cache, ana) -> None:
    client = logged_in()
    assert client.get("/journal/").status_code == 200
    assert client.get("/journal/").status_code == 200  # from the copy
    ana.is_active = False
    ana.save()
    assert client.get("/journal/").status_code == 302


def test_a_deleted_person_is_logged_out_at_once(shared_cache, ana) -> None:
    client = logged_in()
    assert client.get("/journal/").status_code == 200
    ana.delete()
    assert client.get("/journal/").status_code == 302


def test_a_saved_session_is_in_the_journal_on_the_next_request(shared_cache, ana, live_catalog):
    client = logged_in()
    for _ in range(2):
        assert "6 → 4" not in client.get("/journal/").content.decode()
    assert post(client, payload()).status_code == 201
    assert "6 → 4" in client.get("/journal/").content.decode()


def test_a_copy_read_before_a_change_committed_is_never_used(shared_cache, ana) -> None:
    """The race a plain cache would lose: the row is read, the person changes and the
    change commits, and only then is the (old) row stored."""
    client = logged_in()
    real_by_pk = people.rows.by_pk

    def read_then_change(model, pk):
        row = real_by_pk(model, pk)  # the old row, with ana still active
        with transaction.atomic():
            type(ana).objects.filter(pk=ana.pk).update(is_active=False)
            people.changed(ana.pk)
        return row

    people.rows.by_pk = read_then_change
    try:
        assert client.get("/journal/").status_code == 200  # served from the old row, once
    finally:
        people.rows.by_pk = real_by_pk
    assert client.get("/journal/").status_code == 302  # the stored copy is not used


def test_copies_are_kept_per_session_and_expire(shared_cache, ana) -> None:
    client = logged_in()
    client.get("/journal/")
    key = shared_cache.make_key(people.COPY + client.cookies["sessionid"].value)
    raw = shared_cache.raw()
    assert raw.hget(key, "pk") == str(ana.pk).encode()
    assert 0 < raw.ttl(key) <= people.COPY_SECONDS


def test_with_the_script_forgotten_by_redis_pages_still_work(shared_cache, ana) -> None:
    client = logged_in()
    assert client.get("/journal/").status_code == 200
    shared_cache.raw().script_flush()
    assert "Your journal" in client.get("/journal/").content.decode()


def test_a_session_redis_lost_is_read_from_the_database(shared_cache, ana) -> None:
    client = logged_in()
    assert client.get("/journal/").status_code == 200
    shared_cache.clear()  # a Redis restart: sessions, copies and stamps all gone
    assert "Your journal" in client.get("/journal/").content.decode()
    assert "Your journal" in client.get("/journal/").content.decode()


def test_without_redis_the_person_comes_from_the_database(ana, django_assert_num_queries):
    client = logged_in()
    client.get("/journal/")
    with django_assert_num_queries(3):  # the session, the person, the catalogue version
        assert client.get("/journal/").status_code == 200
    assert people._found.get() is None
