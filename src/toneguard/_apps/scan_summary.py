"""Running totals over a scan, and the summary they end in.

Memory grows with the number of distinct rules, groups and days, never with rows.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Literal

from pydantic import Field

from ..models import Category, Record, ThreadContext
from .helpdesks import MESSAGE_KINDS, ThreadTally
from .counts import FlagCounts
from .outcome import ScanRecord, SpanHit

TrendUnit = Literal["day", "week", "month"]

HISTOGRAM_BINS = 10
TOP_RULES = 12
EXAMPLES_PER_RULE = 3
WORST_GROUPS = 30
MIN_SAMPLE = 20
"""Fewest replies behind a share that is ranked or drawn solid: with fewer, one reply moves it by 5 points or more."""
_CONTEXT_CHARS = 50
_STRAY_SHARE = 0.01
_SPACES = re.compile(r"\s+")
_DATE_FORMATS = ("%a %b %d %H:%M:%S %z %Y", "%d/%m/%Y", "%m/%d/%Y %H:%M", "%Y/%m/%d")  # Twitter's first


class SpanExample(Record):
    row: int
    before: str
    text: str
    after: str
    times: int = Field(default=1, description="Flagged spans that read the same (case and spacing aside), this one included.")


class RuleCount(Record):
    rule_id: str
    category: Category
    count: int = Field(description="Findings of this rule in replies flagged in its category: the findings behind the flags.")
    total: int = Field(description="Findings of this rule in every analysed reply, flagged or not.")
    examples: list[SpanExample] = Field(description="The first few distinct spans behind flags, with context, entities decoded.")


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


class ThreadCounts(Record):
    """What a help-desk export's threads held."""

    conversations: int = Field(description="Tickets or conversations read.")
    unreadable: int = Field(description="Documents or threads that could not be read (each has a skipped row).")
    without_reply: int = Field(description="Threads with no public agent reply (each has a skipped row).")
    messages: dict[str, int] = Field(description="Messages by kind: customer, reply, note, bot, event.")

    @classmethod
    def of(cls, tally: ThreadTally) -> ThreadCounts:
        return cls(
            conversations=tally.conversations,
            unreadable=tally.unreadable,
            without_reply=tally.without_reply,
            messages={kind: tally.messages[kind] for kind in MESSAGE_KINDS},
        )


class ScanSummary(Record):
    source: str
    source_kind: str = Field(default="csv", description="csv, jsonl, or the help desk whose export was read.")
    threads: ThreadCounts | None = None
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
    groups: dict[str, list[GroupRow]] = Field(
        description="Per group-by column, the worst groups first; those with fewer than min_sample replies last."
    )
    group_counts: dict[str, int] = Field(description="Distinct values per group-by column.")
    small_groups: dict[str, int] = Field(default={}, description="Values per group-by column with fewer than min_sample replies.")
    context: dict[str, list[GroupRow]] = Field(
        default={},
        description="Help-desk replies by their thread context (messages since reply, repeat contact, wait), in its own order.",
    )
    min_sample: int = Field(default=MIN_SAMPLE, description="Fewest replies behind a share that is ranked or drawn solid.")
    trend_unit: TrendUnit | None = None
    trend: list[TrendPoint] = []
    undated: int = Field(default=0, description="Analysed rows whose date could not be read.")
    off_trend: int = Field(
        default=0,
        description="Dated rows left off the trend: stray dates far before or after the rest (at most 1% of dated rows).",
    )
    seconds: float
    rows_per_second: float = Field(description="Rows done per second in this run (resumed rows not counted).")


