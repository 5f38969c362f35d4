"""A small server-rendered line chart of pain before and after each session (no JavaScript).

Sessions are spaced evenly, one after the other, whatever the time between them, so two
sessions of one day are two points. pain_charts() draws it twice: once to fit a wide
screen (and paper), once for a phone, as wide as its sessions need and shown from the
newest end (see journal.css)."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

WIDTH, HEIGHT = 640, 276
TOP, BOTTOM = 12, 46  # below the plot: the day, then the time when a day has several
PAD = 24  # the first and last sessions stand this far inside the plot, their labels centred
LABEL_GAP = 60  # between the centres of two x labels ("30 Nov" is about 45 wide)
PHONE_SPACING = 46  # between two sessions on a phone: each one labelled
PHONE_MIN_WIDTH = 320  # fits a 360 px phone without scrolling
Y_VALUES = (0, 2, 4, 6, 8, 10)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    when: datetime


@dataclass(frozen=True)
class Label:
    """An x-axis label under one session: its day and, if it shares the day, its time."""

    x: float
    day: str
    time: str


@dataclass(frozen=True)
class PainChart:
    width: int
    height: int
    before: list[Point]
    after: list[Point]
    y_ticks: list[tuple[float, int]]
    x_labels: list[Label]
    plot_left: int
    plot_right: int
    y_label_xs: list[tuple[float, str]]  # x, text-anchor of each column of y values

    @property
    def before_line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.before)

    @property
    def after_line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.after)


@dataclass(frozen=True)
class PainCharts:
    """The same sessions drawn for a wide screen and for a phone."""

    wide: PainChart
    phone: PainChart


def pain_charts(sessions: list[tuple[datetime, int, int]]) -> PainCharts:
    """sessions: (started_at, pain_before, pain_after), oldest first."""
    return PainCharts(pain_chart(sessions), pain_chart(sessions, spacing=PHONE_SPACING))


def pain_chart(sessions: list[tuple[datetime, int, int]], spacing: int | None = None) -> PainChart:
    """sessions: (started_at, pain_before, pain_after), oldest first.

    Without spacing the chart is WIDTH wide and labels the newest session and as many
    earlier ones as fit. With spacing (a phone's chart, drawn at its own size) it grows
    to put that much between sessions and labels every one: the day once, centred under
    its sessions, and the time under each session of a day with several."""
    count = len(sessions)
    phone = spacing is not None
    # On a phone the values 0-10 are on both sides: it opens at the right-hand end.
    left, right = (30, 30) if phone else (36, 12)
    width = WIDTH
    if spacing is not None:
        width = max(PHONE_MIN_WIDTH, left + right + 2 * PAD + spacing * (count - 1))
    inner_w, inner_h = width - left - right - 2 * PAD, HEIGHT - TOP - BOTTOM

    def x(index: int) -> float:
        return left + PAD + (inner_w / 2 if count == 1 else inner_w * index / (count - 1))

    def y(value: int) -> float:
        return TOP + inner_h * (10 - value) / 10

    local = [timezone.localtime(when) for when, _, _ in sessions]
    days = [when.date() for when in local]
    shared = Counter(days)
    if phone:
        labelled = list(range(count))
    else:
        labelled = [count - 1]  # the newest, then back as far as room allows
        for index in range(count - 2, -1, -1):
            if x(labelled[-1]) - x(index) >= LABEL_GAP:
                labelled.append(index)
        labelled.reverse()
    labels = []
    for index in labelled:
        when, day = local[index], days[index]
        time = f"{when:%H:%M}" if shared[day] > 1 else ""
        if not phone:
            labels.append(Label(x(index), f"{when.day} {when:%b}", time))
            continue
        labels.append(Label(x(index), "", time))
        if index == 0 or days[index - 1] != day:  # the day once, centred over its sessions
            middle = (x(index) + x(index + shared[day] - 1)) / 2
            labels.append(Label(middle, f"{when.day} {when:%b}", ""))
    y_label_xs: list[tuple[float, str]] = [(left - 8, "end")]
    if phone:
        y_label_xs.append((width - right + 8, "start"))
    return PainChart(
        width=width,
        height=HEIGHT,
        before=[Point(x(i), y(b), b, local[i]) for i, (_, b, _) in enumerate(sessions)],
        after=[Point(x(i), y(a), a, local[i]) for i, (_, _, a) in enumerate(sessions)],
        y_ticks=[(y(v), v) for v in Y_VALUES],
        x_labels=labels,
        plot_left=left,
        plot_right=width - right,
        y_label_xs=y_label_xs,
    )
