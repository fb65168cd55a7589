"""The ``toneguard`` command: check replies, list and explain rules, evaluate on labelled data.

Exit codes: 0 = nothing flagged (or the command just reports), 1 = ``check``
flagged at least one category, 2 = a usage or input error. Errors are printed
as one-line messages, never as tracebacks (set ``TONEGUARD_DEBUG=1`` to see one).
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Iterator, Optional

import typer

from .rule_schema import Category

if TYPE_CHECKING:  # the heavy modules are imported inside the commands that need them
    from rich.console import Console

    from .analyzer import Analyzer
    from .config import Config
    from .evaluation import Evaluation
    from .models import Finding, Report

EXIT_OK, EXIT_FLAGGED, EXIT_ERROR = 0, 1, 2

CATEGORY_STYLES = {Category.dismissive: "red", Category.clipped: "yellow", Category.technical: "cyan"}
# Names that look like files rather than replies, so a typo gives "no such file", not a check of the name.
_FILE_SUFFIXES = frozenset({".txt", ".text", ".md", ".eml", ".html", ".htm", ".msg", ".json", ".jsonl", ".csv"})
_SOURCE_WINDOW = 100  # longest source line shown in full under a finding
_SWAP_EXAMPLES = 8

app = typer.Typer(
    name="toneguard",
    help="Flags dismissive, clipped and overly technical wording in help-desk replies.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class ColorMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


class InputError(Exception):
    """Bad input from the user: reported as one line, exit code 2."""


# ---------------------------------------------------------------------------
# Shared options

ConfigOption = Annotated[
    Optional[Path],
    typer.Option("--config", help="Settings file (toneguard.toml or pyproject.toml); default: discovered from here."),
]
DisableOption = Annotated[
    Optional[list[str]],
    typer.Option("--disable", help="Rule id (TG101) or category to turn off; repeatable.", metavar="ID_OR_CATEGORY"),
]
RulesOption = Annotated[
    Optional[list[Path]],
    typer.Option("--rules", help="Extra rules file added to the configured ones; repeatable.", metavar="EXTRA.yaml"),
]
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]


# ---------------------------------------------------------------------------
# Helpers


def _stderr(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turns the errors a user can cause into a one-line message and exit code 2."""
    from .config import ConfigError
    from .evaluation import EvaluationInputError
    from .rule_loading import RulesError

    try:
        yield
    except RulesError as err:
        _stderr("toneguard: the rules cannot be used:")
        for problem in err.problems:
            _stderr(f"  - {problem}")
        raise typer.Exit(EXIT_ERROR) from None
    except (ConfigError, EvaluationInputError, InputError) as err:
        _stderr(f"toneguard: {err}")
        raise typer.Exit(EXIT_ERROR) from None


def load_config(config_path: Path | None, disable: list[str] | None, rules: list[Path] | None) -> Config:
    """The discovered (or given) settings with the command line's additions."""
    from .config import Config, ConfigError

    if config_path is not None and not config_path.is_file():
        raise ConfigError(f"{config_path}: no such settings file")
    config = Config.from_file(config_path) if config_path is not None else Config.discover()
    update: dict[str, Any] = {}
    if disable:
        update["disable"] = [*config.disable, *disable]
    if rules:
        update["rules"] = [*config.rules, *rules]
    return config.model_copy(update=update) if update else config


def build_analyzer(config: Config) -> Analyzer:
    from .analyzer import Analyzer
    from .rule_loading import RulesError

    try:
        return Analyzer(config)
    except RulesError:
        raise
    except ValueError as err:  # e.g. a spacy_model that is not installed
        raise InputError(f"cannot set up the analyzer: {err}") from err


def warn_unknown_disables(analyzer: Analyzer, disable: list[str] | None) -> None:
    """--disable takes ids and categories; a typo would otherwise silently disable nothing."""
    known = {loaded.rule.id for loaded in analyzer.rule_set.rules} | {c.value for c in Category}
    for value in disable or []:
        if value not in known:
            _stderr(f"toneguard: warning: --disable {value}: no rule or category by that name")


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


def make_console(color: ColorMode = ColorMode.auto, stderr: bool = False) -> Console:
    from rich.console import Console

    force = {ColorMode.auto: None, ColorMode.always: True, ColorMode.never: False}[color]
    return Console(
        stderr=stderr,
        highlight=False,
        soft_wrap=True,
        force_terminal=force,
        no_color=True if color is ColorMode.never else None,
    )


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


# ---------------------------------------------------------------------------
# check


