"""The scan report tells the truth: time on a proportional axis, small samples faint, rules counted where they flag.

The chart rules are checked on the chart's data, not on pixels; one test renders the
report in Chromium at laptop and desktop widths and checks nothing spills sideways.
"""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from toneguard import Category
from toneguard._apps.outcome import ReplyOutcome, ScanRecord, SpanHit
from toneguard._apps.scan import scan_file
from toneguard._apps.scan_report import render_report
from toneguard import ThreadContext
from toneguard._apps.scan_summary import ScanSummary, SummaryTally, TrendPoint, context_buckets
from toneguard._apps.trend_chart import time_ticks, trend_chart

EXPORTS = Path(__file__).parent / "data" / "exports"


def _outcome(categories: list[Category], findings: list[SpanHit], score: int = 50) -> ReplyOutcome:
    return ReplyOutcome(
        language="en",
        score=score,
        categories=categories,
        scores={c: (0.9 if c in categories else 0.1) for c in Category},
        findings=findings,
        words=10,
        sentiment=0.0,
        reading_grade=5.0,
    )


def _hit(rule: str, category: Category, text: str, start: int) -> SpanHit:
    return SpanHit(rule_id=rule, category=category, severity="low", start=start, end=start + len(text), text=text)


def _summary(points: list[tuple[str, int, int]], unit: str = "day", min_sample: int = 20) -> ScanSummary:
    trend = [
        TrendPoint(period=period, rows=rows, flagged=flagged, by_category={c: flagged if c is Category.clipped else 0 for c in Category})
        for period, rows, flagged in points
    ]
    analysed = sum(rows for _, rows, _ in points)
    return ScanSummary(
        source="x.csv", rows=analysed, analyzed=analysed, skipped=0, skip_reasons={}, not_english=0,
        flagged={c: 0 for c in Category}, flagged_any=0, mean_score=90.0, score_histogram=[0] * 10,
        top_rules=[], groups={}, group_counts={}, trend_unit=unit, trend=trend, seconds=1.0, rows_per_second=1.0,
        min_sample=min_sample,
    )


def test_points_sit_where_their_dates_are_not_evenly_spaced():
    summary = _summary([("2017-10-07", 40, 2), ("2017-10-26", 50, 5), ("2017-10-29", 30, 3), ("2017-10-30", 25, 1)])
    chart = trend_chart(summary)
    xs = [point.x for point in chart.lines[-1].points]
    days = [(date.fromisoformat(p.period) - date(2017, 10, 7)).days for p in summary.trend]
    # Gaps on the axis are in proportion to the gaps in time: 19 days, then 3, then 1.
    assert (xs[1] - xs[0]) / (xs[3] - xs[2]) == pytest.approx((days[1] - days[0]) / (days[3] - days[2]))
    assert (xs[2] - xs[1]) / (xs[3] - xs[2]) == pytest.approx(3.0)
    assert 0 < xs[0] < xs[-1] < 1
    # Lines join only periods that follow one another: none across the 19-day gap.
    joined = [(a.period, b.period) for a, b in chart.lines[-1].segments]
    assert joined == [("2017-10-29", "2017-10-30")]


def test_points_from_too_few_replies_are_faint_never_joined_and_do_not_set_the_scale():
    points = [(f"2025-03-{day:02d}", rows, flagged) for day, (rows, flagged) in enumerate(
        [(40, 4), (60, 3), (4, 1), (55, 6), (50, 5), (3, 0)], start=1)]
    chart = trend_chart(_summary(points, min_sample=20))
    overall = chart.lines[-1]
    assert [p.solid for p in overall.points] == [True, True, False, True, True, False]
    assert [p.rows for p in overall.points if not p.solid] == [4, 3]
    faint = {p.period for p in overall.points if not p.solid}
    assert all(a.period not in faint and b.period not in faint for a, b in overall.segments)
    assert [(a.period, b.period) for a, b in overall.segments] == [("2025-03-01", "2025-03-02"), ("2025-03-04", "2025-03-05")]
    # The faint 25% (one reply of four) does not stretch the axis past the solid points' 11%.
    assert chart.ceiling == pytest.approx(0.15)
    assert trend_chart(_summary(points, min_sample=1)).ceiling == pytest.approx(0.3)


