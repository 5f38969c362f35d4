"""A small server-rendered line chart of pain before and after each session (no JavaScript)."""

from dataclasses import dataclass
from datetime import datetime

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 30


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    when: datetime


@dataclass(frozen=True)
class PainChart:
    width: int
    height: int
    before: list[Point]
    after: list[Point]
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, str, str]]  # x, text, text-anchor

    @property
    def before_line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.before)

    @property
    def after_line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.after)


def pain_chart(sessions: list[tuple[datetime, int, int]]) -> PainChart:
    """sessions: (started_at, pain_before, pain_after), oldest first."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    count = len(sessions)

    def x(index: int) -> float:
        return LEFT + (inner_w / 2 if count == 1 else inner_w * index / (count - 1))

    def y(value: int) -> float:
        return TOP + inner_h * (10 - value) / 10

    before = [Point(x(i), y(b), b, when) for i, (when, b, _) in enumerate(sessions)]
    after = [Point(x(i), y(a), a, when) for i, (when, _, a) in enumerate(sessions)]
    step = max(1, count // 6)
    indexes = list(range(0, count, step))
    # The outermost labels are anchored inwards so they stay inside the chart.
    labels = [(x(i), f"{sessions[i][0]:%d %b}", _anchor(i, count)) for i in indexes]
    return PainChart(WIDTH, HEIGHT, before, after, [(y(v), v) for v in (0, 2, 4, 6, 8, 10)], labels)


def _anchor(index: int, count: int) -> str:
    if count == 1:
        return "middle"
    if index == 0:
        return "start"
    return "end" if index == count - 1 else "middle"
