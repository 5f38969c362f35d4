"""Push reminders end to end over the real Web Push protocol: the worker finds who is
due, pywebpush encrypts and signs, a local push service (tests/reminders/pushservice.py)
receives the request, and the subscription's own keys decrypt it. Each reminder goes
out once, whatever the workers do; a late one is dropped; an ended subscription is
removed."""

import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from backtp.catalog.models import Technique
from backtp.journal.models import PlanStep
from backtp.reminders import services, tasks
from backtp.reminders.models import Device, Reminder, Schedule
from tests.reminders.pushservice import PushService, vapid_claims

LONDON = ZoneInfo("Europe/London")


def _person_with_plan(person) -> None:
    technique = Technique.objects.get(slug="ql-tennis-ball-side-lying")
    PlanStep.objects.create(
        user=person, position=1, technique=technique, side="both", duration_seconds=60
    )


def _schedule(person, *times: time, zone: str = "Europe/London") -> Schedule:
    saved = Schedule.objects.create(
        user=person,
        mode=Schedule.Mode.TIMES,
        times=[t.strftime("%H:%M") for t in times],
        time_zone=zone,
    )
    # As if set up a week ago, so today's times all count.
    Schedule.objects.filter(pk=saved.pk).update(updated=datetime(2027, 1, 1, tzinfo=UTC))
    saved.refresh_from_db()
    return saved


def _device(person, service: PushService, name: str = "phone"):
    browser = service.browser(name)
    Device.objects.create(user=person, name="Chrome on Android", **browser.subscription())
    return browser


def _run_queue(now: datetime) -> list[int]:
    """The scheduled check at `now`, sending nothing: the ids of the tasks it queued."""
    queued: list[int] = []
    services.queue_due_reminders(now=now, enqueue=queued.append)
    return queued


def _run_worker() -> None:
    """The database worker, until the queue is empty."""
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def _send(reminder_ids: list[int], now: datetime) -> None:
    for reminder_id in reminder_ids:
        services.send_reminder(reminder_id=reminder_id, now=now)


