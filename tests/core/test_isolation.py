"""Every URL that takes a journal object's id answers 404 to anyone but its owner."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import UserFactory
from tests.journal.test_journal import log_session

pytestmark = pytest.mark.django_db

# Results of a questionnaire are shareable by their unguessable id, by design.
PUBLIC_BY_ID = {"guide:results"}


def _patterns(resolver: URLResolver, namespace: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def owned_id_urls() -> list[str]:
    return sorted(
        name
        for name, pattern in _patterns(get_resolver())
        if "session_id" in pattern.pattern.converters
    )


def test_the_walk_finds_the_journal_detail() -> None:
    assert owned_id_urls() == ["journal:session_detail"]


def body_of(response) -> str:
    """The whole body, streamed (the exports) or not."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


def test_no_url_shows_another_persons_session(client: Client, catalog, person, other_person):
    from django.urls import reverse

    ana, bob = person, other_person
    theirs = log_session(bob, before=9, after=1)
    client.force_login(ana)
    for name in owned_id_urls():
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404, name
    for url in ("/journal/", "/journal/progress/", "/journal/summary/", "/accounts/export.json"):
        body = body_of(client.get(url))
        assert str(theirs.pk) not in body and "9 → 1" not in body, url
    client.force_login(bob)
    assert client.get(reverse("journal:session_detail", args=[theirs.pk])).status_code == 200


# The whole walk -------------------------------------------------------------------------

SECRET_NOTE = "ana-private-note-7731"


def _everything_of(user) -> dict:
    """All that a person owns, to compare before and after someone else's requests."""
    from backtp.guide.models import Assessment
    from backtp.journal.models import PlanStep, SessionStep, TreatmentSession
    from backtp.reminders.models import Device, Schedule

    user.refresh_from_db()
    return {
        "user": (user.username, user.email, user.password, user.sessions_per_day),
        "sessions": list(TreatmentSession.objects.filter(user=user).values()),
        "steps": list(SessionStep.objects.filter(session__user=user).values()),
        "plan": list(PlanStep.objects.filter(user=user).values()),
        "assessments": list(Assessment.objects.filter(user=user).values()),
        "reminder_schedule": list(Schedule.objects.filter(user=user).values()),
        "devices": list(Device.objects.filter(user=user).values()),
    }


def _arguments(pattern, theirs: dict) -> dict[str, object]:
    names = set(getattr(pattern.pattern, "converters", {})) | set(pattern.pattern.regex.groupindex)
    values = {
        "session_id": theirs["session"].pk,
        "device_id": theirs["device"].pk,
        "assessment_id": theirs["assessment"].pk,
        "index": 0,
        "direction": "down",
        "slug": theirs["technique"],
        "content_type_id": theirs["content_type"],
        "object_id": theirs["user"].pk,
        "id": theirs["user"].pk,
        "app_label": "accounts",
        "uidb64": "MQ",
        "token": "set-password",
    }
    return {name: values[name] for name in names}


def test_walking_every_url_with_someone_elses_objects_reaches_none_of_them(
    client: Client, catalog, other_person
) -> None:
    """Bob, logged in, requests every URL of the app and the admin with Ana's ids in
    it, by GET and by POST: he sees none of her data and changes none of it."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse

    from backtp.guide.models import Assessment
    from backtp.reminders.models import Device
    from tests.guide.test_guide import complete

    ana = UserFactory(email="ana.secret@example.com")
    bob = other_person
    session = log_session(ana, before=9, after=1)
    type(session).objects.filter(pk=session.pk).update(note=SECRET_NOTE)
    owner = Client()
    owner.force_login(ana)
    complete(owner)
    owner.post("/session/plan/add/ql-ball-wall/", {"side": "left"})
    owner.post("/reminders/calendar/new/")
    device = Device.objects.create(
        user=ana,
        endpoint="https://fcm.googleapis.com/fcm/send/ana-phone",
        p256dh="B" + "a" * 86,
        auth="c" * 22,
        name="Chrome on Android",
    )
    theirs = {
        "device": device,
        "user": ana,
        "session": session,
        "assessment": Assessment.objects.get(user=ana),
        "technique": "ql-ball-wall",
        "content_type": ContentType.objects.get_for_model(session).pk,
    }
    before = _everything_of(ana)
    ana_feed = before["reminder_schedule"][0]["feed_token"]
    assert before["plan"], "Ana has a plan step for Bob to try to change"
    assert before["devices"] and before["reminder_schedule"], "and a device and a calendar"

    client.force_login(bob)
    walked = []
    for name, pattern in _patterns(get_resolver()):
        if name in {"accounts:logout", "accounts:delete", "admin:logout"}:
            continue  # would end Bob's own session or account: tested in test_accounts.py
        url = reverse(name, kwargs=_arguments(pattern, theirs))
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            body = body_of(response)
            assert SECRET_NOTE not in body, (method, url)
            assert "ana.secret@example.com" not in body, (method, url)
            assert ana_feed not in body and device.endpoint not in body, (method, url)
            if "session_id" in pattern.pattern.converters:  # hers alone: not found
                assert response.status_code in (404, 405), (method, url)
            if name.startswith("admin:") and name not in {"admin:login", "admin:jsi18n"}:
                assert response.status_code == 302, (method, url)
                assert "/login/" in response["Location"], (method, url)
            walked.append(url)
    assert len(walked) > 2 * 50
    assert _everything_of(ana) == before
