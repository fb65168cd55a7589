"""Small inline-SVG charts for the HTML report: no plotting library, no scripts, no network.

Each function returns an ``<svg>`` string that scales to its container's width.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

FONT = "font-family:inherit;font-size:13px"
MUTED = "#6b7280"
GRID = "#e5e7eb"
_TICKS = 5


@dataclass(frozen=True)
class Segment:
    value: float
    color: str
    title: str = ""


@dataclass(frozen=True)
class Bar:
    label: str
    segments: list[Segment]
    note: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    color: str
    values: list[float | None]
    width: float = 2.5


def _svg(width: int, height: int, body: list[str], label: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg" style="{FONT}">' + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", color: str = MUTED, weight: str = "normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{color}" font-weight="{weight}">'
        f"{escape(text)}</text>"
    )


def _rect(x: float, y: float, w: float, h: float, color: str, title: str = "", radius: float = 3) -> str:
    tip = f"<title>{escape(title)}</title>" if title else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" rx="{radius}" fill="{color}">{tip}</rect>'


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(bars: list[Bar], scale_max: float | None = None, label: str = "bar chart", width: int = 640) -> str:
    """Horizontal bars, one per row, each made of stacked segments, with a note at the end."""
    label_width, note_width, row, bar_height = 170, 130, 34, 20
    height = max(row * len(bars), row)
    top = max((sum(s.value for s in bar.segments) for bar in bars), default=0)
    scale_max = scale_max or top or 1
    plot = width - label_width - note_width
    body = []
    for index, bar in enumerate(bars):
        y = index * row + (row - bar_height) / 2
        body.append(_rect(label_width, y, plot, bar_height, "#f3f4f6"))
        body.append(_text(label_width - 10, y + 15, _short(bar.label, 24), anchor="end", color="#111827"))
        x = label_width
        for segment in bar.segments:
            span = plot * segment.value / scale_max
            if span > 0:
                body.append(_rect(x, y, span, bar_height, segment.color, segment.title, radius=2))
            x += span
        body.append(_text(width - note_width + 10, y + 15, bar.note, color="#374151"))
    return _svg(width, height, body, label)


def column_chart(
    values: list[int], labels: list[str], colors: list[str], label: str = "column chart", width: int = 640, height: int = 240
) -> str:
    """Vertical columns with their counts on top and a label under each."""
    left, bottom, top_pad = 10, 28, 22
    plot_height = height - bottom - top_pad
    slot = (width - 2 * left) / max(len(values), 1)
    peak = max(values, default=0) or 1
    body = [f'<line x1="{left}" y1="{height - bottom}" x2="{width - left}" y2="{height - bottom}" stroke="{GRID}"/>']
    for index, (value, name, color) in enumerate(zip(values, labels, colors)):
        x = left + index * slot + slot * 0.12
        bar_height = plot_height * value / peak
        y = height - bottom - bar_height
        body.append(_rect(x, y, slot * 0.76, bar_height, color, f"{name}: {value:,}"))
        body.append(_text(x + slot * 0.38, y - 6, f"{value:,}", anchor="middle", color="#374151"))
        body.append(_text(x + slot * 0.38, height - 9, name, anchor="middle"))
    return _svg(width, height, body, label)


def line_chart(
    series: list[Series],
    x_labels: list[str],
    volumes: list[int],
    label: str = "trend",
    width: int = 960,
    height: int = 300,
) -> str:
    """Shares (0-1) over time as lines, above faint columns for the volume of each period."""
    left, right, top, bottom = 48, 16, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(x_labels), 1)
    step = plot_w / count
    peak_share = max((v for s in series for v in s.values if v is not None), default=0.0)
    ceiling = min(1.0, max(0.05, _nice_ceiling(peak_share)))
    peak_volume = max(volumes, default=0) or 1
    body = []
    for tick in range(_TICKS + 1):
        share = ceiling * tick / _TICKS
        y = top + plot_h * (1 - share / ceiling)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, f"{share:.0%}", anchor="end"))
    for index, volume in enumerate(volumes):
        bar_h = plot_h * 0.35 * volume / peak_volume
        body.append(_rect(left + index * step + step * 0.15, top + plot_h - bar_h, step * 0.7, bar_h, "#eef2f7", f"{x_labels[index]}: {volume:,} replies", radius=1))
    every = max(1, round(count / 8))
    for index, name in enumerate(x_labels):
        if index % every == 0:
            body.append(_text(left + (index + 0.5) * step, height - 12, name, anchor="middle"))
    for line in series:
        points = [
            (left + (index + 0.5) * step, top + plot_h * (1 - value / ceiling))
            for index, value in enumerate(line.values)
            if value is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{line.color}" stroke-width="{line.width}" '
                'stroke-linejoin="round" stroke-linecap="round"/>'
            )
        radius = 3.5 if len(points) < 40 else 0
        body.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{line.color}"/>' for x, y in points if radius)
    return _svg(width, height, body, label)


def _nice_ceiling(value: float) -> float:
    """The smallest ceiling above ``value`` (with a little headroom) whose ticks are whole percentages."""
    for ceiling in (0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0):
        if value * 1.1 <= ceiling:
            return ceiling
    return 1.0
