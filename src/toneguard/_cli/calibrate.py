"""``toneguard calibrate``: per-category thresholds that maximise F1 on a team's labelled replies, written to its settings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .common import (
    CATEGORY_STYLES,
    ConfigOption,
    CustomerColumnOption,
    DisableOption,
    FormatOption,
    IdColumnOption,
    IgnoreOption,
    MinSeverityOption,
    OutputFormat,
    RuleOptions,
    RulesOption,
    SelectOption,
    TextColumnOption,
    analyzer_for,
    make_console,
    print_json,
    user_errors,
)
from .evaluate import LabelColumnOption, figure, label_columns

if TYPE_CHECKING:
    from rich.console import Console

    from .._apps.calibration import Calibration, Cut


def calibrate(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Labelled replies, as for `toneguard eval`.")],
    text_column: TextColumnOption = "reply",
    customer_column: CustomerColumnOption = None,
    id_column: IdColumnOption = None,
    label_column: LabelColumnOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the thresholds without writing them.")] = False,
    output_format: FormatOption = OutputFormat.text,
    config_path: ConfigOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    disable: DisableOption = None,
    min_severity: MinSeverityOption = None,
    rules: RulesOption = None,
) -> None:
    """Choose each category's threshold for the best F1 on your own labelled replies, and save it in your settings.

    The thresholds go into the settings file in use (--config, or the nearest
    .toneguard.toml, toneguard.toml or pyproject.toml with [tool.toneguard]);
    with none, into ./toneguard.toml. Everything else in the file is kept.
    """
    from .._apps.calibration import calibrate_file
    from .._core.config import find_settings_file, write_thresholds

    with user_errors():
        columns = label_columns(text_column, customer_column, id_column, label_column)
        analyzer = analyzer_for(config_path, RuleOptions.of(select, ignore, disable, min_severity, rules))
        result = calibrate_file(file, analyzer, columns)
        target = config_path or find_settings_file() or Path("toneguard.toml")
        written = bool(result.thresholds) and not dry_run
        if written:
            write_thresholds(target, result.thresholds)
    if output_format is OutputFormat.json:
        print_json({**result.model_dump(mode="json"), "written_to": str(target) if written else None})
    else:
        print_calibration(make_console(), result, target if written else None)


def _cut(cut: Cut | None) -> list[str]:
    if cut is None:
        return ["-"] * 4
    return [figure(value) for value in (cut.threshold, cut.precision, cut.recall, cut.f1)]


def print_calibration(console: Console, result: Calibration, written_to: Path | None) -> None:
    from rich.table import Table
    from rich.text import Text

    console.print(Text(f"{result.source}: {result.evaluated} replies analysed, {len(result.skipped)} skipped"))
    table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="bold")
    table.add_column("category", no_wrap=True)
    for heading in ("support", "now", "P", "R", "F1", "chosen", "P", "R", "F1"):
        table.add_column(heading, justify="right", no_wrap=True)
    for category, choice in result.choices.items():
        table.add_row(
            Text(category.value, style=CATEGORY_STYLES[category]),
            str(choice.support),
            *_cut(choice.current),
            *_cut(choice.chosen),
        )
    console.print(Text("Threshold now and chosen, each with its precision, recall and F1 on these replies:"))
    console.print(table)
    for category, choice in result.choices.items():
        if choice.note:
            console.print(Text(f"  {category.value}: {choice.note}"))
    console.print(Text("These figures are measured on the same replies the thresholds were chosen on: expect a little less on new ones."))
    if written_to is not None:
        settings = ", ".join(f"{category.value} = {value}" for category, value in result.thresholds.items())
        console.print(Text(f"Wrote thresholds ({settings}) to {written_to}", style="bold"))
    elif result.thresholds:
        console.print(Text("Dry run: nothing written."))