class SummaryTally:
    """Add each record as it is written; ask for the summary at the end."""

    def __init__(self, group_by: list[str], min_sample: int = MIN_SAMPLE):
        self.rows = 0
        self.resumed = 0
        self.min_sample = min_sample
        self.skip_reasons: Counter[str] = Counter()
        self.skip_first_lines: dict[str, int] = {}
        self.fallback_encodings: Counter[str] = Counter()
        self.fallback_first_line: int | None = None
        self.not_english = 0
        self.totals = FlagCounts()
        self.histogram = [0] * HISTOGRAM_BINS
        self.rule_counts: Counter[str] = Counter()
        self.rule_totals: Counter[str] = Counter()
        self.rule_categories: dict[str, Category] = {}
        self.rule_examples: dict[str, list[SpanExample]] = defaultdict(list)
        self.groups: dict[str, dict[str, FlagCounts]] = {name: defaultdict(FlagCounts) for name in group_by}
        self.days: dict[date, FlagCounts] = defaultdict(FlagCounts)
        self.undated = 0
        self.contexts: dict[str, dict[str, FlagCounts]] = {}

    def add(self, record: ScanRecord, text: str | None) -> None:
        self.rows += 1
        if record.encoding is not None:
            self.fallback_encodings[record.encoding] += 1
            self.fallback_first_line = self.fallback_first_line or record.line  # None in a one-document export
        result = record.result
        if result is None:
            reason = record.skipped or "unreadable row"
            self.skip_reasons[reason] += 1
            if record.line is not None:
                self.skip_first_lines.setdefault(reason, record.line)
            return
        self.totals.add(result.categories, result.score)
        self.not_english += result.language != "en"
        self.histogram[min(result.score * HISTOGRAM_BINS // 100, HISTOGRAM_BINS - 1)] += 1
        for name, counts in self.groups.items():
            counts[record.groups.get(name, "")].add(result.categories, result.score)
        if record.context is not None:
            for name, bucket in context_buckets(record.context).items():
                self.contexts.setdefault(name, {}).setdefault(bucket, FlagCounts()).add(result.categories, result.score)
        if record.date is not None:
            day = parse_day(record.date)
            if day is None:
                self.undated += 1
            else:
                self.days[day].add(result.categories, result.score)
        for finding in result.findings:
            self.rule_totals[finding.rule_id] += 1
            self.rule_categories[finding.rule_id] = finding.category
            if finding.category in result.categories:
                self.rule_counts[finding.rule_id] += 1
                if text is not None:
                    self._add_example(self.rule_examples[finding.rule_id], record.row, text, finding)

    @staticmethod
    def _add_example(examples: list[SpanExample], row: int, text: str, finding: SpanHit) -> None:
        shown = unescape(finding.text)
        key = _example_key(shown)
        for index, example in enumerate(examples):
            if _example_key(example.text) == key:
                examples[index] = example.model_copy(update={"times": example.times + 1})
                return
        if len(examples) >= EXAMPLES_PER_RULE:
            return
        before = text[max(0, finding.start - _CONTEXT_CHARS) : finding.start]
        after = text[finding.end : finding.end + _CONTEXT_CHARS]
        examples.append(
            SpanExample(
                row=row,
                before=_context(unescape(before), cut_short=finding.start > _CONTEXT_CHARS, side="before"),
                text=_SPACES.sub(" ", shown),
                after=_context(unescape(after), cut_short=finding.end + _CONTEXT_CHARS < len(text), side="after"),
            )
        )

    def summary(
        self, source: str, seconds: float, source_kind: str = "csv", threads: ThreadTally | None = None
    ) -> ScanSummary:
        analyzed = self.totals.rows
        unit, trend, off_trend = self._trend()
        ranked = [rule for rule, count in self.rule_counts.most_common() if count]
        ranked.sort(key=lambda rule: (-self.rule_counts[rule], -self.rule_totals[rule], rule))
        return ScanSummary(
            source=source,
            source_kind=source_kind,
            threads=ThreadCounts.of(threads) if threads is not None else None,
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
                    count=self.rule_counts[rule_id],
                    total=self.rule_totals[rule_id],
                    examples=self.rule_examples[rule_id],
                )
                for rule_id in ranked[:TOP_RULES]
            ],
            groups={name: _worst_groups(counts, self.min_sample) for name, counts in self.groups.items()},
            group_counts={name: len(counts) for name, counts in self.groups.items()},
            small_groups={
                name: sum(c.rows < self.min_sample for c in counts.values()) for name, counts in self.groups.items()
            },
            min_sample=self.min_sample,
            context={
                name: [_group_row(bucket, self.contexts[name][bucket]) for bucket in order if bucket in self.contexts[name]]
                for name, order in _CONTEXT_ORDER.items()
                if name in self.contexts
            },
            trend_unit=unit,
            trend=trend,
            undated=self.undated,
            off_trend=off_trend,
            seconds=round(seconds, 3),
            rows_per_second=round((self.rows - self.resumed) / seconds, 1) if seconds > 0 else 0.0,
        )

    def _trend(self) -> tuple[TrendUnit | None, list[TrendPoint], int]:
        if not self.days:
            return None, [], 0
        days = _main_span(self.days)
        first, last = min(days), max(days)
        span = (last - first).days
        unit: TrendUnit = "day" if span <= 62 else "week" if span <= 2 * 366 else "month"
        periods: dict[date, FlagCounts] = defaultdict(FlagCounts)
        for day in days:
            periods[_period_start(day, unit)].add_counts(self.days[day])
        trend = [
            TrendPoint(period=start.isoformat(), rows=c.rows, flagged=c.flagged, by_category=c.per_category())
            for start, c in sorted(periods.items())
        ]
        return unit, trend, sum(c.rows for day, c in self.days.items() if day not in days)


