"""Small inline-SVG charts for the HTML report: no plotting library, no scripts, no network.

Each function returns an ``<svg>`` string that scales to its container's width.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .trend_chart import TrendChart

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


def time_chart(chart: TrendChart, colors: dict[str, str], label: str = "trend", width: int = 960, height: int = 300) -> str:
    """Shares (0-1) on a time axis, above faint columns for each period's volume.

    Solid points are joined where their periods follow one another; points from
    too few replies are small and pale, and never joined.
    """
    left, right, top, bottom = 48, 16, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling = chart.ceiling
    peak_volume = max((bar.rows for bar in chart.volumes), default=0) or 1

    def x_of(fraction: float) -> float:
        return left + plot_w * fraction

    def y_of(share: float) -> float:
        return top + plot_h * (1 - min(share, ceiling) / ceiling)

    body = []
    for tick in range(_TICKS + 1):
        share = ceiling * tick / _TICKS
        body.append(f'<line x1="{left}" y1="{y_of(share):.1f}" x2="{width - right}" y2="{y_of(share):.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y_of(share) + 4, f"{share:.0%}", anchor="end"))
    for bar in chart.volumes:
        bar_h = plot_h * 0.35 * bar.rows / peak_volume
        span = plot_w * (bar.x1 - bar.x0)
        body.append(
            _rect(x_of(bar.x0) + span * 0.1, top + plot_h - bar_h, span * 0.8, bar_h, "#e7ebf1", f"{bar.period}: {bar.rows:,} replies", radius=1)
        )
    for fraction, name in chart.ticks:
        x = x_of(fraction)
        body.append(f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 5}" stroke="{MUTED}"/>')
        # Labels at the ends of the axis are aligned inwards so they are not cut off.
        anchor = "start" if fraction < 0.03 else "end" if fraction > 0.97 else "middle"
        body.append(_text(x, height - 10, name, anchor=anchor))
    dense = max((len(line.points) for line in chart.lines), default=0) > 60
    for line in chart.lines:
        color = colors[line.name]
        thick = 3.5 if line.name == "any" else 2.2
        for a, b in line.segments:
            body.append(
                f'<line x1="{x_of(a.x):.1f}" y1="{y_of(a.share):.1f}" x2="{x_of(b.x):.1f}" y2="{y_of(b.share):.1f}" '
                f'stroke="{color}" stroke-width="{thick}" stroke-linecap="round"/>'
            )
        for point in line.points:
            tip = f"{point.period}: {point.share:.1%} {line.name} of {point.rows:,} replies"
            if point.solid and not dense:
                body.append(_circle(x_of(point.x), y_of(point.share), 3.5, color, tip))
            elif not point.solid:
                body.append(_circle(x_of(point.x), y_of(point.share), 2.5, color, tip + " (too few to trust)", opacity=0.3))
    return _svg(width, height, body, label)


def _circle(x: float, y: float, radius: float, color: str, title: str, opacity: float = 1.0) -> str:
    faded = f' fill-opacity="{opacity}"' if opacity < 1 else ""
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{color}"{faded}><title>{escape(title)}</title></circle>'
