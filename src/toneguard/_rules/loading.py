"""Reads rules files and reports every problem with its file, rule id and field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import TypeAdapter, ValidationError

from .._engines.disk_cache import cached
from ..models import Category
from .patterns import PatternLimits
from .schema import (
    AIMED_AT_READER_SIGNALS,
    BUILTIN_PREFIX,
    CHECK_KINDS,
    CUSTOMER_ONLY_PREFIX,
    SPACY_ACCEPTS_PATTERNS,
    TONE_FEATURES,
    Rule,
    RulesFile,
    ShapeWords,
    Swap,
    SwapRule,
    ToneMarker,
    ToneModel,
    Tuning,
    id_prefix,
    spacy_pattern_problems,
)

_RULE_ADAPTER: TypeAdapter[Rule] = TypeAdapter(Rule)
# libyaml's loader when PyYAML was built with it: several times faster on the large jargon file.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The built-in tuning numbers: read whatever rules are used, since every score needs them.
TUNING_FILE = "scoring.yaml"


class RulesError(ValueError):
    """A rules file could not be used. ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid rules:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    origin: str
    builtin: bool = False


@dataclass(frozen=True)
class RuleSet:
    """Everything the engine reads from rules files, merged across files."""

    tuning: Tuning
    rules: list[LoadedRule]
    signals: dict[str, list[str]]
    tone_markers: list[ToneMarker]
    tone_models: dict[Category, ToneModel]
    sentiment_overrides: dict[str, float]
    redirects: dict[str, str]
    shape_words: ShapeWords

    def by_id(self) -> dict[str, Rule]:
        return {loaded.rule.id: loaded.rule for loaded in self.rules}

    def in_id_order(self) -> list[LoadedRule]:
        """The rules as listings show them: by id, so each category's rules stand together."""
        return sorted(self.rules, key=lambda loaded: loaded.rule.id)


def builtin_rule_files() -> list[Any]:
    """The rules files shipped inside the package, in a stable order."""
    folder = resources.files("toneguard") / "rules"
    return sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith((".yaml", ".yml"))),
        key=lambda entry: entry.name,
    )


def load_rule_set(
    extra_files: Iterable[str | Path] = (), include_builtin: bool = True, pattern_limits: PatternLimits | None = None
) -> RuleSet:
    """The built-in rules files (or only the tuning numbers, without ``include_builtin``), then ``extra_files``.

    Token patterns are held to ``pattern_limits`` (the defaults when None).
    """
    sources = [
        (f"toneguard/rules/{entry.name}", entry.read_text("utf-8"), True)
        for entry in builtin_rule_files()
        if include_builtin or entry.name == TUNING_FILE
    ]
    for path in extra_files:
        try:
            sources.append((str(path), Path(path).read_text("utf-8"), False))
        except (OSError, UnicodeDecodeError) as err:
            raise RulesError([f"{path}: cannot read the file ({err})"]) from err
    return _merge(sources, {"pattern_limits": pattern_limits or PatternLimits()})