@app.command()
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
    color: Annotated[ColorMode, typer.Option("--color", help="Colour the text output.")] = ColorMode.auto,
) -> None:
    """Check one reply. Exit code 1 when any category is flagged."""
    with _user_errors():
        if text_or_file == "-" and customer_file is not None and str(customer_file) == "-":
            raise InputError("only one of the reply and --customer-file can be read from standard input")
        reply, source = read_reply(text_or_file)
        customer_text = read_customer(customer, customer_file)
        analyzer = build_analyzer(load_config(config_path, disable, rules))
    warn_unknown_disables(analyzer, disable)
    if not reply.strip():
        _stderr(f"toneguard: {source or 'the reply'} is empty; nothing to check")
    report = analyzer.analyze(reply, customer_text)
    if output_format is OutputFormat.json:
        _print_json(report.model_dump(mode="json"))
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


# ---------------------------------------------------------------------------
# rules


@app.command("rules")
def list_rules(
    category: Annotated[Optional[Category], typer.Option(help="Only this category.")] = None,
    output_format: FormatOption = OutputFormat.text,
    config_path: ConfigOption = None,
    disable: DisableOption = None,
    rules: RulesOption = None,
) -> None:
    """List every rule: id, category, severity and message."""
    with _user_errors():
        analyzer = build_analyzer(load_config(config_path, disable, rules))
    warn_unknown_disables(analyzer, disable)
    active = {rule.id for rule in analyzer.rules}
    listed = [
        loaded.rule for loaded in analyzer.rule_set.rules if category is None or loaded.rule.category == category
    ]
    if output_format is OutputFormat.json:
        _print_json(
            [
                {
                    "id": rule.id,
                    "name": rule.name,
                    "category": rule.category.value,
                    "severity": rule.severity.value,
                    "check": rule.check,
                    "message": rule.message,
                    "enabled": rule.id in active,
                }
                for rule in listed
            ]
        )
        return
    for rule in listed:
        off = "" if rule.id in active else "  (disabled)"
        typer.echo(f"{rule.id}  {rule.category.value:<10}  {rule.severity.value:<6}  {rule.message}{off}")
    if not listed:
        _stderr("toneguard: no rules" + (f" in category {category.value}" if category else ""))


# ---------------------------------------------------------------------------
# explain


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(metavar="RULE_ID", help="A rule id such as TG101 (or a rule name).")],
    config_path: ConfigOption = None,
    rules: RulesOption = None,
) -> None:
    """Explain one rule: why it matters, what to do instead, and examples."""
    with _user_errors():
        analyzer = build_analyzer(load_config(config_path, None, rules))
        rule = find_rule(analyzer, rule_id)
    for line in explain_lines(analyzer, rule, asked=rule_id):
        typer.echo(line)


def find_rule(analyzer: Analyzer, wanted: str) -> Any:
    """The rule by id (retired ids follow their redirect) or by name; InputError with close matches if none."""
    import difflib

    try:
        return analyzer.rule(wanted)
    except KeyError:
        pass
    all_rules = [loaded.rule for loaded in analyzer.rule_set.rules]
    for rule in all_rules:
        if rule.name == wanted.strip().lower():
            return rule
    names = [rule.id for rule in all_rules] + [rule.name for rule in all_rules]
    close = difflib.get_close_matches(wanted.upper() if wanted[:2].lower() == "tg" else wanted, names, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"no rule {wanted!r}.{hint} `toneguard rules` lists them all.")


def explain_lines(analyzer: Analyzer, rule: Any, asked: str) -> list[str]:
    from .rule_schema import ExchangeExample, PatternRule, PhraseRule, SwapRule

    origin = next((loaded.origin for loaded in analyzer.rule_set.rules if loaded.rule.id == rule.id), None)
    lines = [f"{rule.id} {rule.name}"]
    if asked.strip().upper() not in (rule.id, rule.name.upper()):
        lines.append(f"({asked} was retired; it is now {rule.id})")
    lines += [
        f"category: {rule.category.value}",
        f"severity: {rule.severity.value}",
        f"check:    {rule.check}" + (f"  ({origin})" if origin else ""),
        "",
        rule.message,
        "",
        "Why it matters:",
        f"  {rule.why.strip()}",
    ]
    if rule.id not in {r.id for r in analyzer.rules}:
        lines.insert(1, "(disabled by your settings)")
    if rule.suggestions:
        lines += ["", "Instead:"] + [f"  - {s}" for s in rule.suggestions]
    if isinstance(rule, SwapRule):
        lines += ["", "Plain wording:"]
        for swap in rule.swaps[:_SWAP_EXAMPLES]:
            plain = swap.replace if swap.replace is not None else f"(explain) {swap.explain}"
            lines.append(f"  {' / '.join(swap.terms)} -> {plain}")
        if len(rule.swaps) > _SWAP_EXAMPLES:
            lines.append(f"  ... and {len(rule.swaps) - _SWAP_EXAMPLES} more")
    elif isinstance(rule, PhraseRule):
        shown = ", ".join(repr(p) for p in rule.phrases[:_SWAP_EXAMPLES])
        more = f" and {len(rule.phrases) - _SWAP_EXAMPLES} more" if len(rule.phrases) > _SWAP_EXAMPLES else ""
        lines += ["", f"Phrases: {shown}{more}"]
    elif isinstance(rule, PatternRule):
        lines += ["", f"Token patterns: {len(rule.patterns)}"]
    settings = _specific_settings(rule)
    if settings:
        lines += ["", "Settings:"] + [f"  {key}: {value}" for key, value in settings.items()]
    if rule.unless:
        lines += ["", "Not flagged when the sentence also says: " + ", ".join(repr(u) for u in rule.unless)]

    def example(item: Any) -> str:
        if isinstance(item, ExchangeExample):
            return f"{item.reply}   (customer: {item.customer})"
        return item

    lines += ["", "Flagged:"] + [f"  x {example(e)}" for e in rule.examples.bad]
    lines += ["", "Fine:"] + [f"  ok {example(e)}" for e in rule.examples.good]
    if rule.source:
        lines += ["", f"Source: {rule.source}"]
    return lines


