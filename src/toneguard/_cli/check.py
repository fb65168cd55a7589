"""``toneguard check``: replies from the command line, standard input, files, folders and globs, checked like code.

A lone argument that is not a path is the reply itself. Otherwise every file is
read into its texts (a reply per text, Markdown or HTML file; one per macro in a
macro export), each checked with the settings found from its own folder upwards.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, TextIO

import typer

from .common import (
    EXIT_ERROR,
    EXIT_FLAGGED,
    EXIT_OK,
    CheckFormat,
    ColorMode,
    ConfigOption,
    DisableOption,
    ExitZeroOption,
    IgnoreOption,
    InputError,
    MinSeverityOption,
    RuleOptions,
    RulesOption,
    SelectOption,
    choice_of,
    choices_metavar,
    make_console,
    print_error,
    user_errors,
    warn_unmatched,
)

if TYPE_CHECKING:
    from .._apps.lint.fixes import Fix
    from .._apps.lint.run import FileResult, Linter
    from .output.results import Outcome

# Names that look like files rather than replies, so a typo gives "no such file", not a check of the name.
_FILE_SUFFIXES = frozenset({".txt", ".text", ".md", ".eml", ".html", ".htm", ".msg", ".json", ".jsonl", ".csv", ".yaml", ".yml"})


def check(
    targets: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH_OR_TEXT",
            help="Files, folders, globs or '-' for standard input; or one reply, as the only argument.",
        ),
    ],
    customer: Annotated[Optional[str], typer.Option(help="The customer's message the replies answer.")] = None,
    customer_file: Annotated[
        Optional[Path], typer.Option("--customer-file", help="File holding the customer's message.")
    ] = None,
    output_format: Annotated[
        CheckFormat,
        typer.Option("--format", help="Output format.", parser=choice_of(CheckFormat), metavar=choices_metavar(CheckFormat)),
    ] = CheckFormat.text,
    output_file: Annotated[
        Optional[Path], typer.Option("--output-file", "-o", help="Write the output to this file instead of standard output.")
    ] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Write the safe plain-English replacements into the files.")] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Print what --fix would change as a unified diff; exit 1 if anything would.")
    ] = False,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    disable: DisableOption = None,
    min_severity: MinSeverityOption = None,
    config_path: ConfigOption = None,
    rules: RulesOption = None,
    exit_zero: ExitZeroOption = False,
    force_exclude: Annotated[
        bool, typer.Option("--force-exclude", help="Skip files named outright that the settings exclude (for pre-commit).")
    ] = False,
    stdin_filename: Annotated[
        Optional[str],
        typer.Option("--stdin-filename", help="The name of the file read from '-': its kind, its settings, its locations."),
    ] = None,
    color: Annotated[
        ColorMode,
        typer.Option("--color", help="Colour the text output.", parser=choice_of(ColorMode), metavar=choices_metavar(ColorMode)),
    ] = ColorMode.auto,
) -> None:
    """Check replies, files of replies and macro exports. Exit code 1 when anything is flagged, 2 on an error."""
    from .._apps.lint.fixes import plan_fix
    from .._apps.lint.run import Linter
    from .._apps.lint.settings import SettingsFinder
    from .output.results import Outcome

    options = RuleOptions.of(select, ignore, disable, min_severity, rules)
    with user_errors():
        if fix and diff:
            raise InputError("give --fix or --diff, not both")
        if targets.count("-") > 1:
            raise InputError("standard input ('-') can be read only once")
        if "-" in targets and customer_file is not None and str(customer_file) == "-":
            raise InputError("only one of the replies and --customer-file can be read from standard input")
        customer_text = read_customer(customer, customer_file)
        if config_path is not None and not config_path.is_file():
            raise InputError(f"{config_path}: no such settings file")
        linter = Linter(SettingsFinder(config_path, options.apply), customer_text)
        inline = _inline_reply(targets)
        if inline is not None and (fix or diff):
            raise InputError("--fix and --diff change files; a reply given as an argument has none (pipe it in with '-')")
        outcome = Outcome(_check_inline(linter, inline), single_text=True) if inline is not None else _check_paths(
            linter, targets, stdin_filename, force_exclude
        )
        if options.selectors:
            warn_unmatched(outcome.analyzers() or [linter.finder.analyzer(linter.settings_for(None))], options)
        fixes = [planned for planned in map(plan_fix, outcome.files) if planned is not None] if fix or diff else []
    for planned in fixes:
        if planned.problem:
            print_error(f"toneguard: warning: {planned.source.name}: {planned.problem}")
    if diff:
        _tell_what_was_not_checked(outcome)
        code = _print_diffs(fixes, output_file, exit_zero)
        raise typer.Exit(EXIT_ERROR if outcome.errors else code)
    report_stream: TextIO | None = None
    if fix:
        outcome, report_stream = _apply_fixes(linter, outcome, fixes)
    if outcome.single_text and not outcome.files[0].checked[0].document.text.strip() and output_format is CheckFormat.text:
        print_error(f"toneguard: {outcome.files[0].name or 'the reply'} is empty; nothing to check")
        raise typer.Exit(EXIT_OK)
    _tell_what_was_not_checked(outcome)
    with user_errors():
        _emit(outcome, output_format, output_file, color, report_stream)
    if outcome.errors:
        raise typer.Exit(EXIT_ERROR)
    raise typer.Exit(EXIT_FLAGGED if outcome.flagged and not exit_zero else EXIT_OK)


def _tell_what_was_not_checked(outcome: Outcome) -> None:
    """Files that could not be read, and empty ones, are named on standard error whatever the format."""
    for result in outcome.files:
        if result.error:
            print_error(f"toneguard: error: {result.error}")
        elif not outcome.single_text and result.source is not None and not result.source.text.strip():
            print_error(f"toneguard: {result.name} is empty; nothing to check")


def _inline_reply(targets: list[str]) -> str | None:
    """The reply, when the only argument is one rather than a path, a glob or '-'."""
    if len(targets) != 1 or targets[0] == "-":
        return None
    argument = targets[0]
    if argument.strip() and (Path(argument).exists() or _looks_like_path(argument)):
        return None
    return argument


def _looks_like_path(argument: str) -> bool:
    if any(ch.isspace() for ch in argument) or "://" in argument:
        return False
    return "/" in argument or "\\" in argument or Path(argument).suffix.lower() in _FILE_SUFFIXES


def _check_inline(linter: Linter, reply: str) -> list[FileResult]:
    from .._apps.lint.sources import SourceFile

    source = SourceFile("", reply.replace("\r\n", "\n"), "text")
    return [linter.check_source(source, linter.settings_for(None))]


def _check_paths(linter: Linter, targets: list[str], stdin_filename: str | None, force_exclude: bool) -> Outcome:
    from .._apps.lint.discovery import NoSuchPath, expand
    from .._apps.lint.sources import SourceError, SourceFile, kind_of
    from .output.results import Outcome

    results = []
    if "-" in targets:
        name = stdin_filename or "<stdin>"
        kind = kind_of(Path(stdin_filename)) if stdin_filename else "text"
        try:
            source = SourceFile.from_bytes(_read_stdin_bytes(), name, kind)
        except SourceError as err:
            raise InputError(str(err)) from None
        results.append(linter.check_source(source, linter.settings_for(Path(stdin_filename) if stdin_filename else None)))
    try:
        files = expand([target for target in targets if target != "-"], linter.finder, force_exclude)
    except NoSuchPath as err:
        if len(targets) > 1:
            hint = " (a reply to check must be the only argument)"
        else:
            hint = " (to check text that looks like a path, pipe it in with '-')"
        raise InputError(f"{err}{hint}") from None
    results += [linter.check_file(target) for target in files]
    single = targets == ["-"] and stdin_filename is None
    return Outcome(results, single_text=single)


def _apply_fixes(linter: Linter, outcome: Outcome, fixes: list[Fix]) -> tuple[Outcome, TextIO | None]:
    """Writes each fix, then checks the fixed files again, so the report shows what is left.

    Standard input's fixed text goes to standard output (as ruff does), and the report to standard error.
    """
    from .._apps.lint.run import FileResult
    from .output.results import Outcome

    report_stream = None
    rechecked: dict[str, FileResult] = {}
    for planned in fixes:
        if not planned.changed:
            continue
        source = planned.source
        if source.path is None:
            sys.stdout.write(planned.text)
            sys.stdout.flush()
            report_stream = sys.stderr
        else:
            try:
                planned.write()
            except OSError as err:
                rechecked[source.name] = FileResult(source.name, error=f"cannot write the fix: {err.strerror or err}")
                continue
        result = next(r for r in outcome.files if r.source is source)
        rechecked[source.name] = linter.check_source(replace(source, text=planned.text), result.settings)
    files = [rechecked.get(result.name, result) for result in outcome.files]
    return Outcome(files, outcome.single_text, fixes), report_stream


def _print_diffs(fixes: list[Fix], output_file: Path | None, exit_zero: bool) -> int:
    changed = [planned for planned in fixes if planned.changed]
    text = "".join(planned.diff() for planned in changed)
    _write_output(text, output_file)
    count = sum(planned.applied for planned in changed)
    if changed:
        print_error(f"Would fix {count} finding{'s' * (count != 1)} in {len(changed)} file{'s' * (len(changed) != 1)}.")
    else:
        print_error("No safe replacements to make.")
    return EXIT_FLAGGED if changed and not exit_zero else EXIT_OK


def _emit(outcome: Outcome, output_format: CheckFormat, output_file: Path | None, color: ColorMode, stream: TextIO | None) -> None:
    import json

    from .output.github import workflow_commands
    from .output.machine import json_document, jsonl_lines
    from .output.sarif import sarif_log
    from .output.text import print_outcome

    if output_format is CheckFormat.text:
        if output_file is None:
            print_outcome(make_console(color, stderr=stream is sys.stderr), outcome)
            return
        from rich.console import Console

        with _open_output(output_file) as handle:
            print_outcome(Console(file=handle, highlight=False, soft_wrap=True, no_color=True, force_terminal=False), outcome)
        return
    if output_format is CheckFormat.json:
        text = json.dumps(json_document(outcome), indent=2, ensure_ascii=False) + "\n"
    elif output_format is CheckFormat.jsonl:
        text = "".join(line + "\n" for line in jsonl_lines(outcome))
    elif output_format is CheckFormat.sarif:
        text = json.dumps(sarif_log(outcome), indent=2, ensure_ascii=False) + "\n"
    else:
        text = "".join(line + "\n" for line in workflow_commands(outcome))
    _write_output(text, output_file, stream)


def _write_output(text: str, output_file: Path | None, stream: TextIO | None = None) -> None:
    if output_file is None:
        (stream or sys.stdout).write(text)
        (stream or sys.stdout).flush()
        return
    with _open_output(output_file) as handle:
        handle.write(text)


def _open_output(path: Path) -> TextIO:
    try:
        return path.open("w", encoding="utf-8")
    except OSError as err:
        raise InputError(f"cannot write {path}: {err.strerror or err}") from None


def _read_stdin_bytes() -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin (some test harnesses)
        return sys.stdin.read().encode("utf-8", "surrogateescape")
    return stream.read()


def read_customer(customer: str | None, customer_file: Path | None) -> str | None:
    from .._apps.lint.sources import SourceError, SourceFile

    if customer is not None and customer_file is not None:
        raise InputError("give --customer or --customer-file, not both")
    if customer_file is None:
        return customer
    try:
        if str(customer_file) == "-":
            return SourceFile.from_bytes(_read_stdin_bytes(), "standard input", "text").text
        if not customer_file.exists():
            raise InputError(f"no such file: {customer_file}")
        return SourceFile.read(customer_file, str(customer_file)).text
    except SourceError as err:
        raise InputError(str(err)) from None