def _merge(sources: list[tuple[str, str, bool]], context: dict[str, Any]) -> RuleSet:
    problems: list[str] = []
    rules: list[LoadedRule] = []
    signals: dict[str, list[str]] = {}
    tone_markers: list[ToneMarker] = []
    tone_models: dict[Category, dict[str, Any]] = {}
    sentiment_overrides: dict[str, float] = {}
    redirects: dict[str, str] = {}
    vocabularies: dict[str, list[Swap]] = {}
    shape_words: dict[str, Any] = {}
    tuning: dict[str, Any] = {}
    seen: dict[str, str] = {}  # rule id -> the file that first defined it
    for origin, text, builtin in sources:
        parsed = _parse_file(origin, text, builtin, problems, seen, context)
        if parsed is None:
            continue
        problems += _reserved_redirects(origin, parsed, builtin)
        rules += [LoadedRule(rule, origin, builtin) for rule in parsed.rules]  # their ids were checked as they were read
        for name, phrases in parsed.signals.items():
            signals.setdefault(name, []).extend(phrases)
        tone_markers.extend(parsed.tone_markers)
        for category, model in parsed.tone_models.items():
            tone_models[category] = _overlay(tone_models.get(category, {}), model)
        sentiment_overrides.update(parsed.sentiment_overrides)
        redirects.update(parsed.redirects)
        for name, swaps in parsed.vocabularies.items():
            vocabularies.setdefault(name, []).extend(swaps)
        for field, words in parsed.shape_words.model_dump(exclude_unset=True).items():
            if isinstance(words, list):
                _add_new(shape_words.setdefault(field, []), words)
            else:
                shape_words[field] = words  # a single setting (rare_below): the last file to set it wins
        tuning = _tune(origin, tuning, parsed, problems)
    if not tuning:
        raise RulesError([*problems, f"toneguard/rules/{TUNING_FILE}: no scoring and context settings were read"])
    problems += _unknown_vocabularies(rules, vocabularies)
    rules = [_with_vocabularies(loaded, vocabularies) for loaded in rules]
    merged = RuleSet(
        Tuning.model_validate(tuning),
        rules,
        signals,
        tone_markers,
        _tone_models(tone_models, problems),
        sentiment_overrides,
        redirects,
        ShapeWords.model_validate(shape_words),
    )
    problems += _check_references(merged)
    if problems:
        raise RulesError(problems)
    return merged


def _parse_file(
    origin: str, text: str, builtin: bool, problems: list[str], seen: dict[str, str], context: dict[str, Any]
) -> RulesFile | None:
    """The file's contents, validated; None when it has a problem (each one added to ``problems``)."""
    try:
        # YAML's object construction is slow Python; a file's parse is cached by its content.
        kind = "rules-" + re.sub(r"[^\w.-]", "_", Path(origin).name)
        data = cached(kind, text.encode("utf-8", "surrogatepass"), lambda: yaml.load(text, Loader=_YAML_LOADER))  # noqa: S506
    except yaml.YAMLError as err:
        problems.append(f"{origin}: not valid YAML: {err}")
        return None
    if data is None:
        return RulesFile()
    if not isinstance(data, dict):
        problems.append(f"{origin}: the top level must be a mapping with 'rules:', got {type(data).__name__}")
        return None
    # Top-level "x-" keys hold YAML anchors (shared word lists) for the rules below them.
    data = {key: value for key, value in data.items() if not str(key).startswith("x-")}
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        problems.append(f"{origin}: field 'rules' must be a list")
        return None
    before = len(problems)
    context = {**context, SPACY_ACCEPTS_PATTERNS: _spacy_accepts_patterns(kind, text, raw_rules)}
    rules = [_validate_rule(origin, index, raw, builtin, problems, seen, context) for index, raw in enumerate(raw_rules)]
    try:
        # The rules were validated one by one above, each reported with its id; validating them
        # again as part of the file would run every pattern's matcher check twice.
        parsed = RulesFile.model_validate({**data, "rules": []}, context=context)
    except ValidationError as err:
        problems += [f"{origin}: field '{_dotted(error['loc'])}': {error['msg']}" for error in err.errors()]
        return None
    return parsed.model_copy(update={"rules": rules}) if len(problems) == before else None


def _spacy_accepts_patterns(kind: str, text: str, raw_rules: list[Any]) -> bool:
    """Whether spaCy accepts every token pattern written in the file, asked once per file contents and spaCy version.

    spaCy's schema and Matcher are most of the cost of reading pattern rules.
    Any doubt (an odd shape, a refusal) answers False, so the patterns are
    checked, and reported, one by one as usual.
    """
    patterns = [
        raw.get("patterns")
        for raw in raw_rules
        if isinstance(raw, dict) and raw.get("check") == "pattern" and raw.get("patterns") is not None
    ]
    if not patterns:
        return False
    from spacy.about import __version__ as spacy_version

    source = f"spaCy {spacy_version}\n".encode() + text.encode("utf-8", "surrogatepass")
    return cached(f"patterns-{kind}", source, lambda: _all_accepted_by_spacy(patterns))


