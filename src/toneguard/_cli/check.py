"""``toneguard check``: one reply, from the command line, a file or standard input; findings shown under the text."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .common import (
    CATEGORY_STYLES,
    EXIT_FLAGGED,
    EXIT_OK,
    ColorMode,
    ConfigOption,
    DisableOption,
    FormatOption,
    InputError,
    OutputFormat,
    RulesOption,
    analyzer_for,
    choice_of,
    choices_metavar,
    make_console,
    print_error,
    print_json,
    user_errors,
)

if TYPE_CHECKING:
    from rich.console import Console

    from ..models import Finding, Report

# Names that look like files rather than replies, so a typo gives "no such file", not a check of the name.
_FILE_SUFFIXES = frozenset({".txt", ".text", ".md", ".eml", ".html", ".htm", ".msg", ".json", ".jsonl", ".csv"})
_SOURCE_WINDOW = 100  # longest source line shown in full under a finding


def check(
    text_or_file: Annotated[str, typer.Argument(metavar="TEXT_OR_FILE", help="The reply, a file holding it, or '-' for standard input.")],
    customer: Annotated[Optional[str], typer.Option(help="The customer's message the reply answers.")] = None,
    customer_file: Annotated[
        Optional[Path], typer.Option("--customer-file", help="File holding the customer's message.")
    ] = None,
    output_format: FormatOption = OutputFormat.text,
    config_path: ConfigOption = None,
    disable: DisableOption = None,
    rules: RulesOption = None,
    color: Annotated[
        ColorMode,
        typer.Option("--color", help="Colour the text output.", parser=choice_of(ColorMode), metavar=choices_metavar(ColorMode)),
    ] = ColorMode.auto,
) -> None:
    """Check one reply. Exit code 1 when any category is flagged."""
    with user_errors():
        if text_or_file == "-" and customer_file is not None and str(customer_file) == "-":
            raise InputError("only one of the reply and --customer-file can be read from standard input")
        reply, source = read_reply(text_or_file)
        customer_text = read_customer(customer, customer_file)
        analyzer = analyzer_for(config_path, disable, rules)
    if not reply.strip():
        print_error(f"toneguard: {source or 'the reply'} is empty; nothing to check")
    report = analyzer.analyze(reply, customer_text)
    if output_format is OutputFormat.json:
        print_json(report.model_dump(mode="json"))
    else:
        print_report(make_console(color), report, source)
    raise typer.Exit(EXIT_FLAGGED if report.flagged else EXIT_OK)


def locate(text: str, offset: int) -> tuple[int, int, int, int]:
    """1-based line and column of ``offset``, and the bounds of its line."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    if line_end == -1:
        line_end = len(text)
    return text.count("\n", 0, offset) + 1, offset - line_start + 1, line_start, line_end


def source_excerpt(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The line holding ``start`` (trimmed around the span when long) and the span's cells within it."""
    from rich.cells import cell_len

    _, _, line_start, line_end = locate(text, start)
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


def print_report(console: Console, report: Report, source: str | None) -> None:
    from rich.text import Text

    for finding in report.findings:
        print_finding(console, report.reply, finding, source)
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


def print_finding(console: Console, reply: str, finding: Finding, source: str | None) -> None:
    from rich.text import Text

    style = CATEGORY_STYLES[finding.category]
    line_no, column, _, _ = locate(reply, finding.start)
    where = f"{source}:{line_no}:{column}" if source else f"{line_no}:{column}"
    header = Text()
    header.append(f"{where} ", style="bold")
    header.append(finding.category.value, style=f"bold {style}")
    header.append(f" {finding.rule_id} ", style="bold")
    header.append(f"[{finding.severity.value}] ", style="dim")
    header.append(finding.message)
    console.print(header)
    shown, pad, width = source_excerpt(reply, finding.start, finding.end)
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
    for suggestion in finding.suggestions:
        console.print(Text(f"    = suggestion: {suggestion}"))



def _looks_like_path(argument: str) -> bool:
    if not argument or any(ch.isspace() for ch in argument) or "://" in argument:
        return False
    return "/" in argument or "\\" in argument or Path(argument).suffix.lower() in _FILE_SUFFIXES


def _decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name} is not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); save it as UTF-8"
        ) from None
    return text.replace("\r\n", "\n")


def read_file_text(path: Path) -> str:
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a file")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from None
    return _decode(data, str(path))


def read_stdin() -> str:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (some test harnesses)
        return sys.stdin.read()
    return _decode(stream.read(), "standard input")


def read_reply(argument: str) -> tuple[str, str | None]:
    """The reply text and, when it came from a file or stdin, the name to show with locations."""
    if argument == "-":
        return read_stdin(), "<stdin>"
    path = Path(argument)
    if path.is_file():
        return read_file_text(path), argument
    if path.is_dir():
        raise InputError(f"{argument} is a directory, not a file")
    if _looks_like_path(argument):
        raise InputError(f"no such file: {argument} (to check text that looks like a path, pipe it in with '-')")
    return argument, None


def read_customer(customer: str | None, customer_file: Path | None) -> str | None:
    if customer is not None and customer_file is not None:
        raise InputError("give --customer or --customer-file, not both")
    if customer_file is None:
        return customer
    if str(customer_file) == "-":
        return read_stdin()
    if not customer_file.exists():
        raise InputError(f"no such file: {customer_file}")
    return read_file_text(customer_file)

