"""The scan's HTML report: one self-contained file (inline CSS and SVG) that opens offline.

Sections carry stable ids (``flags``, ``scores``, ``rules``, ``agents``, ``groups-<column>``,
``trend``) so a test or a link can find them. Every chart says in one line how to read it.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from .._version import VERSION
from ..models import Category
from .scan_summary import HISTOGRAM_BINS, GroupRow, ScanSummary
from .svg_charts import Bar, Segment, bar_chart, column_chart, time_chart
from .trend_chart import nice_ceiling, trend_chart

CATEGORY_COLORS = {Category.dismissive: "#d9485f", Category.clipped: "#e8a33d", Category.technical: "#2b8cbe"}
ANY_COLOR = "#374151"
# Histogram bins from poor (red) to warm, clear and plain (green).
_SCORE_COLORS = ["#b91c1c", "#c2410c", "#d97706", "#ca8a04", "#a3a31a", "#65a30d", "#3f9b3a", "#16a34a", "#15803d", "#166534"]
_SHOWN_GROUPS = 12
AGENT_GROUP = "agent"
_KIND_NAMES = {"zendesk": "Zendesk", "freshdesk": "Freshdesk", "intercom": "Intercom", "helpscout": "Help Scout"}

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
section h3 { margin: 18px 0 4px; font-size: 15px; }
#context table { table-layout: fixed; }
#context th:first-child { width: 16%; }
section .hint { margin: 0 0 14px; color: #4b5563; font-size: 13px; }
section .hint b { color: #111827; font-weight: 600; }
.sub-hint { color: #6b7280; font-size: 13px; margin: 10px 0 0; }
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
tr.few td { color: #9ca3af; }
tr.few .share .fill { background: #c4c9d2; }
.times { color: #6b7280; font-size: 12px; margin-left: 4px; white-space: nowrap; }
.share { display: flex; align-items: center; gap: 8px; justify-content: flex-end; }
.share .track { width: 90px; height: 8px; background: #eef0f4; border-radius: 4px; overflow: hidden; }
.share .fill { height: 100%; background: #374151; }
header .threads { margin-top: 6px; color: #e5e7eb; }
code { font-size: 12px; background: #f3f4f6; padding: 1px 4px; border-radius: 4px; }
footer { color: #9ca3af; font-size: 12px; text-align: center; padding-bottom: 24px; }
"""