@pytest.mark.parametrize(("unit", "step"), [("day", 1), ("week", 7)])
def test_periods_of_any_unit_are_placed_by_their_dates(unit, step):
    start = date(2025, 1, 6)
    periods = [start + timedelta(days=step * k) for k in (0, 1, 2, 6, 7)]
    chart = trend_chart(_summary([(d.isoformat(), 30, 3) for d in periods], unit=unit))
    xs = [p.x for p in chart.lines[0].points]
    assert [round((b - a) / (xs[1] - xs[0]), 6) for a, b in zip(xs, xs[1:])] == [1, 1, 4, 1]
    widths = {round(bar.x1 - bar.x0, 6) for bar in chart.volumes}
    assert len(widths) == 1  # every period's column is as wide as its span of time


def test_month_axis_ticks_are_month_starts_in_order_and_few():
    ticks = time_ticks(date(2023, 1, 1), date(2025, 7, 1))
    assert 2 <= len(ticks) <= 8
    assert all(day.day == 1 for day, _ in ticks)
    assert [day for day, _ in ticks] == sorted(day for day, _ in ticks)
    assert time_ticks(date(2025, 3, 1), date(2025, 3, 15))[0] == (date(2025, 3, 1), "1 Mar")


def _tally_with_dates(days: list[tuple[date, int]]) -> ScanSummary:
    tally = SummaryTally([], min_sample=20)
    row = 0
    for day, count in days:
        for _ in range(count):
            row += 1
            tally.add(ScanRecord(row=row, line=row + 1, id=None, date=day.isoformat(), result=_outcome([], [])), "x")
    return tally.summary("x.csv", 1.0)


def test_a_few_stray_dates_do_not_stretch_the_trend_and_are_counted():
    autumn = [(date(2017, 10, 1) + timedelta(days=d), 25) for d in range(60)]
    summary = _tally_with_dates([(date(2016, 8, 14), 2), (date(2016, 9, 1), 1), *autumn])
    assert summary.off_trend == 3
    assert summary.trend_unit == "day" and summary.trend[0].period == "2017-10-01"
    assert sum(p.rows for p in summary.trend) + summary.off_trend == summary.analyzed
    even = _tally_with_dates([(date(2025, 1, 1) + timedelta(days=d), 3) for d in range(365)])
    assert even.off_trend == 0 and even.trend[0].period <= "2025-01-01"


def test_top_rules_count_the_findings_behind_flags_and_say_so():
    tally = SummaryTally([])
    text = "Sorry, but &amp; obviously you should reboot. Obviously."
    for row in range(1, 41):  # a sentence-level dismissive tone finding in forty replies, none flagged dismissive
        tally.add(ScanRecord(row=row, line=row + 1, id=None, result=_outcome([], [_hit("TG109", Category.dismissive, "Sorry, but", 0)])), text)
    flagged = [_hit("TG201", Category.clipped, "Obviously.", 46), _hit("TG109", Category.dismissive, "Sorry, but", 0)]
    for row in range(41, 44):
        tally.add(ScanRecord(row=row, line=row + 1, id=None, result=_outcome([Category.clipped], flagged)), text)
    summary = tally.summary("x.csv", 1.0)
    rules = {rule.rule_id: rule for rule in summary.top_rules}
    assert list(rules) == ["TG201"]  # TG109 fired 43 times but flagged nothing
    assert (rules["TG201"].count, rules["TG201"].total) == (3, 3)
    html = render_report(summary)
    section = re.search(r'<section id="rules">(.*?)</section>', html, re.S).group(1)
    assert "flagged in the rule's category" in section and "all replies, flagged or not" in section


def test_examples_are_unescaped_and_the_same_wording_is_merged():
    tally = SummaryTally([])
    texts = ["Reboot it &amp; try again, OBVIOUSLY.", "Obviously  the cable.", "obviously"]
    for row, text in enumerate(texts, 1):
        start = text.lower().index("obviously")
        hit = _hit("TG101", Category.dismissive, text[start : start + 9], start)
        tally.add(ScanRecord(row=row, line=row + 1, id=None, result=_outcome([Category.dismissive], [hit])), text)
    [rule] = tally.summary("x.csv", 1.0).top_rules
    [example] = rule.examples
    assert example.times == 3 and example.before == "Reboot it & try again, "
    html = render_report(tally.summary("x.csv", 1.0))
    assert "&amp;amp;" not in html and "Reboot it &amp; try again" in html and "×3" in html


