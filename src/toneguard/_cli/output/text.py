"""The text output: each finding at its ``path:line:col`` with the line it is on, a verdict per text, the rules'
general tips once, and a closing count.

A single reply (from the command line or standard input) gets the full report:
its scores and the suggested rewrite as well.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from ..common import CATEGORY_STYLES
from .results import Outcome, rule_of, specific_suggestions

if TYPE_CHECKING:
    from rich.console import Console

    from ..._apps.lint.run import Checked
    from ..._rules.schema import Rule
    from ...models import Finding, Report

_SOURCE_WINDOW = 100  # longest source line shown in full under a finding


def print_outcome(console: Console, outcome: Outcome) -> None:
    tips: dict[str, Rule] = {}
    checked = list(outcome.checked())
    # One text gets its whole report; many get a verdict each, so the findings stay in view.
    whole_report = outcome.single_text or len(checked) == 1
    for item in checked:
        for finding in item.report.findings:
            rule = rule_of(item, finding)
            print_finding(console, item, finding, rule, mark_fixable=not outcome.single_text)
            if rule is not None and rule.suggestions:
                tips.setdefault(rule.id, rule)
        if whole_report and item.document.text.strip():  # an empty file was named on standard error instead
            print_scores(console, item.report)
        elif item.report.findings or item.report.flagged:
            print_verdict(console, item)
    if tips:
        if whole_report:
            console.print()
        print_tips(console, tips)
    if not outcome.single_text:
        print_count(console, outcome, checked)


def print_finding(console: Console, item: Checked, finding: Finding, rule: Rule | None, mark_fixable: bool = True) -> None:
    style = CATEGORY_STYLES[finding.category]
    line, column = item.document.position(finding.start)
    name = item.document.source.name
    header = Text()
    header.append(f"{name}:{line}:{column}: " if name else f"{line}:{column}: ", style="bold")
    header.append(finding.category.value, style=f"bold {style}")
    header.append(f" {finding.rule_id} ", style="bold")
    header.append(f"[{finding.severity.value}] ", style="dim")
    header.append(finding.message)
    console.print(header)
    shown, pad, width = source_excerpt(item.document.text, finding.start, finding.end)
    excerpt = Text()
    excerpt.append("    | ", style="dim")
    excerpt.append(shown[:pad])
    excerpt.append(shown[pad : pad + width], style=f"underline {style}")
    excerpt.append(shown[pad + width :])
    console.print(excerpt)
    pointer = Text()
    pointer.append("    | ", style="dim")
    pointer.append(" " * pad + "^" * width, style=f"bold {style}")
    console.print(pointer)
    for suggestion in specific_suggestions(finding, rule):
        fixable = " (fixable)" if mark_fixable and suggestion == finding.replacement else ""
        console.print(Text(f"    = suggestion: {suggestion}{fixable}"))


def source_excerpt(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The line holding ``start`` (trimmed around the span when long) and the span's cells within it."""
    from rich.cells import cell_len

    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end == -1 else line_end
    span_end = min(max(end, start + 1), line_end) if line_end > start else start + 1
    left, right, prefix, suffix = line_start, line_end, "", ""
    if line_end - line_start > _SOURCE_WINDOW:
        left = max(line_start, start - _SOURCE_WINDOW // 3)
        right = min(line_end, max(span_end, left + _SOURCE_WINDOW))
        prefix = "…" if left > line_start else ""
        suffix = "…" if right < line_end else ""
    clean = lambda piece: piece.replace("\t", " ").replace("\r", " ")  # noqa: E731 - one column each
    shown = prefix + clean(text[left:right]) + suffix
    pad = cell_len(prefix + clean(text[left:start]))
    width = max(1, cell_len(clean(text[start:span_end])))
    return shown, pad, width


def print_scores(console: Console, report: Report) -> None:
    if not report.findings:
        console.print("No problems found." if report.language == "en" and report.metrics.words else "No findings.")
    for note in report.notes:
        console.print(Text(f"note: {note}", style="dim"))
    console.print()
    console.print(Text("Scores", style="bold"))
    for category, score in report.scores.items():
        line = Text(f"  {category.value:<11}{score.score:.2f}")
        if score.flagged:
            line.stylize(CATEGORY_STYLES[category])
            line.append(f"  flagged (threshold {score.threshold:.2f})", style="bold")
        console.print(line)
    console.print(Text(f"  {'overall':<11}{report.score}/100", style="bold"))
    if report.rewrite != report.reply:
        console.print()
        console.print(Text("Suggested rewrite", style="bold"))
        for line in report.rewrite.splitlines() or [""]:
            console.print(Text(f"  {line}", style="green"))


def print_verdict(console: Console, item: Checked) -> None:
    report = item.report
    verdict = Text(f"{item.document.label}: ", style="bold")
    if report.flagged:
        verdict.append("flagged ")
        for index, category in enumerate(report.categories):
            verdict.append(", " if index else "")
            verdict.append(f"{category.value} {report.scores[category].score:.2f}", style=CATEGORY_STYLES[category])
    else:
        verdict.append("not flagged", style="dim")
    verdict.append(f" · score {report.score}/100")
    console.print(verdict)
    console.print()


def print_tips(console: Console, tips: dict[str, Rule]) -> None:
    """Each rule's general advice, once, however many of its findings there were."""
    console.print(Text("Tips", style="bold"))
    for rule_id in sorted(tips):
        for index, tip in enumerate(tips[rule_id].suggestions):
            console.print(Text(f"  {rule_id if index == 0 else '':<8} - {tip}"))


def print_count(console: Console, outcome: Outcome, checked: list[Checked]) -> None:
    files = sum(1 for result in outcome.files if result.source is not None and not result.skipped)
    findings = sum(len(item.report.findings) for item in checked)
    texts_with = sum(1 for item in checked if item.report.findings)
    flagged = sum(1 for item in checked if item.report.flagged)
    fixable = sum(1 for item in checked for finding in item.report.findings if finding.replacement is not None)
    texts = f"{len(checked):,} text{'s' * (len(checked) != 1)}"
    line = f"Checked {files:,} file{'s' * (files != 1)} ({texts}): "
    if findings:
        line += f"{findings:,} finding{'s' * (findings != 1)} in {texts_with:,} of them, {flagged:,} flagged"
        if fixable:
            line += f"; {fixable:,} fixable with --fix"
    else:
        line += "no problems found"
    console.print()
    console.print(Text(line + ".", style="bold"))
    applied = sum(fix.applied for fix in outcome.fixes if fix.changed)
    if applied:
        fixed_files = sum(1 for fix in outcome.fixes if fix.changed)
        console.print(Text(f"Fixed {applied:,} finding{'s' * (applied != 1)} in {fixed_files:,} file{'s' * (fixed_files != 1)}."))
    for result in outcome.files:
        if result.skipped:
            console.print(Text(f"skipped {result.skipped}", style="dim"))
    errors = len(outcome.errors)
    if errors:
        console.print(Text(f"{errors:,} file{'s' * (errors != 1)} could not be checked.", style="bold red"))
