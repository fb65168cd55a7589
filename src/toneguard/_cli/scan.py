"""``toneguard scan``: analyse an export of tickets, write results, summarise, report.

SIGINT (Ctrl-C) and SIGTERM (``timeout``, systemd, ``docker stop``, CI) stop a
scan the same way: the workers are stopped, the rows written so far stay in
the partial file beside ``--out``, one line says how to resume, and the exit
code is 128 + the signal's number (130, 143).
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Iterator, Optional

import typer

from .common import (
    CATEGORY_STYLES,
    EXIT_FLAGGED,
    EXIT_OK,
    ConfigOption,
    DisableOption,
    ExitZeroOption,
    FormatOption,
    IgnoreOption,
    InputError,
    MinSeverityOption,
    OutputFormat,
    RuleOptions,
    RulesOption,
    SelectOption,
    analyzer_for,
    make_console,
    print_error,
    print_json,
    user_errors,
)

if TYPE_CHECKING:
    from rich.console import Console

    from .._apps.scan import ProgressCallback
    from .._apps.scan_summary import ScanSummary

_SHOWN_GROUPS = 5
_SOURCES = "auto, csv, jsonl, zendesk, freshdesk, intercom, helpscout"
_ROWS_ONLY = " (rows only: csv, jsonl)"


def scan(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="EXPORT",
            help="A help desk's export (Zendesk, Freshdesk, Intercom, Help Scout: .json or .jsonl) or rows "
            "(.csv, .tsv, .jsonl, .json), optionally .gz.",
        ),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--source",
            help=f"What the export is: {_SOURCES}. A help desk's export is read as threads: each public agent reply "
            "with the customer messages since the previous reply. auto tells them apart from the file.",
        ),
    ] = "auto",
    out: Annotated[
        Optional[str],
        typer.Option(
            "--out",
            help="Results, one row per reply and per row or ticket skipped: .jsonl, .csv (optionally .gz), .parquet, "
            "or - for stdout.",
        ),
    ] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Write a self-contained HTML report here.")] = None,
    text_column: Annotated[Optional[str], typer.Option(help="Column holding the reply [default: reply]" + _ROWS_ONLY)] = None,
    customer_column: Annotated[
        Optional[str], typer.Option(help="Column holding the customer's message [default: customer]" + _ROWS_ONLY)
    ] = None,
    id_column: Annotated[Optional[str], typer.Option(help="Column holding a row id [default: id]" + _ROWS_ONLY)] = None,
    agent_column: Annotated[
        Optional[str], typer.Option(help="Column naming the agent, for the per-agent table" + _ROWS_ONLY)
    ] = None,
    group_by: Annotated[
        Optional[str],
        typer.Option(
            "--group-by",
            help="Comma-separated columns to break results down by, e.g. agent,team. "
            "A help desk's export has agent, team and channel (all three by default).",
        ),
    ] = None,
    date_column: Annotated[
        Optional[str], typer.Option(help="Column holding the reply's date, for the trend" + _ROWS_ONLY)
    ] = None,
    min_sample: Annotated[
        int,
        typer.Option(
            "--min-sample", min=1, help="Fewest replies behind a share that the report ranks or draws solid."
        ),
    ] = 20,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Worker processes; 0 = one per CPU.")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    exit_zero: ExitZeroOption = False,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Continue an interrupted scan from the partial file beside --out (OUT.partial)."),
    ] = False,
    output_format: FormatOption = OutputFormat.text,
    config_path: ConfigOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    disable: DisableOption = None,
    min_severity: MinSeverityOption = None,
    rules: RulesOption = None,
) -> None:
    """Scan an export of replies: results per row, a summary, and optionally an HTML report.

    Exit code 1 when any row is flagged, unless --exit-zero.
    """
    from .._apps.replies import Columns
    from .._apps.scan import scan_file
    from .._apps.scan_output import check_destination, check_output, partial_path

    with user_errors(), _stop_on_signals() as received:
        groups = [name.strip() for name in (group_by or "").split(",") if name.strip()]
        given = {
            "text": text_column,
            "customer": customer_column,
            "id": id_column,
            "agent": agent_column,
            "date": date_column,
            "group_by": groups or None,
        }
        columns = Columns(**{name: value for name, value in given.items() if value is not None})
        # Every destination is checked before the first row, not discovered unwritable at the end.
        if report is not None:
            if report.suffix.lower() not in (".html", ".htm"):
                raise InputError(f"--report {report}: give an .html file name")
            check_destination(report)
        to_file = out is not None and out != "-"
        if to_file:
            check_output(Path(out))
        if resume and not to_file:
            raise InputError("--resume continues the partial file beside --out FILE; give the same --out as before")
        if resume and not partial_path(Path(out)).exists():
            print_error(f"toneguard: nothing to resume ({partial_path(Path(out))} does not exist); starting from the first row")
        n_process = jobs or os.cpu_count() or 1
        show_progress = not quiet and sys.stderr.isatty()
        try:
            analyzer = analyzer_for(config_path, RuleOptions.of(select, ignore, disable, min_severity, rules))
            if received:
                raise KeyboardInterrupt
            with _progress(file, show_progress) as on_progress:
                summary = scan_file(
                    file, analyzer, columns, out, n_process, on_progress, source, min_sample,
                    resume=resume, should_stop=lambda: bool(received),
                )
        except KeyboardInterrupt as interrupt:
            _report_interruption(interrupt, received[0] if received else signal.SIGINT, out)
    with user_errors():
        if report is not None:
            _write_report(report, summary)
    summary_to_stderr = out == "-"
    if output_format is OutputFormat.json:
        if summary_to_stderr:
            typer.echo(summary.model_dump_json(indent=2), err=True)
        else:
            print_json(summary.model_dump(mode="json"))
    else:
        print_summary(make_console(stderr=summary_to_stderr), summary, out, report)
    raise typer.Exit(EXIT_FLAGGED if summary.flagged_any and not exit_zero else EXIT_OK)


@contextmanager
def _stop_on_signals() -> Iterator[list[int]]:
    """Notes the first SIGINT or SIGTERM in the list it yields, and ignores any more.

    The scan looks at the list between rows and stops there. Raising from the
    handler instead could land inside a library (pydantic serialising a row)
    that would turn it into an error of its own.
    """
    received: list[int] = []

    def stop(number: int, frame: Any) -> None:
        if not received:
            received.append(number)

    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _report_interruption(interrupt: KeyboardInterrupt, number: int, out: str | None) -> None:
    from .._apps.scan import ScanInterrupted
    from .._apps.scan_output import partial_path

    stopped = f"toneguard: stopped by {signal.Signals(number).name}"
    resume = "run the same command with --resume to continue"
    if isinstance(interrupt, ScanInterrupted) and interrupt.partial is not None:
        print_error(f"{stopped} after {interrupt.rows:,} rows; they are kept in {interrupt.partial}: {resume}")
    elif out not in (None, "-") and partial_path(Path(out)).exists():  # stopped while a resume was starting
        print_error(f"{stopped}; the rows so far are still in {partial_path(Path(out))}: {resume}")
    elif out == "-":
        print_error(f"{stopped}; the rows so far went to standard output (--resume needs --out FILE)")
    elif out is None:
        print_error(f"{stopped}; nothing to resume (give --out FILE to keep results)")
    else:
        print_error(f"{stopped} before any row was kept; run the same command again")
    raise typer.Exit(128 + number)


def _write_report(path: Path, summary: ScanSummary) -> None:
    from .._apps.scan_report import render_report

    try:
        path.write_text(render_report(summary), encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot write {path}: {err.strerror or err}") from None


@contextmanager
def _progress(file: Path, enabled: bool) -> Iterator[ProgressCallback | None]:
    """A progress bar over the input's bytes (so it has an ETA) that shows rows and rows/s."""
    if not enabled or not file.is_file():
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn("[bold]scanning"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TextColumn("{task.fields[rate]:,.0f} rows/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=make_console(stderr=True),
        transient=True,
    )
    task = progress.add_task("scan", total=file.stat().st_size or 1, rows=0, rate=0.0)

    def update(rows: int, position: int) -> None:
        elapsed = progress.tasks[task].elapsed or 0.0
        progress.update(task, completed=position, rows=rows, rate=rows / elapsed if elapsed else 0.0)

    with progress:
        yield update


def print_summary(console: Console, summary: ScanSummary, out: str | None, report: Path | None) -> None:
    from rich.table import Table
    from rich.text import Text

    def share(count: int) -> str:
        return f"{count:,} ({count / summary.analyzed:.1%})" if summary.analyzed else f"{count:,}"

    console.print(
        Text(
            f"{summary.source}: {summary.rows:,} rows read, {summary.analyzed:,} analysed, "
            f"{summary.skipped:,} skipped  ({summary.seconds:.1f} s, {summary.rows_per_second:,.0f} rows/s)",
            style="bold",
        )
    )
    if summary.resumed:
        console.print(Text(f"  {summary.resumed:,} rows were taken from the interrupted scan's partial file", style="dim"))
    if summary.threads is not None:
        threads = summary.threads
        kinds = ", ".join(f"{count:,} {kind}" for kind, count in threads.messages.items() if count)
        console.print(
            Text(
                f"  {summary.source_kind} export: {threads.conversations:,} threads ({kinds}); "
                "each public agent reply is read with the customer messages since the previous reply",
                style="dim",
            )
        )
    for reason, count in list(summary.skip_reasons.items())[:5]:
        first = summary.skip_first_lines.get(reason)
        where = f" (first at line {first})" if first is not None else ""
        console.print(Text(f"  skipped {count:,}: {reason}{where}", style="dim"))
    for encoding, count in summary.fallback_encodings.items():
        console.print(
            Text(f"  not UTF-8, so read as {encoding}: {count:,} rows (first at line {summary.fallback_first_line})")
        )
    if summary.not_english:
        console.print(Text(f"  {summary.not_english:,} analysed rows did not read as English (no tone findings)", style="dim"))
    line = Text("Flagged: ")
    for category, count in summary.flagged.items():
        line.append(f"{category.value} {share(count)}", style=CATEGORY_STYLES[category])
        line.append("  ")
    line.append(f"any {share(summary.flagged_any)}", style="bold")
    console.print(line)
    if summary.top_rules:
        table = Table(box=None, pad_edge=False, padding=(0, 1), header_style="bold", title_justify="left")
        for heading, justify in (("rule", "left"), ("category", "left"), ("flagged", "right"), ("example", "left")):
            table.add_column(heading, justify=justify, no_wrap=heading != "example")
        for rule in summary.top_rules[:8]:
            example = rule.examples[0].text if rule.examples else ""
            table.add_row(
                rule.rule_id,
                Text(rule.category.value, style=CATEGORY_STYLES[rule.category]),
                f"{rule.count:,} ({rule.total:,})",
                example[:60] + ("…" if len(example) > 60 else ""),
            )
        console.print(Text("\nTop rules (findings in flagged replies; all findings in brackets)", style="bold"))
        console.print(table)
    for column, groups in summary.groups.items():
        console.print(Text(f"\nWorst {column} (of {summary.group_counts[column]:,}, by share flagged)", style="bold"))
        for group in groups[:_SHOWN_GROUPS]:
            console.print(f"  {group.value or '(empty)'}: {group.flagged:,} of {group.rows:,} flagged ({group.flagged_share:.0%})")
    written = []
    if out not in (None, "-"):
        written.append(f"results: {out}")
    if report is not None:
        written.append(f"report: {report}")
    if written:
        console.print(Text("\n" + "   ".join(written), style="dim"))