def _all_accepted_by_spacy(pattern_lists: list[Any]) -> bool:
    try:
        return all(
            isinstance(pattern, list) and pattern and not spacy_pattern_problems(pattern)
            for patterns in pattern_lists
            for pattern in patterns
        )
    except Exception:  # noqa: BLE001 - whatever spaCy makes of an odd pattern, each is then checked on its own
        return False


def _add_new(listed: list[str], words: list[str]) -> None:
    """Appends each of ``words`` not yet in ``listed``, in order."""
    seen = set(listed)
    for word in words:
        if word not in seen:
            seen.add(word)
            listed.append(word)


def _tone_models(models: dict[Category, dict[str, Any]], problems: list[str]) -> dict[Category, ToneModel]:
    """Each category's tone model, once every file's values are merged."""
    valid = {}
    for category, values in models.items():
        try:
            valid[category] = ToneModel.model_validate(values)
        except ValidationError as err:
            problems += [f"tone_models.{category.value}.{_dotted(e['loc'])}: {e['msg']}" for e in err.errors()]
    return valid


def _id_problem(origin: str, rule_id: str, builtin: bool) -> str | None:
    """Built-in rules use the TG prefix and nothing else does, so a team's rules never collide with toneguard's."""
    ours = id_prefix(rule_id) == BUILTIN_PREFIX
    if builtin and not ours:
        return f"{origin}: rule {rule_id}: field 'id': built-in rule ids start with {BUILTIN_PREFIX}"
    if not builtin and ours:
        return (
            f"{origin}: rule {rule_id}: field 'id': ids starting with {BUILTIN_PREFIX} are reserved for toneguard's "
            f"own rules; give your rules a prefix of your own, e.g. ACME{rule_id[len(BUILTIN_PREFIX):]}"
        )
    return None


def _reserved_redirects(origin: str, parsed: RulesFile, builtin: bool) -> list[str]:
    if builtin:
        return []
    return [
        f"{origin}: field 'redirects': {retired}: only toneguard retires {BUILTIN_PREFIX} ids"
        for retired in parsed.redirects
        if id_prefix(retired) == BUILTIN_PREFIX
    ]


def _tune(origin: str, tuning: dict[str, Any], parsed: RulesFile, problems: list[str]) -> dict[str, Any]:
    """``tuning`` with the values this file sets, if together they are valid; else as it was."""
    given = {section: values for section, values in (("scoring", parsed.scoring), ("context", parsed.context)) if values}
    if not given:
        return tuning
    candidate = _overlay(tuning, given)
    try:
        Tuning.model_validate(candidate)
    except ValidationError as err:
        problems += [f"{origin}: field '{_dotted(error['loc'])}': {error['msg']}" for error in err.errors()]
        return tuning
    return candidate


def _overlay(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``top``'s values put in, mappings merged key by key."""
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        merged[key] = _overlay(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged


def _validate_rule(
    origin: str, index: int, raw: Any, builtin: bool, problems: list[str], seen: dict[str, str], context: dict[str, Any]
) -> Rule | None:
    """The rule, validated; None when it has a problem (each one added to ``problems``)."""
    given_id = raw.get("id") if isinstance(raw, dict) else None
    rule_id = given_id if given_id is not None else f"#{index + 1}"
    if isinstance(given_id, str):
        # The id first, whatever else the rule lacks: one written to change a built-in rule lacks most fields.
        reserved = _id_problem(origin, given_id, builtin)
        if reserved:
            problems.append(reserved)
        elif given_id in seen:
            problems.append(f"{origin}: rule {given_id}: field 'id': duplicate id, also defined in {seen[given_id]}")
        else:
            seen[given_id] = origin
    try:
        return _RULE_ADAPTER.validate_python(raw, context=context)
    except ValidationError as err:
        for error in err.errors():
            location = error["loc"]
            # Pydantic puts the discriminator value first in the location of a tagged union.
            if location and isinstance(raw, dict) and location[0] == raw.get("check"):
                location = location[1:]
            problems.append(f"{origin}: rule {rule_id}: field '{_dotted(location) or 'check'}': {_message(error)}")
        return None


def _message(error: Any) -> str:
    if error["type"] == "union_tag_not_found":
        return f"missing; name the kind of check, one of {', '.join(CHECK_KINDS)}"
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])  # without pydantic's "Value error, " in front
    return error["msg"]


