"""The scan's HTML report: one self-contained file (inline CSS and SVG) that opens offline.

Sections carry stable ids (``flags``, ``scores``, ``rules``, ``groups``, ``trend``) so a test or a
link can find them.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from .._version import VERSION
from ..models import Category
from .scan_summary import HISTOGRAM_BINS, MIN_GROUP_ROWS, ScanSummary
from .svg_charts import Bar, Segment, Series, bar_chart, column_chart, line_chart

CATEGORY_COLORS = {Category.dismissive: "#d9485f", Category.clipped: "#e8a33d", Category.technical: "#2b8cbe"}
ANY_COLOR = "#374151"
# Histogram bins from poor (red) to warm, clear and plain (green).
_SCORE_COLORS = ["#b91c1c", "#c2410c", "#d97706", "#ca8a04", "#a3a31a", "#65a30d", "#3f9b3a", "#16a34a", "#15803d", "#166534"]
_SHOWN_GROUPS = 12

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f9; color: #111827;
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { background: #1f2937; color: #f9fafb; padding: 28px 48px 24px; }
header h1 { margin: 0 0 4px; font-size: 26px; font-weight: 650; letter-spacing: -0.01em; }
header p { margin: 0; color: #cbd5e1; font-size: 14px; }
main { max-width: 1240px; margin: 0 auto; padding: 24px 32px 48px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 16px; margin-bottom: 24px; }
.tile { background: #fff; border-radius: 12px; padding: 16px 20px; box-shadow: 0 1px 2px rgba(0,0,0,.06); }
.tile .value { font-size: 30px; font-weight: 700; letter-spacing: -0.02em; }
.tile .label { color: #6b7280; font-size: 13px; text-transform: uppercase; letter-spacing: .04em; }
.tile .sub { color: #6b7280; font-size: 13px; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
@media (max-width: 900px) { .grid { grid-template-columns: 1fr; } }
section { background: #fff; border-radius: 12px; padding: 20px 24px; box-shadow: 0 1px 2px rgba(0,0,0,.06); margin-bottom: 20px; }
section h2 { margin: 0 0 2px; font-size: 18px; }
section .hint { margin: 0 0 14px; color: #6b7280; font-size: 13px; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th { text-align: left; color: #6b7280; font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .04em;
     border-bottom: 1px solid #e5e7eb; padding: 6px 8px; }
td { border-bottom: 1px solid #f1f5f9; padding: 7px 8px; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pill { display: inline-block; padding: 1px 9px; border-radius: 999px; color: #fff; font-size: 12px; font-weight: 600; }
.example { color: #4b5563; font-size: 13px; margin: 2px 0; }
mark { background: #fde68a; color: #111827; padding: 0 2px; border-radius: 3px; }
.legend { display: flex; gap: 16px; flex-wrap: wrap; font-size: 13px; color: #374151; margin-bottom: 6px; }
.legend span::before { content: ""; display: inline-block; width: 12px; height: 12px; border-radius: 3px;
                       margin-right: 6px; vertical-align: -1px; background: var(--c); }
.muted { color: #6b7280; }
footer { color: #9ca3af; font-size: 12px; text-align: center; padding-bottom: 24px; }
"""


