"""``toneguard eval``: precision, recall and F1 per category on a file of labelled replies, and the misses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..models import Category
from .common import (
    CATEGORY_STYLES,
    ConfigOption,
    CustomerColumnOption,
    DisableOption,
    IgnoreOption,
    MinSeverityOption,
    RuleOptions,
    SelectOption,
    FormatOption,
    IdColumnOption,
    InputError,
    OutputFormat,
    RulesOption,
    TextColumnOption,
    analyzer_for,
    make_console,
    print_json,
    user_errors,
)

if TYPE_CHECKING:
    from rich.console import Console

    from .._apps.evaluation import Evaluation
    from .._apps.replies import Columns

LabelColumnOption = Annotated[
    Optional[list[str]],
    typer.Option(help="Label column for a category, as category=column; repeatable.", metavar="CATEGORY=COLUMN"),
]


def evaluate(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Labelled replies: .jsonl, .json, .csv or .tsv, optionally .gz.")],
    text_column: TextColumnOption = "reply",
    customer_column: CustomerColumnOption = None,
    id_column: IdColumnOption = None,
    label_column: LabelColumnOption = None,
    output_format: FormatOption = OutputFormat.text,
    max_misses: Annotated[int, typer.Option(min=0, help="Misses to list (0 for none).")] = 20,
    config_path: ConfigOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    disable: DisableOption = None,
    min_severity: MinSeverityOption = None,
    rules: RulesOption = None,
) -> None:
    """Measure precision and recall per category on a labelled file."""
    from .._apps.evaluation import evaluate_file

    with user_errors():
        columns = label_columns(text_column, customer_column, id_column, label_column)
        analyzer = analyzer_for(config_path, RuleOptions.of(select, ignore, disable, min_severity, rules))
        result = evaluate_file(file, analyzer, columns, max_misses=max_misses)
    if output_format is OutputFormat.json:
        print_json(result.model_dump(mode="json"))
    else:
        print_evaluation(make_console(), result)


def label_columns(text: str, customer: str | None, id_column: str | None, label_specs: list[str] | None) -> Columns:
    """The columns of a labelled file, from the options eval and calibrate share."""
    from .._apps.replies import Columns

    return Columns(
        text=text, customer=customer, id=id_column, labels={**Columns().labels, **parse_label_columns(label_specs or [])}
    )


def parse_label_columns(specs: list[str]) -> dict[Category, str]:
    labels: dict[Category, str] = {}
    for spec in specs:
        category, sep, column = spec.partition("=")
        category = category.strip().lower()
        if not sep or not column.strip():
            raise InputError(f"--label-column {spec!r}: expected CATEGORY=COLUMN, e.g. technical=is_jargon")
        if category not in Category.__members__:
            known = ", ".join(c.value for c in Category)
            raise InputError(f"--label-column {spec!r}: unknown category {category!r} (known: {known})")
        labels[Category(category)] = column.strip()
    return labels


def figure(value: float | None) -> str:
    """A precision, recall, F1 or threshold to three places; "-" when there is none."""
    return "-" if value is None else f"{value:.3f}"


def _share(count: int, share: float | None) -> str:
    return f"{count} {share:.0%}" if share is not None else f"{count}"


def print_evaluation(console: Console, result: Evaluation) -> None:
    from rich.table import Table
    from rich.text import Text

    console.print(
        Text(
            f"{result.source}: {result.evaluated} replies evaluated, {len(result.skipped)} skipped, "
            f"{result.clean} clean (no positive label)"
        )
    )
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="bold")
    table.add_column("category", no_wrap=True)
    for heading in ("precision", "recall", "F1", "support", "tp", "fp", "fn", "tn", "clean flagged"):
        table.add_column(heading, justify="right", no_wrap=True)
    for category, row in result.categories.items():
        table.add_row(
            Text(category.value, style=CATEGORY_STYLES[category]),
            figure(row.precision),
            figure(row.recall),
            figure(row.f1),
            str(row.support),
            str(row.tp),
            str(row.fp),
            str(row.fn),
            str(row.tn),
            _share(row.clean_flagged, row.clean_flagged_share),
        )
    if result.categories:
        table.add_row("any", *[""] * 8, _share(result.clean_flagged_any, result.clean_flagged_any_share))
        console.print(table)
    if result.skipped:
        console.print(Text(f"\nSkipped {len(result.skipped)} rows", style="bold"))
        for skipped in result.skipped[:20]:
            console.print(Text(f"  {_where(skipped.row, skipped.line)}: {skipped.reason}"))
        if len(result.skipped) > 20:
            console.print(Text(f"  ... and {len(result.skipped) - 20} more (--format json lists them all)"))
    if result.misses:
        console.print(Text(f"\nMisses ({len(result.misses)} of {result.misses_total})", style="bold"))
        for miss in result.misses:
            kind = "false positive" if miss.kind == "false_positive" else "false negative"
            label = _where(miss.row, miss.line) + (f" (id {miss.id})" if miss.id else "")
            line = Text(f"  {label}: ")
            line.append(f"{miss.category.value} {kind}", style=CATEGORY_STYLES[miss.category])
            fired = ", ".join(miss.rules) if miss.rules else "none"
            line.append(f"  score {miss.score:.2f}  rules: {fired}")
            console.print(line)
            text = " ".join(miss.text.split())
            console.print(Text(f"      {text[:157] + '...' if len(text) > 160 else text}", style="dim"))
    elif result.misses_total:
        console.print(Text(f"\n{result.misses_total} misses (raise --max-misses to list them)"))



def _where(row: int, line: int) -> str:
    return f"row {row}" if row == line else f"row {row} (line {line})"
