"""Reminder times as pure functions: which wall-clock times a day, and when they fall due.

Times are wall-clock times in the person's zone, turned into instants day by day, so a
reminder set for 08:00 comes at 08:00 before and after a daylight-saving change, and at
08:00 in a new zone once the person changes it. On the night the clocks go forward, a
time that does not exist (01:30 in London) comes at the same distance after the change
(02:30 summer time); on the night they go back, a time that happens twice comes the first
time only.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

MAX_PER_DAY = 10
# A reminder more than this late is dropped, never sent in a burst after an outage.
LATE_LIMIT = timedelta(hours=1)


def minute_of_day(at: time) -> int:
    return at.hour * 60 + at.minute


def spread(first: time, last: time, per_day: int) -> list[time]:
    """per_day times from first to last, evenly apart, to the nearest minute."""
    start = minute_of_day(first)
    if per_day == 1:
        return [first]
    span = minute_of_day(last) - start
    minutes = [start + round(span * n / (per_day - 1)) for n in range(per_day)]
    return [time(*divmod(m, 60)) for m in minutes]


def parse_times(text: str) -> list[time]:
    """ "8, 12:30, 18.00" -> [08:00, 12:30, 18:00]. ValueError names the part it cannot read."""
    found = []
    for part in text.replace(";", ",").replace(" ", ",").split(","):
        part = part.strip()
        if not part:
            continue
        hours, _, minutes = part.replace(".", ":").replace("h", ":").partition(":")
        if not (hours.isdigit() and (minutes.isdigit() or not minutes)):
            raise ValueError(part)
        hour, minute = int(hours), int(minutes or 0)
        if not (0 <= hour <= 23 and 0 <= minute <= 59 and len(hours) <= 2 and len(minutes) <= 2):
            raise ValueError(part)
        found.append(time(hour, minute))
    return found


def zone(name: str) -> ZoneInfo | None:
    """The IANA zone called name, or None if there is no such zone."""
    if name not in _zone_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The moment (in UTC) that the clocks in tz show `at` on `day`, as described above."""
    local = datetime.combine(day, at, tzinfo=tz)  # fold=0: the first of two, or shifted on
    return local.astimezone(UTC)


def due_between(
    times: Sequence[time],
    weekdays: Iterable[int],
    tz: ZoneInfo,
    after: datetime,
    until: datetime,
) -> list[datetime]:
    """Every reminder instant in (after, until], in order, as aware UTC datetimes."""
    days = set(weekdays)
    first_day = after.astimezone(tz).date() - timedelta(days=1)
    last_day = until.astimezone(tz).date() + timedelta(days=1)
    found = set()
    day = first_day
    while day <= last_day:
        if day.weekday() in days:
            for at in times:
                moment = instant(day, at, tz)
                if after < moment <= until:
                    found.add(moment)
        day += timedelta(days=1)
    return sorted(found)


def latest_due(
    times: Sequence[time],
    weekdays: Iterable[int],
    tz: ZoneInfo,
    now: datetime,
    since: datetime | None = None,
) -> tuple[datetime | None, list[datetime]]:
    """The reminder to send now, and the earlier ones in the last hour to skip.

    Only reminders due within LATE_LIMIT count (older ones are dropped), and none before
    `since` (when the schedule was set), so a new schedule does not remind of a time
    already past. When several are due (a worker was down), only the latest is sent."""
    after = now - LATE_LIMIT
    if since is not None and since > after:
        after = since
    due = due_between(times, weekdays, tz, after, now)
    if not due:
        return None, []
    return due[-1], due[:-1]


def next_due(
    times: Sequence[time], weekdays: Iterable[int], tz: ZoneInfo, now: datetime
) -> datetime | None:
    """The next reminder after now (within a week), for the settings page."""
    upcoming = due_between(times, weekdays, tz, now, now + timedelta(days=8))
    return upcoming[0] if upcoming else None