def render_report(summary: ScanSummary, generated: datetime | None = None) -> str:
    """The whole report as one HTML document."""
    generated = generated or datetime.now()
    others = [column for column in summary.groups if column != AGENT_GROUP]
    parts = [
        _tiles(summary),
        '<div class="grid">',
        _flags_section(summary),
        _scores_section(summary),
        "</div>",
        _trend_section(summary),
        _agent_section(summary) if AGENT_GROUP in summary.groups else "",
        _context_section(summary),
        *(_group_section(summary, column) for column in others),
        _rules_section(summary),
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
<p>{escape(summary.source)}{escape(_kind(summary))} · {summary.rows:,} rows · generated {generated:%d %b %Y %H:%M} by toneguard {VERSION}</p>
{_threads_line(summary)}
</header>
<main>
{"".join(parts)}
</main>
<footer>Dismissive: blame, minimising, brush-offs. Clipped: curt or too short for the message. Technical: jargon a
customer may not know. A reply can be flagged in more than one category.</footer>
</body>
</html>
"""


def _kind(summary: ScanSummary) -> str:
    name = _KIND_NAMES.get(summary.source_kind)
    return f" ({name} export)" if name else ""


def _threads_line(summary: ScanSummary) -> str:
    threads = summary.threads
    if threads is None:
        return ""
    left_out = ", ".join(
        f"{threads.messages[kind]:,} {name}"
        for kind, name in (("note", "private notes"), ("bot", "bot messages"), ("event", "system events"))
        if threads.messages.get(kind)
    )
    return (
        f'<p class="threads">{threads.conversations:,} threads · {threads.messages.get("reply", 0):,} public agent replies, '
        f'each read with the customer messages since the previous reply'
        + (f" · left out: {left_out}" if left_out else "")
        + "</p>"
    )


def _share(count: int, whole: int) -> str:
    return f"{count / whole:.1%}" if whole else "–"


def _replies(count: int) -> str:
    return f"{count:,} reply" if count == 1 else f"{count:,} replies"


def _hint(how: str, more: str = "") -> str:
    return f'<p class="hint"><b>How to read this:</b> {how}{(" " + more) if more else ""}</p>'


def _tile(label: str, value: str, sub: str = "", color: str = "#111827") -> str:
    return (
        f'<div class="tile"><div class="label">{escape(label)}</div>'
        f'<div class="value" style="color:{color}">{escape(value)}</div><div class="sub">{escape(sub)}</div></div>'
    )


def _tiles(summary: ScanSummary) -> str:
    analyzed = summary.analyzed
    tiles = [
        _tile("Replies analysed", f"{analyzed:,}", f"{summary.skipped:,} skipped of {summary.rows:,} rows"),
        _tile("Flagged", _share(summary.flagged_any, analyzed), _replies(summary.flagged_any), ANY_COLOR),
        *(
            _tile(category.value.capitalize(), _share(count, analyzed), _replies(count), CATEGORY_COLORS[category])
            for category, count in summary.flagged.items()
        ),
        _tile("Mean score", "–" if summary.mean_score is None else f"{summary.mean_score:.0f}", "100 = warm, clear, plain"),
    ]
    return f'<div class="tiles">{"".join(tiles)}</div>'


def _flags_section(summary: ScanSummary) -> str:
    analyzed = summary.analyzed
    bars = [
        Bar(
            category.value.capitalize(),
            [Segment(count / analyzed if analyzed else 0, CATEGORY_COLORS[category], f"{category.value}: {count:,}")],
            f"{_share(count, analyzed)} · {count:,}",
        )
        for category, count in summary.flagged.items()
    ]
    any_share = summary.flagged_any / analyzed if analyzed else 0
    bars.append(Bar("Any category", [Segment(any_share, ANY_COLOR)], f"{_share(summary.flagged_any, analyzed)} · {summary.flagged_any:,}"))
    ceiling = nice_ceiling(any_share)
    chart = bar_chart(bars, scale_max=ceiling, label="share of replies flagged per category", width=600)
    return (
        '<section id="flags"><h2>Flags per category</h2>'
        + _hint(
            f"each bar is the share of the {analyzed:,} analysed replies flagged in that category; "
            f"a full bar would be {ceiling:.0%}. A reply can be flagged in several."
        )
        + f"{chart}</section>"
    )


def _scores_section(summary: ScanSummary) -> str:
    width = 100 // HISTOGRAM_BINS
    labels = [f"{low}–{low + width - 1}" if low + width < 100 else f"{low}–100" for low in range(0, 100, width)]
    chart = column_chart(summary.score_histogram, labels, _SCORE_COLORS, label="score distribution", width=600, height=220)
    return (
        '<section id="scores"><h2>Score distribution</h2>'
        + _hint("each column counts replies by overall score; 100 is warm, clear and plain, and the red columns on the left need a second look.")
        + f"{chart}</section>"
    )


def _rules_section(summary: ScanSummary) -> str:
    if not summary.top_rules:
        return (
            '<section id="rules"><h2>Top rules</h2><p class="muted">No finding is behind a flag: '
            "no reply was flagged.</p></section>"
        )
    bars = [
        Bar(rule.rule_id, [Segment(rule.count, CATEGORY_COLORS[rule.category], rule.category.value)], f"{rule.count:,} of {rule.total:,}")
        for rule in summary.top_rules
    ]
    rows = []
    for rule in summary.top_rules:
        examples = "".join(
            f'<div class="example">{escape(e.before)}<mark>{escape(e.text)}</mark>{escape(e.after)}'
            + (f'<span class="times">×{e.times:,}</span>' if e.times > 1 else "")
            + "</div>"
            for e in rule.examples
        )
        rows.append(
            f"<tr><td><strong>{rule.rule_id}</strong></td>"
            f'<td><span class="pill" style="background:{CATEGORY_COLORS[rule.category]}">{rule.category.value}</span></td>'
            f'<td class="num">{rule.count:,}</td><td class="num muted">{rule.total:,}</td><td>{examples}</td></tr>'
        )
    legend = "".join(f'<span style="--c:{CATEGORY_COLORS[c]}">{c.value}</span>' for c in Category)
    return (
        '<section id="rules"><h2>Top rules behind the flags</h2>'
        + _hint(
            "each bar counts a rule's findings in replies that were flagged in the rule's category, the findings that "
            "made the flags; the note adds how often the rule fired in all replies, flagged or not.",
            "<code>toneguard explain ID</code> says why each matters.",
        )
        + f'<div class="legend">{legend}</div>{bar_chart(bars, label="findings behind flags per rule", width=1130)}'
        '<table><thead><tr><th>rule</th><th>category</th><th class="num">behind flags</th><th class="num">all findings</th>'
        f'<th>examples (same wording merged)</th></tr></thead><tbody>{"".join(rows)}</tbody></table></section>'
    )


def _group_rows(groups: list[GroupRow], peak: float, min_sample: int) -> str:
    scale = peak or 1.0
    return "".join(
        ("<tr class='few'>" if group.rows < min_sample else "<tr>")
        + f"<td>{escape(group.value or '(empty)')}</td><td class='num'>{group.rows:,}</td>"
        f"<td class='num'>{group.flagged:,}</td>"
        f"<td class='num'><div class='share'>{group.flagged_share:.1%}<div class='track'>"
        f"<div class='fill' style='width:{min(group.flagged_share / scale, 1):.0%}'></div></div></div></td>"
        + "".join(f"<td class='num'>{group.by_category[c]:,}</td>" for c in Category)
        + f"<td class='num'>{group.mean_score:.0f}</td></tr>"
        for group in groups
    )


def _group_table(column: str, groups: list[GroupRow], min_sample: int) -> str:
    """The groups as a table; rows from fewer than ``min_sample`` replies are greyed."""
    heads = "".join(f'<th class="num">{c.value}</th>' for c in Category)
    peak = max((group.flagged_share for group in groups), default=0.0)
    return (
        f'<table><thead><tr><th>{escape(column)}</th><th class="num">replies</th><th class="num">flagged</th>'
        f'<th class="num">share flagged</th>{heads}<th class="num">mean score</th></tr></thead>'
        f"<tbody>{_group_rows(groups, peak, min_sample)}</tbody></table>"
    )


def _agent_section(summary: ScanSummary) -> str:
    agents = summary.groups[AGENT_GROUP]
    ranked = [agent for agent in agents if agent.rows >= summary.min_sample]
    small = summary.small_groups.get(AGENT_GROUP, 0)
    total = summary.group_counts[AGENT_GROUP]
    note = (
        f'<p class="sub-hint">{small:,} of {total:,} agents had fewer than {summary.min_sample} replies and are not ranked: '
        "one or two flags would swing their share.</p>"
        if small
        else ""
    )
    table = _group_table("agent", ranked, summary.min_sample) if ranked else '<p class="muted">No agent has enough replies to rank.</p>'
    return (
        '<section id="agents"><h2>By agent</h2>'
        + _hint(
            f"agents with at least {summary.min_sample} analysed replies, the largest share of flagged replies first; "
            "the category columns count flagged replies, so one reply can appear in several."
            + (f" The {len(ranked)} worst are shown." if len(ranked) < total - small else "")
        )
        + f"{table}{note}</section>"
    )


def _context_section(summary: ScanSummary) -> str:
    if not summary.context:
        return ""
    blocks = [f"<h3>{escape(name.capitalize())}</h3>{_group_table('', rows, summary.min_sample)}" for name, rows in summary.context.items()]
    return (
        '<section id="context"><h2>By thread context</h2>'
        + _hint(
            "the same replies grouped by what the thread shows: how many times the customer wrote since the last reply, "
            "whether they said they had asked before, and how long they waited. A higher share in a row means replies in "
            f"that situation were flagged more often; rows with fewer than {summary.min_sample} replies are too few to compare."
        )
        + "".join(blocks)
        + "</section>"
    )


def _group_section(summary: ScanSummary, column: str) -> str:
    groups = summary.groups[column][:_SHOWN_GROUPS]
    enough = [group for group in groups if group.rows >= summary.min_sample]
    bars = [
        Bar(
            group.value or "(empty)",
            [Segment(group.flagged_share, ANY_COLOR if group.rows >= summary.min_sample else "#c4c9d2", f"{group.flagged:,} of {group.rows:,} flagged")],
            f"{group.flagged_share:.0%} of {group.rows:,}",
        )
        for group in groups
    ]
    peak = max((group.flagged_share for group in enough or groups), default=0.0)
    ceiling = nice_ceiling(peak)
    return (
        f'<section id="groups-{escape(column)}" class="groups"><h2>By {escape(column)}</h2>'
        + _hint(
            f"the {len(groups)} {escape(column)} values (of {summary.group_counts[column]:,}) with the largest share of replies "
            f"flagged in any category; a full bar is {ceiling:.0%}. Pale bars, listed last, have fewer than "
            f"{summary.min_sample} replies: too few to compare."
        )
        + bar_chart(bars, scale_max=ceiling, label=f"flagged by {column}", width=1130)
        + _group_table(column, groups, summary.min_sample)
        + "</section>"
    )


def _trend_section(summary: ScanSummary) -> str:
    chart = trend_chart(summary)
    if chart is None:
        return ""
    colors = {**{c.value: CATEGORY_COLORS[c] for c in Category}, "any": ANY_COLOR}
    legend = "".join(f'<span style="--c:{color}">{name}</span>' for name, color in colors.items())
    undated = f" {summary.undated:,} replies had no readable date." if summary.undated else ""
    if summary.off_trend:
        undated += f" {summary.off_trend:,} replies dated far before or after the rest are left off."
    unit = chart.unit
    if not any(point.solid for point in chart.lines[-1].points):
        undated += f" No {unit} had {chart.min_sample} replies, so every point is pale: read it as a sketch."
    return (
        f'<section id="trend"><h2>Trend by {unit}</h2>'
        + _hint(
            f"each point is one {unit}'s share of replies flagged, placed at its date on an even time scale, so gaps "
            f"are real gaps. Pale points come from fewer than {chart.min_sample} replies and are not joined; "
            f"grey columns show how many replies each {unit} had.{undated}"
        )
        + f'<div class="legend">{legend}</div>{time_chart(chart, colors, label="flagged share over time")}</section>'
    )