def _main_span(days: dict[date, FlagCounts]) -> set[date]:
    """The days the trend shows: all of them, unless at most 1% of the replies, at the ends, stretch the span to twice its length.

    A handful of replies dated years off (an imported ticket, a clock set wrong) would
    otherwise squeeze every other point into a sliver of the axis.
    """
    ordered = sorted(days)
    budget = sum(c.rows for c in days.values()) * _STRAY_SHARE / 2
    low, dropped = 0, 0
    while low < len(ordered) - 1 and dropped + days[ordered[low]].rows <= budget:
        dropped += days[ordered[low]].rows
        low += 1
    high, dropped = len(ordered) - 1, 0
    while high > low and dropped + days[ordered[high]].rows <= budget:
        dropped += days[ordered[high]].rows
        high -= 1
    whole = (ordered[-1] - ordered[0]).days
    if (ordered[high] - ordered[low]).days * 2 > whole:
        return set(ordered)
    return set(ordered[low : high + 1])


def _example_key(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()


_SINCE, _REPEAT, _WAIT = (
    "customer messages since the last reply",
    "customer says it is not the first time",
    "wait for the reply",
)
_WAIT_HOURS = ((1, "under 1 hour"), (8, "1–8 hours"), (24, "8–24 hours"), (72, "1–3 days"), (math.inf, "over 3 days"))
_CONTEXT_ORDER = {
    _SINCE: ["none", "1", "2", "3 or more"],
    _REPEAT: ["no", "yes"],
    _WAIT: [label for _, label in _WAIT_HOURS],
}


def context_buckets(context: ThreadContext) -> dict[str, str]:
    """Which bucket of each thread-context breakdown a reply falls in (one it has no value for is left out)."""
    buckets = {_REPEAT: "yes" if context.repeat_contact else "no"}
    since = context.customer_messages_since_reply
    if since is not None:
        buckets[_SINCE] = _CONTEXT_ORDER[_SINCE][min(since, 3)]
    if context.wait_seconds is not None:
        hours = context.wait_seconds / 3600
        buckets[_WAIT] = next(label for limit, label in _WAIT_HOURS if hours < limit)
    return buckets


def _group_row(value: str, c: FlagCounts) -> GroupRow:
    return GroupRow(
        value=value,
        rows=c.rows,
        flagged=c.flagged,
        flagged_share=round(c.flagged / c.rows, 4),
        by_category=c.per_category(),
        mean_score=round(c.score_total / c.rows, 1),
    )


def _worst_groups(counts: dict[str, FlagCounts], min_sample: int) -> list[GroupRow]:
    rows = [_group_row(value, c) for value, c in counts.items()]
    rows.sort(key=lambda g: (g.rows < min_sample, -g.flagged_share, -g.rows, g.value))
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
