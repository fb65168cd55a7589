"""``toneguard explain``: one rule in full: why it matters, what to do instead, its settings and examples."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from .common import ConfigOption, InputError, RuleOptions, RulesOption, analyzer_for, user_errors

if TYPE_CHECKING:
    from .._core.analyzer import Analyzer

_SWAP_EXAMPLES = 8


def explain(
    rule_id: Annotated[str, typer.Argument(metavar="RULE_ID", help="A rule id such as TG101 (or a rule name).")],
    config_path: ConfigOption = None,
    rules: RulesOption = None,
) -> None:
    """Explain one rule: why it matters, what to do instead, and examples."""
    with user_errors():
        analyzer = analyzer_for(config_path, RuleOptions.of(rules=rules))
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
    # Ids are capitals and names lower case, so each is compared in its own case.
    close = difflib.get_close_matches(wanted.strip().upper(), [rule.id for rule in all_rules], n=3)
    if len(close) < 3:
        close += difflib.get_close_matches(wanted.strip().lower(), [rule.name for rule in all_rules], n=3 - len(close))
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise InputError(f"no rule {wanted!r}.{hint} `toneguard rules` lists them all.")


def explain_lines(analyzer: Analyzer, rule: Any, asked: str) -> list[str]:
    from .._rules.schema import ExchangeExample, PatternRule, PhraseRule, ShapeRule, SwapRule

    origin = next((loaded.origin for loaded in analyzer.rule_set.rules if loaded.rule.id == rule.id), None)
    def example(item: Any) -> str:
        if isinstance(item, ExchangeExample):
            return f"{item.reply}   (customer: {item.customer})"
        return item

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
            inflected = f" ({swap.pos.value}, every form)" if swap.pos.value in ("noun", "verb") else ""
            lines.append(f"  {' / '.join(swap.terms)}{inflected} -> {plain}")
        if len(rule.swaps) > _SWAP_EXAMPLES:
            lines.append(f"  ... and {len(rule.swaps) - _SWAP_EXAMPLES} more")
    elif isinstance(rule, PhraseRule):
        shown = ", ".join(repr(p) for p in rule.phrases[:_SWAP_EXAMPLES])
        more = f" and {len(rule.phrases) - _SWAP_EXAMPLES} more" if len(rule.phrases) > _SWAP_EXAMPLES else ""
        lines += ["", f"Phrases: {shown}{more}"]
    elif isinstance(rule, PatternRule):
        lines += ["", f"Token patterns: {len(rule.patterns)}"]
    elif isinstance(rule, ShapeRule):
        lines += ["", "Shapes:"]
        for kind in rule.shapes:
            lines.append(f"  {kind.shape.value}: {kind.suggestion}")
            lines += [f"    x {example(e)}" for e in kind.examples.bad] + [f"    ok {example(e)}" for e in kind.examples.good]
    settings = _specific_settings(rule)
    if settings:
        lines += ["", "Settings:"] + [f"  {key}: {value}" for key, value in settings.items()]
    if rule.unless:
        lines += ["", "Not flagged when the sentence also says: " + ", ".join(repr(u) for u in rule.unless)]

    lines += ["", "Flagged:"] + [f"  x {example(e)}" for e in rule.examples.bad]
    lines += ["", "Fine:"] + [f"  ok {example(e)}" for e in rule.examples.good]
    if rule.source:
        lines += ["", f"Source: {rule.source}"]
    return lines


def _specific_settings(rule: Any) -> dict[str, Any]:
    """The knobs of this kind of check (thresholds and the like), beyond the common fields."""
    common = {"id", "name", "category", "severity", "message", "why", "suggestions", "unless", "source", "examples"}
    shown_elsewhere = {"check", "swaps", "phrases", "patterns", "shapes"}
    return {
        key: value
        for key, value in rule.model_dump(mode="json").items()
        if key not in common | shown_elsewhere and value not in (None, [], {})
    }

