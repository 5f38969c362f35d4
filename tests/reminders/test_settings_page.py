"""The reminders page: a person sets their own times, adds and stops devices; bad input
gets a message next to the field and a 400, never a 500; nothing reaches anyone else."""

from datetime import time

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from backtp.catalog.models import Technique
from backtp.journal.models import PlanStep
from backtp.reminders.models import Device, Schedule
from tests.factories import PASSWORD, UserFactory
from tests.reminders.pushservice import PushService

URL = "/accounts/settings/reminders/"
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"
)
GOOD = {
    "per_day": "5",
    "mode": "spread",
    "first_time": "08:00",
    "last_time": "20:00",
    "times": "",
    "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
    "time_zone": "Europe/London",
}


def _errors(response) -> str:
    return response.content.decode()


def test_the_page_needs_an_account(client: Client, db) -> None:
    assert client.get(URL)["Location"].startswith("/accounts/login/")


def test_spread_times_are_saved_in_the_persons_zone(person_client: Client, person) -> None:
    response = person_client.post(
        URL,
        {
            **GOOD,
            "per_day": "4",
            "first_time": "07:30",
            "last_time": "21:00",
            "time_zone": "America/New_York",
            "weekdays": ["0", "2", "4"],
        },
    )
    assert response.status_code == 302
    saved = Schedule.objects.get(user=person)
    person.refresh_from_db()
    assert person.sessions_per_day == 4
    assert saved.times_of_day(4) == [time(7, 30), time(12), time(16, 30), time(21)]
    assert (saved.time_zone, saved.weekdays) == ("America/New_York", [0, 2, 4])
    page = person_client.get(URL).content.decode()
    assert "4 a day" in page and "07:30" in page and "America/New_York" in page


def test_chosen_times_set_how_many_a_day(person_client: Client, person) -> None:
    response = person_client.post(URL, {**GOOD, "mode": "times", "times": "18:00, 7:15, 12.30"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.sessions_per_day == 3
    assert Schedule.objects.get(user=person).times == ["07:15", "12:30", "18:00"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"first_time": "20:00", "last_time": "08:00"},
            "The last reminder must come after the first.",
        ),
        (
            {"first_time": "08:00", "last_time": "09:00", "per_day": "5"},
            "5 reminders need at least 2 h 00 min",
        ),
        ({"time_zone": "Mars/Olympus"}, "We don&#x27;t know that time zone"),
        ({"per_day": "11"}, "At most 10 a day."),
        ({"per_day": "0"}, "At least 1 a day."),
        ({"weekdays": []}, "Choose at least one day."),
        ({"mode": "times", "times": "08:00, lunch"}, "“lunch” is not a time."),
        ({"mode": "times", "times": "08:00, 8"}, "The same time is there twice."),
        (
            {"mode": "times", "times": "08:00, 08:10"},
            "Leave at least 30 minutes between two times.",
        ),
        ({"mode": "times", "times": ""}, "Give at least one time."),
        ({"mode": "sometimes"}, "Select a valid choice."),
        ({"first_time": "8 in the morning"}, "Enter a valid time."),
    ],
)
def test_bad_input_is_named_next_to_its_field(
    person_client: Client, person, changes, message
) -> None:
    response = person_client.post(URL, {**GOOD, **changes})
    assert response.status_code == 400
    assert message in _errors(response)
    assert "Not saved" in _errors(response)
    assert not Schedule.objects.filter(user=person).exists()


def test_a_plan_with_a_daily_dose_limits_how_many_a_day(
    catalog, person_client: Client, person
) -> None:
    # Seed 001's quadratus lumborum release: 5 to 7 times a day.
    technique = Technique.objects.filter(times_per_day_min__isnull=False).first()
    assert technique is not None
    PlanStep.objects.create(
        user=person,
        position=1,
        technique=technique,
        side="both",
        duration_seconds=technique.work_seconds_range()[0],
    )
    low, high = technique.times_per_day_min, technique.times_per_day_max
    response = person_client.post(URL, {**GOOD, "per_day": str(high + 1)})
    assert response.status_code == 400
    assert f"your plan&#x27;s releases are meant for {low} to {high}" in _errors(response)
    page = person_client.get(URL).content.decode()
    assert f'min="{low}"' in page and f'max="{high}"' in page


@given(
    data=st.dictionaries(
        st.sampled_from(sorted(GOOD)),
        st.one_of(st.text(max_size=80), st.lists(st.text(max_size=5), max_size=9)),
    )
)
def test_no_input_makes_it_fail(data) -> None:
    client = Client()
    user = UserFactory.build()
    user.save()
    try:
        client.force_login(user)
        response = client.post(URL, {**GOOD, **data})
        assert response.status_code in (302, 400)
    finally:
        user.delete()


