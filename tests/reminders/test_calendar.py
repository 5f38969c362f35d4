"""The calendar: the person's own times as repeating events in their time zone, each
with an alert; a download, and a secret feed address that can be replaced or revoked."""

from datetime import time, timedelta

import pytest
from django.test import Client
from icalendar import Calendar

from backtp.reminders.models import Schedule

URL = "/accounts/settings/reminders/"


def _calendar(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def _save(client: Client, **changes) -> None:
    data = {
        "per_day": "3",
        "mode": "spread",
        "first_time": "08:00",
        "last_time": "20:00",
        "weekdays": ["0", "1", "2", "3", "4"],
        "time_zone": "America/New_York",
        **changes,
    }
    assert client.post(URL, data).status_code == 302


def test_the_download_has_the_persons_times_in_their_zone_with_an_alert_each(
    person_client: Client, person
) -> None:
    _save(person_client)
    response = person_client.get("/reminders/calendar.ics")
    assert response["Content-Disposition"] == 'attachment; filename="backtp-reminders.ics"'
    calendar = _calendar(response)
    events = calendar.events
    assert [event.start.time() for event in events] == [time(8), time(14), time(20)]
    for event in events:
        assert event["DTSTART"].params["TZID"] == "America/New_York"
        assert str(event.start.tzinfo) == "America/New_York"
        assert event["RRULE"]["FREQ"] == ["WEEKLY"]
        assert event["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
        [alarm] = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY" and alarm["TRIGGER"].dt == timedelta(0)
        assert str(event["URL"]).endswith("/session/plan/")
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    body = response.content.decode()
    assert person.email not in body and person.username not in body


def test_every_day_repeats_daily(person_client: Client) -> None:
    _save(person_client, weekdays=["0", "1", "2", "3", "4", "5", "6"], time_zone="Europe/London")
    calendar = _calendar(person_client.get("/reminders/calendar.ics"))
    assert {tuple(event["RRULE"]["FREQ"]) for event in calendar.events} == {("DAILY",)}
    assert "BYDAY" not in calendar.events[0]["RRULE"]


def test_the_feed_follows_changes_and_stops_when_revoked(person_client: Client, person) -> None:
    _save(person_client)
    person_client.post("/reminders/calendar/new/")
    token = Schedule.objects.get(user=person).feed_token
    feed = f"/reminders/calendar/{token}.ics"
    page = person_client.get(URL).content.decode()
    assert f"http://testserver{feed}" in page and f"webcal://testserver{feed}" in page

    visitor = Client()  # a calendar app: no cookies
    assert len(_calendar(visitor.get(feed)).events) == 3
    _save(person_client, mode="times", times="06:45, 22:00")
    assert [e.start.time() for e in _calendar(visitor.get(feed)).events] == [time(6, 45), time(22)]

    person_client.post("/reminders/calendar/revoke/")
    assert visitor.get(feed).status_code == 404


def test_a_new_address_ends_the_old_one(person_client: Client, person) -> None:
    _save(person_client)
    person_client.post("/reminders/calendar/new/")
    old = Schedule.objects.get(user=person).feed_token
    person_client.post("/reminders/calendar/new/")
    new = Schedule.objects.get(user=person).feed_token
    assert new != old
    assert Client().get(f"/reminders/calendar/{old}.ics").status_code == 404
    assert Client().get(f"/reminders/calendar/{new}.ics").status_code == 200


@pytest.mark.parametrize("token", ["", "x", "a" * 500, "..%2F..%2Fetc", "None"])
def test_a_made_up_feed_address_is_not_found(db, token: str) -> None:
    assert Client().get(f"/reminders/calendar/{token}.ics").status_code == 404


def test_the_old_download_address_still_works(person_client: Client) -> None:
    response = person_client.get("/journal/reminders.ics")
    assert response.status_code == 302 and response["Location"] == "/reminders/calendar.ics"
