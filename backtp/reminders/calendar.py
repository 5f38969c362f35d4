"""The person's reminder times as an iCalendar file (RFC 5545), made with icalendar.

One event a day per reminder time, repeating on the chosen weekdays in the person's own
time zone (TZID, with its VTIMEZONE), each with an alarm at its start, and a link back to
the plan. Nothing personal: no name, no email, no health details."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
SUMMARY = "A short trigger-point release"
DESCRIPTION = "Time for a few minutes with your plan. Open it: {url}"


def reminder_calendar(
    *,
    uid: str,
    times: list[time],
    weekdays: list[int],
    tz: ZoneInfo,
    start: date,
    url: str,
    stamp: datetime,
) -> bytes:
    """The calendar, its events starting on `start` (from then on, indefinitely)."""
    calendar = Calendar()
    calendar.add("prodid", "-//backtp//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "backtp reminders")
    # Calendars that subscribe to the feed check back about twice a day.
    calendar.add("refresh-interval", timedelta(hours=12), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT12H")
    days = sorted(set(weekdays))
    for number, at in enumerate(times, 1):
        event = Event()
        event.add("uid", f"{uid}-{number}@backtp")
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(start, at, tzinfo=tz))
        event.add("duration", timedelta(minutes=5))
        rule: dict = {"freq": "daily"} if len(days) == 7 else {"freq": "weekly"}
        if len(days) < 7:
            rule["byday"] = [ICAL_DAYS[day] for day in days]
        event.add("rrule", rule)
        event.add("summary", SUMMARY)
        event.add("description", DESCRIPTION.format(url=url))
        event.add("url", url)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", SUMMARY)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
    calendar.add_missing_timezones(first_date=start - timedelta(days=1))
    return calendar.to_ical()