@pytest.mark.django_db
def test_a_due_reminder_arrives_encrypted_signed_and_in_kind_words(
    catalog, person, push_service, vapid
) -> None:
    _person_with_plan(person)
    _schedule(person, time(8), time(14))
    browser = _device(person, push_service)
    now = datetime(2027, 6, 7, 14, 0, 30, tzinfo=LONDON)

    _send(_run_queue(now), now)

    [message] = push_service.to(browser)
    assert browser.decrypt(message) == {
        "title": "backtp",
        "body": "Time for a two-minute release? Your plan: quadratus lumborum, both sides.",
        "url": "/session/plan/",
        "tag": "backtp-reminder",
    }
    claims = vapid_claims(message.headers["authorization"], vapid)
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == "mailto:reminders@backtp.example"
    assert claims["exp"] > datetime.now(UTC).timestamp()  # RFC 8292: at most 24 h ahead
    # Kept by the push service no longer than the reminder is worth sending (an hour).
    assert 3000 < int(message.headers["ttl"]) <= 3600
    assert message.headers["topic"] == "reminder"
    reminder = Reminder.objects.get(user=person)
    assert reminder.status == Reminder.Status.SENT and reminder.devices == 1
    assert reminder.due_at == datetime(2027, 6, 7, 13, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_every_device_of_the_person_and_no_one_elses(
    catalog, person, other_person, push_service
) -> None:
    _schedule(person, time(9))
    _schedule(other_person, time(10))
    phone, laptop = _device(person, push_service, "phone"), _device(person, push_service, "laptop")
    theirs = _device(other_person, push_service, "theirs")
    now = datetime(2027, 6, 7, 9, 1, tzinfo=LONDON)

    _send(_run_queue(now), now)

    assert len(push_service.to(phone)) == len(push_service.to(laptop)) == 1
    assert push_service.to(theirs) == []
    assert phone.decrypt(push_service.to(phone)[0])["body"].startswith("Time for a short release")


@pytest.mark.django_db
def test_the_check_every_minute_sends_each_reminder_once(catalog, person, push_service) -> None:
    _schedule(person, time(9))
    browser = _device(person, push_service)
    start = datetime(2027, 6, 7, 8, 58, tzinfo=LONDON)
    for minute in range(8):  # 08:58 to 09:05
        now = start + timedelta(minutes=minute)
        _send(_run_queue(now), now)
    assert len(push_service.to(browser)) == 1


@pytest.mark.django_db
def test_a_restart_mid_run_sends_no_duplicate(catalog, person, push_service) -> None:
    _schedule(person, time(9))
    browser = _device(person, push_service)
    now = datetime(2027, 6, 7, 9, 0, 10, tzinfo=LONDON)
    [queued] = _run_queue(now)
    # The worker stopped after queuing; it starts again and checks again, then runs the
    # task, and the task is run a second time (a worker killed after sending).
    assert _run_queue(now + timedelta(seconds=50)) == []
    _send([queued, queued], now + timedelta(minutes=1))
    assert len(push_service.to(browser)) == 1


@pytest.mark.django_db
def test_a_reminder_more_than_an_hour_late_is_dropped_not_sent(
    catalog, person, push_service
) -> None:
    _schedule(person, time(9))
    browser = _device(person, push_service)
    # The worker was down from 08:55 to 10:30: nothing is due in the last hour.
    assert _run_queue(datetime(2027, 6, 7, 10, 30, tzinfo=LONDON)) == []
    # Queued in time, but the queue was stuck until 10:01: dropped when its turn comes.
    [queued] = _run_queue(datetime(2027, 6, 8, 9, 0, 30, tzinfo=LONDON))
    _send([queued], datetime(2027, 6, 8, 10, 1, tzinfo=LONDON))
    assert push_service.to(browser) == []
    assert Reminder.objects.get(pk=queued).status == Reminder.Status.SKIPPED


@pytest.mark.django_db
def test_after_an_outage_only_the_latest_reminder_goes_not_a_burst(
    catalog, person, push_service
) -> None:
    _schedule(person, time(9), time(9, 30), time(10))
    browser = _device(person, push_service)
    now = datetime(2027, 6, 7, 10, 2, tzinfo=LONDON)
    _send(_run_queue(now), now)
    assert len(push_service.to(browser)) == 1
    assert sorted(Reminder.objects.values_list("status", flat=True)) == ["sent", "skipped"]


@pytest.mark.django_db
def test_an_ended_subscription_is_removed_when_the_push_service_says_gone(
    catalog, person, push_service
) -> None:
    _schedule(person, time(9))
    gone, kept = _device(person, push_service, "old"), _device(person, push_service, "new")
    push_service.status_for[gone.endpoint.removeprefix(push_service.origin)] = 410
    now = datetime(2027, 6, 7, 9, 0, 5, tzinfo=LONDON)
    _send(_run_queue(now), now)
    assert list(Device.objects.values_list("endpoint", flat=True)) == [kept.endpoint]
    assert len(push_service.to(kept)) == 1
    assert Reminder.objects.get().devices == 1


@pytest.mark.django_db
def test_not_found_removes_it_too_but_a_server_error_does_not(
    catalog, person, push_service
) -> None:
    _schedule(person, time(9))
    missing, failing = _device(person, push_service, "a"), _device(person, push_service, "b")
    push_service.status_for[missing.endpoint.removeprefix(push_service.origin)] = 404
    push_service.status_for[failing.endpoint.removeprefix(push_service.origin)] = 503
    now = datetime(2027, 6, 7, 9, 0, 5, tzinfo=LONDON)
    _send(_run_queue(now), now)
    assert list(Device.objects.values_list("endpoint", flat=True)) == [failing.endpoint]
    assert Reminder.objects.get().status == Reminder.Status.FAILED


@pytest.mark.django_db
def test_reminders_follow_the_wall_clock_across_the_spring_change(
    catalog, person, push_service
) -> None:
    _schedule(person, time(8), zone="America/New_York")
    browser = _device(person, push_service)
    new_york = ZoneInfo("America/New_York")
    for day in (13, 14, 15):  # the clocks go forward on 14 March 2027
        for minute in (-1, 0, 1):
            now = datetime(2027, 3, day, 8, 0, 30, tzinfo=new_york) + timedelta(minutes=minute)
            _send(_run_queue(now), now)
    due = sorted(Reminder.objects.values_list("due_at", flat=True))
    assert [moment.astimezone(new_york).strftime("%d %H:%M") for moment in due] == [
        "13 08:00",
        "14 08:00",
        "15 08:00",
    ]
    assert [moment.hour for moment in due] == [13, 12, 12]  # in UTC
    assert len(push_service.to(browser)) == 3


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_queue_and_send_each_reminder_once(
    live_catalog, person, other_person, push_service
) -> None:
    _schedule(person, time(9))
    _schedule(other_person, time(9))
    mine, theirs = _device(person, push_service), _device(other_person, push_service)
    now = datetime(2027, 6, 7, 9, 0, 20, tzinfo=LONDON)
    if connection.vendor == "sqlite":
        # One writer at a time in SQLite: the two checks interleave instead.
        first, second = _run_queue(now), _run_queue(now)
        queued = first + second
    else:
        barrier = threading.Barrier(2)
        results: list[list[int]] = [[], []]

        def worker(slot: int) -> None:
            from django.db import connection as own

            try:
                barrier.wait()
                services.queue_due_reminders(now=now, enqueue=results[slot].append)
            finally:
                own.close()

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        queued = results[0] + results[1]
    assert len(queued) == 2  # one each, not two each
    _send(queued + queued, now)  # and both workers also ran each task
    assert len(push_service.to(mine)) == len(push_service.to(theirs)) == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_scheduled_check_and_the_sending(
    live_catalog, person, push_service, monkeypatch
) -> None:
    """The real queue: the scheduled task enqueued in the database, run by db_worker, which
    queues the sending task, which the next worker pass runs."""
    _schedule(person, time(9))
    browser = _device(person, push_service)
    now = datetime(2027, 6, 7, 9, 0, 20, tzinfo=LONDON)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)

    tasks.queue_due_reminders.enqueue()
    _run_worker()  # runs the check, which queues the sending
    _run_worker()

    assert len(push_service.to(browser)) == 1
    assert set(DBTaskResult.objects.values_list("task_path", "status")) == {
        ("backtp.reminders.tasks.queue_due_reminders", "SUCCESSFUL"),
        ("backtp.reminders.tasks.send_reminder", "SUCCESSFUL"),
    }