test_no_input_makes_it_fail = pytest.mark.django_db(test_no_input_makes_it_fail)


# Devices -----------------------------------------------------------------------------


def _add_device(client: Client, service: PushService, **changes: str):
    return client.post(
        "/reminders/devices/",
        {**service.browser().subscription(), **changes},
        HTTP_USER_AGENT=ANDROID_CHROME,
    )


def test_a_device_is_added_named_and_listed(person_client: Client, person, push_service) -> None:
    person_client.post(URL, GOOD)
    response = _add_device(person_client, push_service)
    assert response.status_code == 201
    assert response.json()["name"] == "Chrome on Android"
    page = person_client.get(URL).content.decode()
    assert (
        "Chrome on Android" in page and "Stop on this device" in page and "Stop everywhere" in page
    )


def test_push_says_it_is_not_set_up_without_keys(person_client: Client, settings) -> None:
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    person_client.post(URL, GOOD)
    page = person_client.get(URL).content.decode()
    assert "not set up on this server" in page
    assert "Remind me on this device" not in page
    with PushService() as service:
        assert _add_device(person_client, service).status_code == 409


def test_the_page_offers_push_only_on_a_tap(person_client: Client, vapid) -> None:
    person_client.post(URL, GOOD)
    page = person_client.get(URL).content.decode()
    assert "Remind me on this device" in page
    assert f'data-key="{vapid}"' in page


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"endpoint": "https://169.254.169.254/latest/meta-data"}, 400),
        ({"endpoint": "http://localhost:6379/"}, 400),
        ({"endpoint": "not a url"}, 400),
        ({"p256dh": "short"}, 400),
        ({"auth": ""}, 400),
    ],
)
def test_only_a_real_push_service_and_real_keys_are_accepted(
    person_client: Client, push_service, changes, status
) -> None:
    person_client.post(URL, GOOD)
    response = _add_device(person_client, push_service, **changes)
    assert response.status_code == status
    assert response.json()["error"]
    assert not Device.objects.exists()


def test_stop_on_one_device_and_everywhere(person_client: Client, person, push_service) -> None:
    person_client.post(URL, GOOD)
    first = _add_device(person_client, push_service).json()["id"]
    _add_device(person_client, push_service)
    _add_device(person_client, push_service)
    assert person_client.post(f"/reminders/devices/{first}/remove/").status_code == 302
    assert Device.objects.filter(user=person).count() == 2
    person_client.post("/reminders/devices/remove-all/")
    assert not Device.objects.filter(user=person).exists()


def test_no_one_can_stop_or_see_another_persons_device(
    person_client: Client, other_person, push_service
) -> None:
    theirs = Device.objects.create(
        user=other_person, name="Safari on iPhone", **push_service.browser().subscription()
    )
    assert person_client.post(f"/reminders/devices/{theirs.pk}/remove/").status_code == 404
    person_client.post("/reminders/devices/remove-all/")
    assert Device.objects.filter(pk=theirs.pk).exists()
    assert "Safari on iPhone" not in person_client.get(URL).content.decode()


def test_logging_out_stops_the_reminders_of_that_browser_only(db, push_service) -> None:
    person = UserFactory()
    phone, laptop = Client(), Client()
    for client in (phone, laptop):
        client.login(username=person.username, password=PASSWORD)
    phone.post(URL, GOOD)
    _add_device(phone, push_service)
    _add_device(laptop, push_service)
    phone.post("/accounts/logout/")
    assert Device.objects.filter(user=person).count() == 1  # the laptop's


def test_deleting_the_account_removes_every_device(db, push_service) -> None:
    person = UserFactory()
    client = Client()
    client.force_login(person)
    client.post(URL, GOOD)
    _add_device(client, push_service)
    client.post("/accounts/delete/", {"password": PASSWORD})
    assert not Device.objects.exists() and not Schedule.objects.exists()


def test_this_device_is_told_apart_from_the_others(db, push_service) -> None:
    person = UserFactory()
    phone, laptop = Client(), Client()
    for client in (phone, laptop):
        client.force_login(person)
    phone.post(URL, GOOD)
    _add_device(phone, push_service)
    page = laptop.get(URL).content.decode()
    assert "Stop on this device" not in page
    assert 'aria-label="Stop reminders on Chrome on Android"' in page
    page = phone.get(URL).content.decode()
    assert "Stop on this device" in page and 'class="is-this-device"' in page
