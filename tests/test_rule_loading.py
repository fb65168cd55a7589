"""A broken rules file fails at load, naming the file, the rule and the field."""

from __future__ import annotations

import textwrap

import pytest

from toneguard import Analyzer, Config, RulesError

GOOD_RULE = """
  - id: ACME901
    name: no-sarcasm
    category: dismissive
    severity: high
    check: phrase
    phrases: [good luck with that]
    message: Sarcasm reads as contempt for the customer.
    why: Sarcasm is easy to misread in text, and the customer will read it in the worst light.
    suggestions: [Say what you will do instead.]
    examples:
      bad: [Good luck with that.]
      good: [Good luck with the presentation!]
"""


def _load(tmp_path, body: str) -> Analyzer:
    path = tmp_path / "house.yaml"
    path.write_text(textwrap.dedent(body), "utf-8")
    return Analyzer(Config(rules=[path]))


def _pattern_rule(patterns: str) -> str:
    """GOOD_RULE as a token-pattern rule with these patterns (YAML)."""
    return "rules:" + GOOD_RULE.replace("check: phrase", "check: pattern").replace(
        "phrases: [good luck with that]", f"patterns: {patterns}"
    )


def _problems(tmp_path, body: str) -> str:
    with pytest.raises(RulesError) as caught:
        _load(tmp_path, body)
    return "\n".join(caught.value.problems)


def test_a_user_rule_needs_no_code(tmp_path):
    analyzer = _load(tmp_path, "rules:" + GOOD_RULE)
    report = analyzer.analyze("Good luck with that.")
    assert "ACME901" in [f.rule_id for f in report.findings]
    assert "dismissive" in report.categories


def test_bad_yaml_names_the_file(tmp_path):
    problems = _problems(tmp_path, "rules: [unclosed")
    assert "house.yaml" in problems and "not valid YAML" in problems


def test_unknown_field_names_file_rule_and_field(tmp_path):
    problems = _problems(tmp_path, "rules:" + GOOD_RULE.replace("severity: high", "severity: high\n    colour: red"))
    assert "house.yaml" in problems and "ACME901" in problems and "'colour'" in problems


def test_wrong_type_names_the_field(tmp_path):
    problems = _problems(tmp_path, "rules:" + GOOD_RULE.replace("severity: high", "severity: [high]"))
    assert "ACME901" in problems and "'severity'" in problems


def test_bad_token_pattern_names_the_pattern(tmp_path):
    problems = _problems(tmp_path, _pattern_rule("[[{LOWER: good}, {LOWER: 'on'}, {COLOUR: red}]]"))
    assert "ACME901" in problems and "'patterns'" in problems and "COLOUR" in problems


def test_duplicate_id_is_refused(tmp_path):
    (tmp_path / "first.yaml").write_text("rules:" + GOOD_RULE, "utf-8")
    (tmp_path / "second.yaml").write_text("rules:" + GOOD_RULE.replace("no-sarcasm", "no-sarcasm-again"), "utf-8")
    with pytest.raises(RulesError) as caught:
        Analyzer(Config(rules=[tmp_path / "first.yaml", tmp_path / "second.yaml"]))
    assert caught.value.problems == [
        f"{tmp_path / 'second.yaml'}: rule ACME901: field 'id': duplicate id, also defined in {tmp_path / 'first.yaml'}"
    ]


@pytest.mark.parametrize("rule_id", ["TG101", "TG901"])
def test_tg_ids_are_reserved_for_the_builtin_rules(tmp_path, rule_id):
    problems = _problems(tmp_path, "rules:" + GOOD_RULE.replace("ACME901", rule_id))
    assert f"house.yaml: rule {rule_id}: field 'id': ids starting with TG are reserved" in problems
    assert f"e.g. ACME{rule_id[2:]}" in problems
    assert "duplicate" not in problems


@pytest.mark.parametrize("rule_id", ["AB123", "ACMECORP123"])
def test_a_team_prefix_is_two_to_eight_capitals(tmp_path, rule_id):
    analyzer = _load(tmp_path, "rules:" + GOOD_RULE.replace("ACME901", rule_id))
    assert rule_id in [f.rule_id for f in analyzer.analyze("Good luck with that.").findings]
    assert analyzer.rule(rule_id.lower()).id == rule_id


