"""The progress chart: one point per session, two sessions of one day told apart, the
newest always labelled, and a phone's chart as wide as its sessions need."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backtp.accounts.models import User
from backtp.journal.chart import (
    HEIGHT,
    PHONE_MIN_WIDTH,
    PHONE_SPACING,
    WIDTH,
    PainChart,
    pain_chart,
    pain_charts,
)
from tests.journal.test_journal import log_session

DEC_1 = datetime(2025, 12, 1, 8, 5, tzinfo=UTC)


def days(count: int, *, per_day: int = 1) -> list[tuple[datetime, int, int]]:
    """count sessions, per_day a day (08:05, 17:05, ...), ending on 1 Dec, oldest first."""
    sessions = []
    for n in reversed(range(count)):
        day, nth = divmod(n, per_day)
        when = DEC_1 - timedelta(days=day) + timedelta(hours=9 * (per_day - 1 - nth))
        sessions.append((when, 6, n % 5))
    return sessions


def texts(chart: PainChart) -> list[str]:
    return [f"{label.day}|{label.time}" for label in chart.x_labels]


def test_two_sessions_on_one_day_are_two_points_each_labelled_with_its_time() -> None:
    chart = pain_chart(days(2, per_day=2))
    first, second = chart.after
    assert second.x - first.x > 500
    assert texts(chart) == ["1 Dec|08:05", "1 Dec|17:05"]


def test_a_day_with_one_session_is_labelled_by_its_date_only() -> None:
    chart = pain_chart(days(3))
    assert texts(chart) == ["29 Nov|", "30 Nov|", "1 Dec|"]
    (only,) = pain_chart(days(1)).x_labels
    assert only.x == pytest.approx(WIDTH / 2, abs=15)


@pytest.mark.parametrize("count", [7, 30, 40, 60])
def test_the_newest_session_is_always_labelled_and_labels_never_overlap(count: int) -> None:
    sessions = days(count, per_day=2)
    chart = pain_chart(sessions)
    xs = [label.x for label in chart.x_labels]
    assert xs[-1] == chart.after[-1].x
    assert texts(chart)[-1] == "1 Dec|17:05"
    assert all(b - a >= 60 for a, b in zip(xs, xs[1:], strict=False))
    assert len(xs) >= 6
    assert chart.width == WIDTH and chart.height == HEIGHT


def test_on_a_phone_every_session_is_labelled_and_each_day_named_once() -> None:
    chart = pain_chart(days(6, per_day=2), spacing=PHONE_SPACING)
    times = [label.time for label in chart.x_labels if label.time]
    named = [label for label in chart.x_labels if label.day]
    assert times == ["08:05", "17:05"] * 3
    assert [label.day for label in named] == ["29 Nov", "30 Nov", "1 Dec"]
    # Each day's name sits between its two sessions.
    dots = chart.after
    assert named[-1].x == pytest.approx((dots[-2].x + dots[-1].x) / 2)
    assert dots[-1].x - dots[-2].x == pytest.approx(PHONE_SPACING)
    # The values 0-10 are on both sides, so they show at the newest (right-hand) end too.
    assert [anchor for _, anchor in chart.y_label_xs] == ["end", "start"]


@pytest.mark.parametrize(("count", "width"), [(1, PHONE_MIN_WIDTH), (2, PHONE_MIN_WIDTH)])
def test_a_phone_chart_of_few_sessions_fits_a_phone(count: int, width: int) -> None:
    assert pain_chart(days(count), spacing=PHONE_SPACING).width == width


def test_a_phone_chart_grows_with_the_sessions() -> None:
    charts = pain_charts(days(60, per_day=3))
    assert charts.wide.width == WIDTH
    assert charts.phone.width == 30 + 30 + 2 * 24 + PHONE_SPACING * 59
    assert len({point.x for point in charts.phone.after}) == 60


def test_labels_are_in_local_time() -> None:
    late = datetime(2025, 12, 2, 3, 0, tzinfo=UTC)  # 1 Dec, 22:00 in New York
    with timezone.override("America/New_York"):
        chart = pain_chart([(late - timedelta(hours=2), 5, 4), (late, 5, 3)])
    assert texts(chart) == ["1 Dec|20:00", "1 Dec|22:00"]


@pytest.mark.django_db
def test_the_progress_page_draws_the_chart_for_wide_screens_and_for_phones(
    client: Client, catalog: None, person: User
) -> None:
    for hours_ago in (30, 3, 1):
        log_session(person, before=6, after=3, days_ago=hours_ago / 24)
    client.force_login(person)
    html = client.get("/journal/progress/").content.decode()
    wide, phone = re.findall(r"<svg [^>]*chart[^>]*>.*?</svg>", html, flags=re.S)
    assert f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img"' in wide
    assert f'viewBox="0 0 {PHONE_MIN_WIDTH} {HEIGHT}" width="{PHONE_MIN_WIDTH}"' in phone
    for svg in (wide, phone):
        assert svg.count('class="dot dot--before"') == 3
        assert svg.count('class="dot dot--after"') == 3
    assert 'class="pain-chart__phone" tabindex="0"' in html
    assert 'aria-labelledby="chart-phone-title chart-phone-desc"' in html
    assert "the newest on the right" in phone
    # The table alternative is still there, with every session.
    table = html[html.index('<details class="chart-table">') :]
    assert table.count("<tr><td>") == 3