def _agent_summary() -> ScanSummary:
    tally = SummaryTally(["agent", "team"], min_sample=20)
    row = 0
    for agent, replies, flagged in [("Ana", 40, 4), ("Ben", 25, 5), ("Cy", 3, 3), ("Dee", 60, 3)]:
        for index in range(replies):
            row += 1
            categories = [Category.clipped] if index < flagged else []
            record = ScanRecord(row=row, line=row + 1, id=None, groups={"agent": agent, "team": "desk"}, result=_outcome(categories, []))
            tally.add(record, "x")
    return tally.summary("x.csv", 1.0)


def test_the_agent_table_ranks_agents_with_enough_replies_worst_share_first():
    summary = _agent_summary()
    html = render_report(summary)
    section = re.search(r'<section id="agents">(.*?)</section>', html, re.S).group(1)
    names = re.findall(r"<tr><td>([^<]+)</td>", section)
    assert names == ["Ben", "Ana", "Dee"]  # 20%, 10%, 5%; Cy's 3 of 3 is too few to rank
    assert "1 of 4 agents had fewer than 20 replies" in section
    assert re.search(r"<td>Ben</td><td class='num'>25</td><td class='num'>5</td>", section)
    assert summary.small_groups == {"agent": 1, "team": 0}


def test_every_chart_says_how_to_read_it(tmp_path, analyzer):
    summary = scan_file(EXPORTS / "zendesk.json", analyzer, min_sample=1)
    html = render_report(summary)
    sections = re.findall(r'<section id="([^"]+)"[^>]*>(.*?)</section>', html, re.S)
    assert {name for name, _ in sections} >= {
        "flags", "scores", "trend", "agents", "context", "groups-team", "groups-channel", "rules"
    }
    for name, body in sections:
        assert "How to read this:" in body, name
    assert "Zendesk export" in html and "private notes" in html


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="no system Chromium: apt-get install -y chromium")
def test_the_report_fits_laptop_and_desktop_screens(tmp_path, analyzer):
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright: pip install -e '.[test]'")
    report = tmp_path / "report.html"
    report.write_text(render_report(scan_file(EXPORTS / "helpscout.json", analyzer, min_sample=1)), "utf-8")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
        try:
            for width in (1280, 1440):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(report.as_uri())
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                overflowing = page.evaluate(
                    "[...document.querySelectorAll('section')].filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.id)"
                )
                assert overflowing == []
                assert page.locator("section#trend svg").bounding_box()["width"] > width * 0.6
                page.close()
        finally:
            browser.close()


def test_replies_are_broken_down_by_their_thread_context():
    buckets = context_buckets(ThreadContext(customer_messages_since_reply=4, repeat_contact=True, wait_seconds=30 * 3600))
    assert buckets == {
        "customer messages since the last reply": "3 or more",
        "customer says it is not the first time": "yes",
        "wait for the reply": "1–3 days",
    }
    assert context_buckets(ThreadContext(customer_messages_since_reply=0, wait_seconds=59 * 60)) == {
        "customer messages since the last reply": "none",
        "customer says it is not the first time": "no",
        "wait for the reply": "under 1 hour",
    }
    assert list(context_buckets(ThreadContext())) == ["customer says it is not the first time"]
    tally = SummaryTally([])
    for row, (since, flagged) in enumerate([(1, False), (1, True), (2, True), (0, False)], 1):
        context = ThreadContext(customer_messages_since_reply=since)
        tally.add(ScanRecord(row=row, line=row + 1, id=None, context=context, result=_outcome([Category.clipped] if flagged else [], [])), "x")
    since = tally.summary("x.jsonl", 1.0).context["customer messages since the last reply"]
    assert [(group.value, group.rows, group.flagged) for group in since] == [("none", 1, 0), ("1", 2, 1), ("2", 1, 1)]