def render_report(summary: ScanSummary, generated: datetime | None = None) -> str:
    """The whole report as one HTML document."""
    generated = generated or datetime.now()
    parts = [
        _tiles(summary),
        '<div class="grid">',
        _flags_section(summary),
        _scores_section(summary),
        "</div>",
        _rules_section(summary),
        *(_group_section(summary, column) for column in summary.groups),
        _trend_section(summary),
    ]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tone report: {escape(summary.source)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>Tone of help-desk replies</h1>
<p>{escape(summary.source)} · {summary.rows:,} rows · generated {generated:%d %b %Y %H:%M} by toneguard {VERSION}</p>
</header>
<main>
{"".join(parts)}
</main>
<footer>Dismissive: blame, minimising, brush-offs. Clipped: curt or too short for the message. Technical: jargon a
customer may not know. A reply can be flagged in more than one category.</footer>
</body>
</html>
"""


def _share(count: int, whole: int) -> str:
    return f"{count / whole:.1%}" if whole else "–"


def _tile(label: str, value: str, sub: str = "", color: str = "#111827") -> str:
    return (
        f'<div class="tile"><div class="label">{escape(label)}</div>'
        f'<div class="value" style="color:{color}">{escape(value)}</div><div class="sub">{escape(sub)}</div></div>'
    )


def _tiles(summary: ScanSummary) -> str:
    analyzed = summary.analyzed
    tiles = [
        _tile("Replies analysed", f"{analyzed:,}", f"{summary.skipped:,} skipped of {summary.rows:,} read"),
        _tile("Flagged", _share(summary.flagged_any, analyzed), f"{summary.flagged_any:,} replies", ANY_COLOR),
        *(
            _tile(category.value.capitalize(), _share(count, analyzed), f"{count:,} replies", CATEGORY_COLORS[category])
            for category, count in summary.flagged.items()
        ),
        _tile("Mean score", "–" if summary.mean_score is None else f"{summary.mean_score:.0f}", "100 = warm, clear, plain"),
    ]
    return f'<div class="tiles">{"".join(tiles)}</div>'


def _flags_section(summary: ScanSummary) -> str:
    bars = [
        Bar(
            category.value.capitalize(),
            [Segment(count, CATEGORY_COLORS[category], f"{category.value}: {count:,}")],
            f"{count:,} · {_share(count, summary.analyzed)}",
        )
        for category, count in summary.flagged.items()
    ]
    bars.append(
        Bar("Any category", [Segment(summary.flagged_any, ANY_COLOR)], f"{summary.flagged_any:,} · {_share(summary.flagged_any, summary.analyzed)}")
    )
    chart = bar_chart(bars, scale_max=max(summary.analyzed, 1), label="replies flagged per category", width=600)
    return (
        '<section id="flags"><h2>Flags per category</h2>'
        f'<p class="hint">Share of the {summary.analyzed:,} analysed replies flagged in each category.</p>{chart}</section>'
    )


def _scores_section(summary: ScanSummary) -> str:
    width = 100 // HISTOGRAM_BINS
    labels = [f"{low}–{low + width - 1}" if low + width < 100 else f"{low}–100" for low in range(0, 100, width)]
    chart = column_chart(summary.score_histogram, labels, _SCORE_COLORS, label="score distribution", width=600, height=220)
    return (
        '<section id="scores"><h2>Score distribution</h2>'
        '<p class="hint">Overall score per reply: 100 is warm, clear and plain; low scores need a second look.</p>'
        f"{chart}</section>"
    )


def _rules_section(summary: ScanSummary) -> str:
    if not summary.top_rules:
        return '<section id="rules"><h2>Top rules</h2><p class="muted">No rule fired.</p></section>'
    bars = [
        Bar(f"{rule.rule_id}", [Segment(rule.count, CATEGORY_COLORS[rule.category], rule.category.value)], f"{rule.count:,}")
        for rule in summary.top_rules
    ]
    rows = []
    for rule in summary.top_rules:
        examples = "".join(
            f'<div class="example">{escape(e.before)}<mark>{escape(e.text)}</mark>{escape(e.after)}</div>'
            for e in rule.examples
        )
        rows.append(
            f'<tr><td><strong>{rule.rule_id}</strong></td>'
            f'<td><span class="pill" style="background:{CATEGORY_COLORS[rule.category]}">{rule.category.value}</span></td>'
            f'<td class="num">{rule.count:,}</td><td>{examples}</td></tr>'
        )
    legend = "".join(f'<span style="--c:{CATEGORY_COLORS[c]}">{c.value}</span>' for c in Category)
    return (
        '<section id="rules"><h2>Top rules</h2>'
        '<p class="hint">Findings per rule, with the first flagged spans. <code>toneguard explain ID</code> says why each matters.</p>'
        f'<div class="legend">{legend}</div>{bar_chart(bars, label="findings per rule", width=960)}'
        '<table><thead><tr><th>rule</th><th>category</th><th class="num">findings</th><th>examples</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table></section>'
    )


def _group_section(summary: ScanSummary, column: str) -> str:
    groups = summary.groups[column][:_SHOWN_GROUPS]
    bars = [
        Bar(
            group.value or "(empty)",
            [Segment(group.flagged_share, ANY_COLOR, f"{group.flagged:,} of {group.rows:,} flagged")],
            f"{group.flagged_share:.0%} of {group.rows:,}",
        )
        for group in groups
    ]
    rows = "".join(
        f"<tr><td>{escape(group.value or '(empty)')}</td><td class='num'>{group.rows:,}</td>"
        f"<td class='num'>{group.flagged:,}</td><td class='num'>{group.flagged_share:.1%}</td>"
        + "".join(f"<td class='num'>{group.by_category[c]:,}</td>" for c in Category)
        + f"<td class='num'>{group.mean_score:.0f}</td></tr>"
        for group in groups
    )
    heads = "".join(f'<th class="num">{c.value}</th>' for c in Category)
    peak = max((group.flagged_share for group in groups), default=0.0)
    return (
        f'<section id="groups-{escape(column)}" class="groups"><h2>By {escape(column)}</h2>'
        f'<p class="hint">The {len(groups)} {escape(column)} values (of {summary.group_counts[column]:,}) with the largest share of '
        f"flagged replies in any category; values with fewer than {MIN_GROUP_ROWS} replies come last.</p>"
        f'{bar_chart(bars, scale_max=max(peak, 0.01), label=f"flagged by {column}", width=960)}'
        f'<table><thead><tr><th>{escape(column)}</th><th class="num">replies</th><th class="num">flagged</th>'
        f'<th class="num">share</th>{heads}<th class="num">mean score</th></tr></thead><tbody>{rows}</tbody></table></section>'
    )


def _trend_section(summary: ScanSummary) -> str:
    if not summary.trend:
        return ""
    labels = [point.period for point in summary.trend]
    series = [
        Series(
            category.value,
            CATEGORY_COLORS[category],
            [point.by_category[category] / point.rows if point.rows else None for point in summary.trend],
        )
        for category in Category
    ]
    series.append(Series("any", ANY_COLOR, [p.flagged / p.rows if p.rows else None for p in summary.trend], width=3.5))
    legend = "".join(f'<span style="--c:{s.color}">{s.name}</span>' for s in series)
    undated = f" {summary.undated:,} replies had no readable date." if summary.undated else ""
    chart = line_chart(series, labels, [p.rows for p in summary.trend], label="flagged share over time")
    return (
        f'<section id="trend"><h2>Trend by {summary.trend_unit}</h2>'
        f'<p class="hint">Share of replies flagged per {summary.trend_unit}; grey columns show how many replies each '
        f"{summary.trend_unit} had.{undated}</p><div class=\"legend\">{legend}</div>{chart}</section>"
    )