def _specific_settings(rule: Any) -> dict[str, Any]:
    """The knobs of this kind of check (thresholds and the like), beyond the common fields."""
    common = {"id", "name", "category", "severity", "message", "why", "suggestions", "unless", "source", "examples"}
    shown_elsewhere = {"check", "swaps", "phrases", "patterns"}
    return {
        key: value
        for key, value in rule.model_dump(mode="json").items()
        if key not in common | shown_elsewhere and value not in (None, [], {})
    }


# ---------------------------------------------------------------------------
# eval


@app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Labelled replies: .jsonl, .json, .csv or .tsv, optionally .gz.")],
    text_column: Annotated[str, typer.Option(help="Column holding the reply.")] = "reply",
    customer_column: Annotated[str, typer.Option(help="Column holding the customer's message (optional).")] = "customer",
    id_column: Annotated[str, typer.Option(help="Column holding a row id (optional).")] = "id",
    label_column: Annotated[
        Optional[list[str]],
        typer.Option(help="Label column for a category, as category=column; repeatable.", metavar="CATEGORY=COLUMN"),
    ] = None,
    output_format: FormatOption = OutputFormat.text,
    max_misses: Annotated[int, typer.Option(min=0, help="Misses to list (0 for none).")] = 20,
    config_path: ConfigOption = None,
    disable: DisableOption = None,
    rules: RulesOption = None,
) -> None:
    """Measure precision and recall per category on a labelled file."""
    from .evaluation import Columns, evaluate_file

    with _user_errors():
        columns = Columns(
            text=text_column,
            customer=customer_column,
            id=id_column,
            labels={**Columns().labels, **parse_label_columns(label_column or [])},
        )
        analyzer = build_analyzer(load_config(config_path, disable, rules))
        warn_unknown_disables(analyzer, disable)
        result = evaluate_file(file, analyzer, columns, max_misses=max_misses)
    if output_format is OutputFormat.json:
        _print_json(result.model_dump(mode="json"))
    else:
        print_evaluation(make_console(), result)


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


def _fmt(value: float | None) -> str:
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
            _fmt(row.precision),
            _fmt(row.recall),
            _fmt(row.f1),
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
            console.print(Text(f"  row {skipped.row}: {skipped.reason}"))
        if len(result.skipped) > 20:
            console.print(Text(f"  ... and {len(result.skipped) - 20} more (--format json lists them all)"))
    if result.misses:
        console.print(Text(f"\nMisses ({len(result.misses)} of {result.misses_total})", style="bold"))
        for miss in result.misses:
            kind = "false positive" if miss.kind == "false_positive" else "false negative"
            label = f"row {miss.row}" + (f" (id {miss.id})" if miss.id else "")
            line = Text(f"  {label}: ")
            line.append(f"{miss.category.value} {kind}", style=CATEGORY_STYLES[miss.category])
            fired = ", ".join(miss.rules) if miss.rules else "none"
            line.append(f"  score {miss.score:.2f}  rules: {fired}")
            console.print(line)
            text = " ".join(miss.text.split())
            console.print(Text(f"      {text[:157] + '...' if len(text) > 160 else text}", style="dim"))
    elif result.misses_total:
        console.print(Text(f"\n{result.misses_total} misses (raise --max-misses to list them)"))


# ---------------------------------------------------------------------------


from .serve_command import serve  # noqa: E402 - lives beside the server; importing it does not load FastAPI

app.command()(serve)

from .scan_cli import scan  # noqa: E402 - its own module; it imports the heavy parts only when run

app.command()(scan)


def main() -> None:
    """The console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # e.g. `toneguard rules | head`
        sys.stderr.close()
        os._exit(EXIT_OK)
    except Exception as err:  # a bug: say so briefly instead of a traceback
        if os.environ.get("TONEGUARD_DEBUG"):
            raise
        _stderr(f"toneguard: internal error: {type(err).__name__}: {err} (set TONEGUARD_DEBUG=1 for the traceback)")
        sys.exit(EXIT_ERROR)