def _unknown_vocabularies(rules: list[LoadedRule], vocabularies: dict[str, list[Swap]]) -> list[str]:
    return [
        f"{loaded.origin}: rule {loaded.rule.id}: field 'vocabularies': unknown vocabulary {name!r} "
        f"(known: {', '.join(sorted(vocabularies)) or 'none'})"
        for loaded in rules
        if isinstance(loaded.rule, SwapRule)
        for name in loaded.rule.vocabularies
        if name not in vocabularies
    ]


def _with_vocabularies(loaded: LoadedRule, vocabularies: dict[str, list[Swap]]) -> LoadedRule:
    """A swap rule whose named vocabularies' swaps follow its own, so detectors see one list."""
    rule = loaded.rule
    if not isinstance(rule, SwapRule) or not rule.vocabularies:
        return loaded
    swaps = [*rule.swaps, *(swap for name in rule.vocabularies for swap in vocabularies.get(name, ()))]
    return LoadedRule(rule.model_copy(update={"swaps": swaps}), loaded.origin, loaded.builtin)


def _check_references(rule_set: RuleSet) -> list[str]:
    problems = []
    problems += _tone_problems(rule_set)
    live = {loaded.rule.id for loaded in rule_set.rules}
    for retired, current in rule_set.redirects.items():
        if retired in live:
            problems.append(f"redirects: {retired} is retired, yet a rule has that id (ids are never reused)")
        if current not in live:
            problems.append(f"redirects: {retired} -> {current}: there is no rule {current}")
    known_signals = set(rule_set.signals)
    for loaded in rule_set.rules:
        for name in _signal_names(loaded.rule):
            if name.startswith(CUSTOMER_ONLY_PREFIX):
                problems.append(
                    f"{loaded.origin}: rule {loaded.rule.id}: signal set {name!r} is read on the customer's message only; "
                    "a rule about the reply cannot use it"
                )
            elif name not in known_signals:
                problems.append(
                    f"{loaded.origin}: rule {loaded.rule.id}: unknown signal set {name!r} "
                    f"(known: {', '.join(sorted(known_signals)) or 'none'})"
                )
    return problems


def _tone_problems(rule_set: RuleSet) -> list[str]:
    """Every marker has exactly one weight: its own, or its category's model's."""
    problems = []
    toned = rule_set.tuning.scoring.tone.shapes
    models = rule_set.tone_models
    for marker in rule_set.tone_markers:
        where = f"tone marker {marker.name!r}"
        if marker.category not in toned:
            problems.append(
                f"{where}: category {marker.category.value} has no tone "
                f"(scoring.tone.shapes has {', '.join(c.value for c in toned)})"
            )
            continue
        model = models.get(marker.category)
        fitted = model is not None and marker.name in model.weights
        if model is None:
            problems.append(f"{where}: category {marker.category.value} has no tone_models entry (its intercept)")
        elif marker.weight is not None and fitted:
            problems.append(f"{where}: weighted twice, by its own 'weight' and by tone_models.{marker.category.value}")
        elif marker.weight is None and not fitted:
            problems.append(
                f"{where}: no weight; give it 'weight', or list it in tone_models.{marker.category.value}.weights "
                "(benchmarks/fit_tone.py fits them)"
            )
    for category, model in models.items():
        known = {m.name for m in rule_set.tone_markers if m.category == category} | set(TONE_FEATURES)
        problems += [
            f"tone_models.{category.value}.weights: {name!r} is neither a built-in feature nor a {category.value} tone marker"
            for name in model.weights
            if name not in known
        ]
    return problems


def _signal_names(rule: Rule) -> list[str]:
    aimed = list(AIMED_AT_READER_SIGNALS) if getattr(rule, "aimed_at", None) else []
    named = ("excused_by", "reply_lacks", "reply_has", "salutations", "clarifying", "justifying")
    return [*(name for field in named for name in getattr(rule, field, [])), *aimed]


def _dotted(location: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in location)
