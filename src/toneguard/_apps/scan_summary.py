"""Running totals over a scan, and the summary they end in.

Memory grows with the number of distinct rules, groups and days, never with rows.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Literal

from pydantic import Field

from ..models import Category, Record
from .counts import FlagCounts
from .outcome import ScanRecord

TrendUnit = Literal["day", "week", "month"]

HISTOGRAM_BINS = 10
TOP_RULES = 12
EXAMPLES_PER_RULE = 3
WORST_GROUPS = 15
MIN_GROUP_ROWS = 5  # a group smaller than this is listed after the others: one bad reply is not a pattern
_CONTEXT_CHARS = 50
_SPACES = re.compile(r"\s+")
_DATE_FORMATS = ("%a %b %d %H:%M:%S %z %Y", "%d/%m/%Y", "%m/%d/%Y %H:%M", "%Y/%m/%d")  # Twitter's first


class SpanExample(Record):
    row: int
    before: str
    text: str
    after: str


class RuleCount(Record):
    rule_id: str
    category: Category
    count: int = Field(description="Findings of this rule over all rows.")
    examples: list[SpanExample] = Field(description="The first few distinct flagged spans, with context.")


class GroupRow(Record):
    value: str
    rows: int = Field(description="Analysed rows in this group.")
    flagged: int = Field(description="Rows flagged in any category.")
    flagged_share: float
    by_category: dict[Category, int]
    mean_score: float


class TrendPoint(Record):
    period: str = Field(description="ISO date of the day, the week's Monday or the month's first day.")
    rows: int
    flagged: int
    by_category: dict[Category, int]


class ScanSummary(Record):
    source: str
    rows: int = Field(description="Rows read: analyzed + skipped.")
    analyzed: int
    skipped: int
    skip_reasons: dict[str, int]
    skip_first_lines: dict[str, int] = Field(default={}, description="Per skip reason, the line of the input it first happened at.")
    fallback_encodings: dict[str, int] = Field(
        default={}, description="Rows that were not valid UTF-8, per encoding they were read with instead."
    )
    fallback_first_line: int | None = Field(default=None, description="The line of the first row read with a fallback encoding.")
    resumed: int = Field(default=0, description="Rows taken from the partial file of an interrupted scan.")
    not_english: int = Field(description="Analysed rows that did not read as English (no tone findings).")
    flagged: dict[Category, int] = Field(description="Analysed rows flagged per category.")
    flagged_any: int
    mean_score: float | None
    score_histogram: list[int] = Field(description="Analysed rows by overall score: 0-9, 10-19, ..., 90-100.")
    top_rules: list[RuleCount]
    groups: dict[str, list[GroupRow]] = Field(description="Per group-by column, the worst groups first.")
    group_counts: dict[str, int] = Field(description="Distinct values per group-by column.")
    trend_unit: TrendUnit | None = None
    trend: list[TrendPoint] = []
    undated: int = Field(default=0, description="Analysed rows whose date could not be read.")
    seconds: float
    rows_per_second: float = Field(description="Rows done per second in this run (resumed rows not counted).")


class SummaryTally:
    """Add each record as it is written; ask for the summary at the end."""

    def __init__(self, group_by: list[str]):
        self.rows = 0
        self.resumed = 0
        self.skip_reasons: Counter[str] = Counter()
        self.skip_first_lines: dict[str, int] = {}
        self.fallback_encodings: Counter[str] = Counter()
        self.fallback_first_line: int | None = None
        self.not_english = 0
        self.totals = FlagCounts()
        self.histogram = [0] * HISTOGRAM_BINS
        self.rule_counts: Counter[str] = Counter()
        self.rule_categories: dict[str, Category] = {}
        self.rule_examples: dict[str, list[SpanExample]] = defaultdict(list)
        self.groups: dict[str, dict[str, FlagCounts]] = {name: defaultdict(FlagCounts) for name in group_by}
        self.days: dict[date, FlagCounts] = defaultdict(FlagCounts)
        self.undated = 0

    def add(self, record: ScanRecord, text: str | None) -> None:
        self.rows += 1
        if record.encoding is not None:
            self.fallback_encodings[record.encoding] += 1
            self.fallback_first_line = self.fallback_first_line or record.line
        result = record.result
        if result is None:
            reason = record.skipped or "unreadable row"
            self.skip_reasons[reason] += 1
            self.skip_first_lines.setdefault(reason, record.line)
            return
        self.totals.add(result.categories, result.score)
        self.not_english += result.language != "en"
        self.histogram[min(result.score * HISTOGRAM_BINS // 100, HISTOGRAM_BINS - 1)] += 1
        for name, value in record.groups.items():
            self.groups[name][value].add(result.categories, result.score)
        if record.date is not None:
            day = parse_day(record.date)
            if day is None:
                self.undated += 1
            else:
                self.days[day].add(result.categories, result.score)
        for finding in result.findings:
            self.rule_counts[finding.rule_id] += 1
            self.rule_categories[finding.rule_id] = finding.category
            examples = self.rule_examples[finding.rule_id]
            if text is not None and len(examples) < EXAMPLES_PER_RULE and all(e.text != finding.text for e in examples):
                examples.append(
                    SpanExample(
                        row=record.row,
                        before=_context(
                            text[max(0, finding.start - _CONTEXT_CHARS) : finding.start],
                            cut_short=finding.start > _CONTEXT_CHARS,
                            side="before",
                        ),
                        text=finding.text,
                        after=_context(
                            text[finding.end : finding.end + _CONTEXT_CHARS],
                            cut_short=finding.end + _CONTEXT_CHARS < len(text),
                            side="after",
                        ),
                    )
                )

    def summary(self, source: str, seconds: float) -> ScanSummary:
        analyzed = self.totals.rows
        unit, trend = self._trend()
        return ScanSummary(
            source=source,
            rows=self.rows,
            analyzed=analyzed,
            skipped=sum(self.skip_reasons.values()),
            skip_reasons=dict(self.skip_reasons.most_common()),
            skip_first_lines=self.skip_first_lines,
            fallback_encodings=dict(self.fallback_encodings),
            fallback_first_line=self.fallback_first_line,
            resumed=self.resumed,
            not_english=self.not_english,
            flagged=self.totals.per_category(),
            flagged_any=self.totals.flagged,
            mean_score=round(self.totals.score_total / analyzed, 1) if analyzed else None,
            score_histogram=self.histogram,
            top_rules=[
                RuleCount(
                    rule_id=rule_id,
                    category=self.rule_categories[rule_id],
                    count=count,
                    examples=self.rule_examples[rule_id],
                )
                for rule_id, count in self.rule_counts.most_common(TOP_RULES)
            ],
            groups={name: _worst_groups(counts) for name, counts in self.groups.items()},
            group_counts={name: len(counts) for name, counts in self.groups.items()},
            trend_unit=unit,
            trend=trend,
            undated=self.undated,
            seconds=round(seconds, 3),
            rows_per_second=round((self.rows - self.resumed) / seconds, 1) if seconds > 0 else 0.0,
        )

    def _trend(self) -> tuple[TrendUnit | None, list[TrendPoint]]:
        if not self.days:
            return None, []
        first, last = min(self.days), max(self.days)
        span = (last - first).days
        unit: TrendUnit = "day" if span <= 62 else "week" if span <= 2 * 366 else "month"
        periods: dict[date, FlagCounts] = defaultdict(FlagCounts)
        for day, counts in self.days.items():
            periods[_period_start(day, unit)].add_counts(counts)
        return unit, [
            TrendPoint(period=start.isoformat(), rows=c.rows, flagged=c.flagged, by_category=c.per_category())
            for start, c in sorted(periods.items())
        ]


def _worst_groups(counts: dict[str, FlagCounts]) -> list[GroupRow]:
    rows = [
        GroupRow(
            value=value,
            rows=c.rows,
            flagged=c.flagged,
            flagged_share=round(c.flagged / c.rows, 4),
            by_category=c.per_category(),
            mean_score=round(c.score_total / c.rows, 1),
        )
        for value, c in counts.items()
    ]
    rows.sort(key=lambda g: (g.rows < MIN_GROUP_ROWS, -g.flagged_share, -g.rows, g.value))
    return rows[:WORST_GROUPS]


def _period_start(day: date, unit: TrendUnit) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day


def parse_day(value: str) -> date | None:
    """The calendar day of an ISO date or timestamp, a Twitter-style or an e-mail-style date; None if unreadable."""
    text = value.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def _context(text: str, cut_short: bool, side: Literal["before", "after"]) -> str:
    """Text beside a span on one line, dropping the partial word where the window cut it."""
    flat = _SPACES.sub(" ", text)
    if not cut_short:
        return flat
    if side == "before":
        return "…" + flat[flat.find(" ") + 1 :]
    cut = flat.rfind(" ")
    return (flat[:cut] if cut > 0 else flat) + "…"
