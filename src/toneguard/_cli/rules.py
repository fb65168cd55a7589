"""``toneguard rules``: every rule, by id, with its category, severity and message."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..models import Category
from .common import (
    ConfigOption,
    DisableOption,
    IgnoreOption,
    MinSeverityOption,
    RuleOptions,
    SelectOption,
    FormatOption,
    OutputFormat,
    RulesOption,
    analyzer_for,
    choice_of,
    choices_metavar,
    print_error,
    print_json,
    user_errors,
)


def list_rules(
    category: Annotated[
        Optional[Category],
        typer.Option(help="Only this category.", parser=choice_of(Category), metavar=choices_metavar(Category)),
    ] = None,
    output_format: FormatOption = OutputFormat.text,
    config_path: ConfigOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    disable: DisableOption = None,
    min_severity: MinSeverityOption = None,
    rules: RulesOption = None,
) -> None:
    """List every rule: id, category, severity and message."""
    with user_errors():
        analyzer = analyzer_for(config_path, RuleOptions.of(select, ignore, disable, min_severity, rules))
    active = {rule.id for rule in analyzer.rules}
    listed = [
        loaded.rule for loaded in analyzer.rule_set.in_id_order() if category is None or loaded.rule.category == category
    ]
    if output_format is OutputFormat.json:
        print_json(
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
        print_error("toneguard: no rules" + (f" in category {category.value}" if category else ""))