@pytest.mark.django_db
def test_old_reminder_records_and_finished_tasks_are_pruned_daily(person) -> None:
    now = timezone.now()
    Reminder.objects.create(user=person, due_at=now - timedelta(days=91))
    recent = Reminder.objects.create(user=person, due_at=now - timedelta(days=89))
    tasks.send_reminder.enqueue(recent.pk)
    old_result = tasks.send_reminder.enqueue(recent.pk)
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=now - timedelta(days=1))
    DBTaskResult.objects.filter(id=old_result.id).update(finished_at=now - timedelta(days=8))

    assert tasks.prune.call() == "1 reminder records deleted"

    assert list(Reminder.objects.all()) == [recent]
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_test_reminder_goes_to_every_device_through_the_worker(
    live_catalog, person, person_client, push_service
) -> None:
    _schedule(person, time(9))
    phone, laptop = _device(person, push_service, "phone"), _device(person, push_service, "laptop")
    response = person_client.post("/reminders/devices/test/", follow=True)
    assert "A test reminder is on its way" in response.content.decode()
    assert push_service.received == []  # sent by the worker, not the request
    _run_worker()
    for device in (phone, laptop):
        [message] = push_service.to(device)
        assert device.decrypt(message)["title"] == "backtp (a test)"
    assert not Reminder.objects.exists()  # the schedule's own reminders are unchanged


@pytest.mark.django_db
def test_no_test_without_a_device(person_client, push_service) -> None:
    response = person_client.post("/reminders/devices/test/", follow=True)
    assert "There is no device to send a test to." in response.content.decode()
    assert not DBTaskResult.objects.exists()
