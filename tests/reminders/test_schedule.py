"""Reminder times: spread over the day, typed by the person, and turned into instants in
their own time zone, across daylight-saving changes and a move to another zone."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backtp.reminders import schedule
from backtp.reminders.messages import reminder_text

EVERY_DAY = range(7)
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def test_spread_evenly_from_the_first_to_the_last_time() -> None:
    assert schedule.spread(time(8), time(20), 5) == [
        time(8),
        time(11),
        time(14),
        time(17),
        time(20),
    ]
    assert schedule.spread(time(7, 30), time(21), 4) == [
        time(7, 30),
        time(12),
        time(16, 30),
        time(21),
    ]
    assert schedule.spread(time(9), time(17), 1) == [time(9)]


@pytest.mark.parametrize(
    ("typed", "times"),
    [
        ("08:00, 12:30, 18:00", [time(8), time(12, 30), time(18)]),
        ("8, 12.30 18h15", [time(8), time(12, 30), time(18, 15)]),
        ("", []),
    ],
)
def test_times_are_read_the_ways_people_write_them(typed: str, times: list[time]) -> None:
    assert schedule.parse_times(typed) == times


@pytest.mark.parametrize("typed", ["25:00", "8:75", "noon", "08:00:00", "1234", "-1"])
def test_what_is_not_a_time_is_named(typed: str) -> None:
    with pytest.raises(ValueError):
        schedule.parse_times(f"08:00, {typed}")


def test_only_real_time_zones_are_known() -> None:
    assert schedule.zone("Europe/London") == LONDON
    for name in ["Mars/Olympus", "", "../etc/passwd", "europe/london", "UTC+1"]:
        assert schedule.zone(name) is None, name


def _local(moments: list[datetime], tz: ZoneInfo) -> list[str]:
    return [moment.astimezone(tz).strftime("%a %d %H:%M %Z") for moment in moments]


@pytest.mark.parametrize(
    ("tz", "before", "after"),
    [
        # Spring forward: London on 28 March 2027, New York on 14 March 2027.
        (LONDON, "2027-03-27", "2027-03-29"),
        (NEW_YORK, "2027-03-13", "2027-03-15"),
        # Fall back: London on 31 October 2027, New York on 7 November 2027.
        (LONDON, "2027-10-30", "2027-11-01"),
        (NEW_YORK, "2027-11-06", "2027-11-08"),
    ],
)
def test_reminders_keep_their_wall_clock_times_across_a_clock_change(tz, before, after) -> None:
    start = datetime.fromisoformat(before).replace(tzinfo=tz)
    end = datetime.fromisoformat(after).replace(tzinfo=tz) + timedelta(days=1)
    due = schedule.due_between([time(8), time(20)], EVERY_DAY, tz, start, end)
    assert [moment.astimezone(tz).strftime("%H:%M") for moment in due] == ["08:00", "20:00"] * 3
    offsets = {moment.astimezone(tz).utcoffset() for moment in due}
    assert len(offsets) == 2  # the same wall-clock time on both sides of the change
    assert all(moment.tzinfo is UTC for moment in due)


def test_a_time_the_clocks_skip_comes_after_the_change_and_only_once() -> None:
    # London, 28 March 2027: 01:00 GMT becomes 02:00 BST; 01:30 never shows on the clocks.
    day = datetime(2027, 3, 28, tzinfo=LONDON)
    due = schedule.due_between([time(1, 30)], EVERY_DAY, LONDON, day, day + timedelta(hours=23))
    assert _local(due, LONDON) == ["Sun 28 02:30 BST"]


def test_a_time_the_clocks_show_twice_reminds_once() -> None:
    # New York, 7 November 2027: 01:30 happens in EDT, then again in EST.
    day = datetime(2027, 11, 7, tzinfo=NEW_YORK)
    due = schedule.due_between([time(1, 30)], EVERY_DAY, NEW_YORK, day, day + timedelta(hours=23))
    assert _local(due, NEW_YORK) == ["Sun 07 01:30 EDT"]


def test_after_a_move_to_another_zone_the_times_are_that_zones() -> None:
    start = datetime(2027, 6, 1, tzinfo=UTC)
    london = schedule.due_between([time(8)], EVERY_DAY, LONDON, start, start + timedelta(days=1))
    new_york = schedule.due_between(
        [time(8)], EVERY_DAY, NEW_YORK, start, start + timedelta(days=1)
    )
    assert _local(london, LONDON) == ["Tue 01 08:00 BST"]
    assert _local(new_york, NEW_YORK) == ["Tue 01 08:00 EDT"]
    assert new_york[0] - london[0] == timedelta(hours=5)


def test_only_the_chosen_weekdays() -> None:
    monday = datetime(2027, 6, 7, tzinfo=LONDON)
    due = schedule.due_between([time(9)], [0, 2, 4], LONDON, monday, monday + timedelta(days=7))
    assert [moment.astimezone(LONDON).strftime("%a") for moment in due] == ["Mon", "Wed", "Fri"]


def test_the_latest_due_is_sent_and_earlier_ones_of_the_hour_skipped() -> None:
    times = [time(9), time(9, 30), time(10)]
    now = datetime(2027, 6, 7, 10, 5, tzinfo=LONDON)
    due, earlier = schedule.latest_due(times, EVERY_DAY, LONDON, now)
    assert _local([due], LONDON) == ["Mon 07 10:00 BST"]
    assert _local(earlier, LONDON) == ["Mon 07 09:30 BST"]  # 09:00 is over an hour ago


def test_nothing_is_due_more_than_an_hour_late_or_before_the_schedule_was_set() -> None:
    now = datetime(2027, 6, 7, 10, 5, tzinfo=LONDON)
    assert schedule.latest_due([time(9)], EVERY_DAY, LONDON, now) == (None, [])
    since = datetime(2027, 6, 7, 9, 50, tzinfo=LONDON)
    assert schedule.latest_due([time(9, 45)], EVERY_DAY, LONDON, now, since=since) == (None, [])


@pytest.mark.parametrize(
    ("muscles", "sides", "seconds", "text"),
    [
        (
            ["Quadratus lumborum"],
            {"both"},
            120,
            "Time for a two-minute release? Your plan: quadratus lumborum, both sides.",
        ),
        (
            ["Quadratus lumborum", "Gluteus medius"],
            {"left", "both"},
            400,
            "Time for a seven-minute release? Your plan: quadratus lumborum and gluteus medius.",
        ),
        (
            ["Iliopsoas", "Multifidus", "Gluteus medius", "Soleus"],
            {"right"},
            30,
            "Time for a one-minute release? Your plan: iliopsoas, multifidus and 2 more, "
            "right side.",
        ),
        ([], set(), 0, "Time for a short release? Open backtp to choose one for today."),
    ],
)
def test_a_reminder_names_the_plan_kindly(muscles, sides, seconds, text) -> None:
    assert reminder_text(muscles, sides, seconds) == text
    for blame in ("streak", "missed", "don't forget", "you haven't"):
        assert blame not in text.lower()