@pytest.mark.parametrize("rule_id", ["A123", "ACMECORPS123", "acme123", "ACME12", "ACME1234", "AC-ME123"])
def test_malformed_ids_are_refused(tmp_path, rule_id):
    problems = _problems(tmp_path, "rules:" + GOOD_RULE.replace("ACME901", f"'{rule_id}'"))
    assert "field 'id': rule ids are 2-8 capital letters and three digits" in problems


def test_unknown_signal_set_is_refused(tmp_path):
    body = """
    rules:
      - id: ACME902
        name: short
        category: clipped
        severity: high
        check: brevity
        max_words: 2
        excused_by: [niceness]
        message: Too short to be helpful to anyone.
        why: A reply this short gives the customer no reason and no next step.
        suggestions: [Add a reason.]
        examples: {bad: [Done.], good: [Done, and thanks for waiting so patiently!]}
    """
    problems = _problems(tmp_path, body)
    assert "ACME902" in problems and "niceness" in problems


def test_every_problem_is_reported_at_once(tmp_path):
    body = "rules:" + GOOD_RULE + GOOD_RULE.replace("ACME901", "ACME9X1").replace("severity: high", "severity: huge")
    problems = _problems(tmp_path, body)
    assert "ACME9X1" in problems and "'id'" in problems and "'severity'" in problems


def test_missing_rules_file_is_a_clear_error(tmp_path):
    with pytest.raises(RulesError, match="cannot read"):
        Analyzer(Config(rules=[tmp_path / "absent.yaml"]))


def test_regex_in_a_token_pattern_is_refused(tmp_path):
    problems = _problems(tmp_path, _pattern_rule("[[{TEXT: {REGEX: '(a+)+$'}}]]"))
    assert "ACME901" in problems and "'patterns'" in problems and "REGEX is not allowed" in problems


def test_a_rule_whose_examples_disagree_with_it_fails_to_load(tmp_path):
    body = "rules:" + GOOD_RULE.replace("bad: [Good luck with that.]", "bad: [Thanks so much!]")
    problems = _problems(tmp_path, body)
    assert "house.yaml" in problems and "ACME901" in problems and "examples.bad.0" in problems
    assert "does not fire" in problems


def test_an_edited_rules_file_takes_effect_despite_the_parse_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TONEGUARD_CACHE_DIR", str(tmp_path / "cache"))
    assert _load(tmp_path, "rules:" + GOOD_RULE).analyze("Good luck with that.").findings
    edited = GOOD_RULE.replace("severity: high", "severity: low")
    assert _load(tmp_path, "rules:" + edited).rule("ACME901").severity == "low"
    assert _load(tmp_path, "rules:" + edited).rule("ACME901").severity == "low"  # now from the cache
    house_entries = list((tmp_path / "cache").glob("rules-house.yaml-*"))
    assert len(house_entries) == 1, "the entry for the old content is removed"


def test_spacy_is_asked_about_a_files_token_patterns_once_per_content(tmp_path, monkeypatch):
    """spaCy's verdict on a file's patterns is kept; an edited file, or a refused pattern, is asked about again."""
    from toneguard._rules import loading, schema

    monkeypatch.setenv("TONEGUARD_CACHE_DIR", str(tmp_path / "cache"))
    good = _pattern_rule("[[{LOWER: good}, {LOWER: luck}, {LOWER: with}, {LOWER: that}]]")
    bad = _pattern_rule("[[{LOWER: good}, {LOWER: 'on'}, {COLOUR: red}]]")
    for _ in range(2):  # refused when read, and again when its verdict is read back
        assert "COLOUR" in _problems(tmp_path, bad)
    first = _load(tmp_path, good).rule("ACME901")

    asked = []

    def refuse(pattern):
        asked.append(pattern)
        return ["refused"]

    monkeypatch.setattr(schema, "spacy_pattern_problems", refuse)
    monkeypatch.setattr(loading, "spacy_pattern_problems", refuse)
    assert _load(tmp_path, good).rule("ACME901") == first
    assert asked == [], "spaCy accepted this very file before"
    problems = _problems(tmp_path, good.replace("severity: high", "severity: low"))
    assert asked and "pattern 0: refused" in problems
