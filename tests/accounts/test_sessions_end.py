"""A log-out, a password change or a deactivation ends every affected session on its next
request, however the change was made and whether Redis is up or down; session logs
saved before signing up are never lost; the admin login is throttled like the site's."""

import json
import uuid

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import caches
from django.test import Client

from backtp.accounts.models import User
from backtp.journal.models import TreatmentSession
from tests.conftest import redis_test_url
from tests.factories import PASSWORD, UserFactory

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
REDIS_DOWN = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens there
    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
}
REDIS_UP = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": redis_test_url(12),
    "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
}


def _redis_running() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_UP["LOCATION"], socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture(params=["no redis", "redis up", "redis down"])
def cache_setup(request, settings):
    """The three ways backtp runs: one process, several sharing Redis, and Redis lost."""
    default = {"no redis": LOCMEM, "redis up": REDIS_UP, "redis down": REDIS_DOWN}[request.param]
    if request.param == "redis up" and not _redis_running():
        pytest.skip("needs Redis at 127.0.0.1:6379 (.ci/run starts it)")
    settings.CACHES = {"default": default, "pages": {**LOCMEM, "LOCATION": "pages"}}
    yield request.param
    if request.param == "redis up":
        caches["default"].clear()


def logged_in(user: User) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def is_logged_in(client: Client) -> bool:
    response = client.get("/journal/")
    return response.status_code == 200


def test_a_log_out_ends_the_session_for_every_copy_of_its_cookie(cache_setup, person) -> None:
    browser = logged_in(person)
    copy = Client()  # a second browser holding a copy of the cookie (stolen, or synced)
    copy.cookies.load({name: morsel.value for name, morsel in browser.cookies.items()})
    assert is_logged_in(copy)
    assert browser.post("/accounts/logout/").status_code == 302
    assert not is_logged_in(copy)
    assert not is_logged_in(browser)


def _change_password_by_save(user: User) -> None:
    user.set_password("another-long-pass-2")
    user.save()


def _change_password_by_update(user: User) -> None:
    User.objects.filter(pk=user.pk).update(password=make_password("another-long-pass-2"))


def _deactivate_by_save(user: User) -> None:
    user.is_active = False
    user.save()


def _deactivate_by_update(user: User) -> None:
    User.objects.filter(pk=user.pk).update(is_active=False)


@pytest.mark.parametrize(
    "change",
    [
        _change_password_by_save,
        _change_password_by_update,
        _deactivate_by_save,
        _deactivate_by_update,
    ],
)
def test_a_password_change_or_deactivation_ends_existing_sessions(cache_setup, person, change):
    browser = logged_in(person)
    assert is_logged_in(browser)
    change(User.objects.get(pk=person.pk))
    assert not is_logged_in(browser)


def _admin(db) -> Client:
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    return admin


def test_a_password_set_in_the_admin_ends_the_persons_sessions(cache_setup, person, db) -> None:
    browser = logged_in(person)
    admin = _admin(db)
    response = admin.post(
        f"/admin/accounts/user/{person.pk}/password/",
        {"password1": "set-by-the-admin-3", "password2": "set-by-the-admin-3"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not is_logged_in(browser)


def test_a_deactivation_in_the_admin_ends_the_persons_sessions(cache_setup, person, db) -> None:
    browser = logged_in(person)
    admin = _admin(db)
    page = admin.get(f"/admin/accounts/user/{person.pk}/change/")
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None and not form.fields[name].disabled
    }
    data.update(
        {
            "date_joined_0": person.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": person.date_joined.strftime("%H:%M:%S"),
            "groups": [],
            "user_permissions": [],
        }
    )
    data.pop("last_login", None)
    data.pop("date_joined", None)
    data["is_active"] = ""  # unticked
    data = {k: v for k, v in data.items() if v not in ("", False)}
    response = admin.post(f"/admin/accounts/user/{person.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not User.objects.get(pk=person.pk).is_active
    assert not is_logged_in(browser)


def _session_log(session_id: str) -> dict:
    return {
        "id": session_id,
        "started_at": "2026-11-30T10:00:00Z",
        "finished_at": "2026-11-30T10:05:00Z",
        "pain_before": 6,
        "pain_after": 4,
        "note": "before signing up",
        "steps": [
            {
                "technique": "mf-tennis-ball-wall",
                "side": "right",
                "planned_seconds": 60,
                "done_seconds": 60,
                "completed": True,
            }
        ],
    }


def test_a_session_logged_before_signing_up_joins_the_new_account(cache_setup, catalog) -> None:
    browser = Client()
    session_id = str(uuid.uuid4())
    response = browser.post(
        "/session/log/", json.dumps(_session_log(session_id)), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    response = browser.post(
        "/accounts/signup/",
        {"email": "ben@example.com", "password": PASSWORD},
    )
    assert response.status_code == 302
    stored = TreatmentSession.objects.get(pk=session_id)
    assert stored.user == User.objects.get(email="ben@example.com")
    assert "before signing up" in browser.get(f"/journal/{session_id}/").content.decode()


def test_a_session_logged_anonymously_never_joins_someone_elses_account(cache_setup, catalog):
    mine, theirs = Client(), Client()
    session_id = str(uuid.uuid4())
    mine.post(
        "/session/log/", json.dumps(_session_log(session_id)), content_type="application/json"
    )
    cleo = UserFactory()
    theirs.post("/accounts/login/", {"username": cleo.username, "password": PASSWORD})
    assert TreatmentSession.objects.get(pk=session_id).user is None


def test_the_admin_login_is_throttled_like_the_sites(cache_setup, db) -> None:
    boss = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    for _ in range(5):
        response = client.post("/admin/login/", {"username": boss.username, "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": boss.username, "password": PASSWORD})
    if cache_setup == "redis down":
        # Counts cannot be kept while Redis is unreachable: throttling fails open.
        assert response.status_code == 302
    else:
        assert response.status_code == 200
        assert "Too many failed attempts" in response.content.decode()
        assert "_auth_user_id" not in client.session
