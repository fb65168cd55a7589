"""The trend chart as data: where each point sits on a time axis, and which points carry enough replies to trust.

Kept apart from drawing so the rules a reader relies on can be tested on numbers:
a point sits at the middle of its period on an axis proportional to time (a
three-week gap looks like three weeks), a share from fewer than ``min_sample``
replies is drawn faint and never joined by a line, and lines break where a
period had no replies at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..models import Category
from .scan_summary import ScanSummary, TrendPoint, TrendUnit

_MAX_TICKS = 8
_DAY_STEPS = (1, 2, 3, 7, 14, 28)
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)


@dataclass(frozen=True)
class ChartPoint:
    x: float
    """0 at the start of the first period, 1 at the end of the last."""
    share: float
    rows: int
    solid: bool
    """Enough replies (``min_sample``) behind the share to draw it solid and join it to its neighbours."""
    period: str


@dataclass(frozen=True)
class ChartLine:
    name: str
    points: list[ChartPoint]
    segments: list[tuple[ChartPoint, ChartPoint]]
    """Lines drawn: only between solid points of periods that follow one another."""


@dataclass(frozen=True)
class VolumeBar:
    x0: float
    x1: float
    rows: int
    period: str


@dataclass(frozen=True)
class TrendChart:
    unit: TrendUnit
    start: date
    end: date
    lines: list[ChartLine]
    volumes: list[VolumeBar]
    ticks: list[tuple[float, str]]
    ceiling: float
    """The share at the top of the axis, from the solid points (pale ones above it sit on the top edge)."""
    min_sample: int


def trend_chart(summary: ScanSummary) -> TrendChart | None:
    """The trend of the summary laid out on a time axis; None without dated replies."""
    if not summary.trend or summary.trend_unit is None:
        return None
    unit = summary.trend_unit
    spans = [(date.fromisoformat(p.period), period_end(date.fromisoformat(p.period), unit), p) for p in summary.trend]
    start, end = spans[0][0], spans[-1][1]
    length = (end - start).days

    def at(day: date) -> float:
        return (day - start).days / length

    def share_of(point: TrendPoint, name: str) -> float:
        flagged = point.flagged if name == "any" else point.by_category[Category(name)]
        return flagged / point.rows if point.rows else 0.0

    lines = []
    for name in [*(c.value for c in Category), "any"]:
        points = [
            ChartPoint(
                x=(at(first) + at(last)) / 2,
                share=share_of(point, name),
                rows=point.rows,
                solid=point.rows >= summary.min_sample,
                period=point.period,
            )
            for first, last, point in spans
        ]
        segments = [
            (a, b)
            for (a, b), ((_, a_end, _), (b_start, _, _)) in zip(zip(points, points[1:]), zip(spans, spans[1:]))
            if a.solid and b.solid and a_end == b_start
        ]
        lines.append(ChartLine(name, points, segments))
    # Scaled to the points worth reading: a pale spike from three replies sits at the top edge instead of squashing the rest.
    solid = [p.share for line in lines for p in line.points if p.solid]
    peak = max(solid or [p.share for line in lines for p in line.points] or [0.0])
    return TrendChart(
        unit=unit,
        start=start,
        end=end,
        lines=lines,
        volumes=[VolumeBar(at(first), at(last), point.rows, point.period) for first, last, point in spans],
        ticks=[(at(day), label) for day, label in time_ticks(start, end)],
        ceiling=nice_ceiling(peak),
        min_sample=summary.min_sample,
    )


def period_end(start: date, unit: TrendUnit) -> date:
    """The first day after the period that begins on ``start``."""
    if unit == "day":
        return start + timedelta(days=1)
    if unit == "week":
        return start + timedelta(days=7)
    return _add_months(start, 1)


def time_ticks(start: date, end: date) -> list[tuple[date, str]]:
    """At most eight evenly spaced dates from ``start`` to ``end``: days for short spans, month starts for longer."""
    days = (end - start).days
    step = next((s for s in _DAY_STEPS if days / s <= _MAX_TICKS), None)
    if step is not None and days <= 62:
        return [
            (day, f"{day.day} {day:%b}")
            for day in (start + timedelta(days=i) for i in range(0, days + 1, step))
        ]
    months = (end.year - start.year) * 12 + end.month - start.month
    months_step = next((s for s in _MONTH_STEPS if months / s <= _MAX_TICKS), _MONTH_STEPS[-1])
    first = start if start.day == 1 else _add_months(start.replace(day=1), 1)
    ticks = []
    day = first
    while day <= end:
        ticks.append((day, f"{day:%Y}" if months_step >= 12 else f"{day:%b %Y}" if day.month == 1 or day == first else f"{day:%b}"))
        day = _add_months(day, months_step)
    return ticks


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def nice_ceiling(value: float) -> float:
    """The smallest ceiling above ``value`` (with a little headroom) whose ticks are whole percentages; at least 5%."""
    for ceiling in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0):
        if value * 1.1 <= ceiling:
            return ceiling
    return 1.0
