"""Rules that users write cannot hang the engine, and a broken one names its file, rule and field.

tests/test_rule_loading.py covers bad YAML, unknown fields, wrong types and
duplicate ids; these tests cover what a hostile or careless rules file adds.
"""

from __future__ import annotations

import textwrap

import pytest

from toneguard import Analyzer, Config, RulesError

PATTERN_RULE = """
rules:
  - id: ACME951
    name: house-pattern
    category: dismissive
    severity: high
    check: pattern
    patterns: [PATTERN]
    message: Brushes the customer off instead of helping.
    why: A brush-off tells the customer their problem is not worth the time it takes.
    examples:
      bad: [BAD]
      good: [GOOD]
"""


def rules_file(tmp_path, pattern: str, bad: str = "Good luck with that.", good: str = "Thanks for waiting."):
    path = tmp_path / "house.yaml"
    body = PATTERN_RULE.replace("PATTERN", pattern).replace("BAD", bad).replace("GOOD", good)
    path.write_text(textwrap.dedent(body), "utf-8")
    return path


def load_problems(path) -> str:
    with pytest.raises(RulesError) as caught:
        Analyzer(Config(rules=[path]))
    return "\n".join(caught.value.problems)


def test_the_template_rule_loads(tmp_path):
    path = rules_file(tmp_path, "[{LOWER: good}, {LOWER: luck}]")
    assert [f.rule_id for f in Analyzer(Config(rules=[path])).analyze("Good luck finding it.").findings] == ["ACME951"]


@pytest.mark.parametrize(
    "pattern",
    [
        "[{TEXT: {REGEX: '^(a+)+b$'}}]",
        "[{LOWER: {REGEX: '(x|x)*y'}}]",
        "[{_: {house: {REGEX: '(a+)+b'}}}]",
    ],
)
def test_a_regex_in_a_token_pattern_is_refused_naming_file_rule_and_field(tmp_path, pattern):
    problems = load_problems(rules_file(tmp_path, pattern))
    assert "house.yaml" in problems and "ACME951" in problems and "'patterns'" in problems
    assert "REGEX is not allowed" in problems


def test_a_lower_case_regex_key_is_refused_too(tmp_path):
    problems = load_problems(rules_file(tmp_path, "[{TEXT: {regex: '^(a+)+b$'}}]", bad="aaab"))
    assert "ACME951" in problems and "REGEX is not allowed" in problems


def test_an_unbounded_wildcard_pattern_is_refused(tmp_path):
    problems = load_problems(rules_file(tmp_path, "[{OP: '*'}, {LOWER: luck}, {OP: '*'}]"))
    assert "ACME951" in problems and "'patterns'" in problems


def test_a_bad_example_that_does_not_fire_its_rule_is_refused(tmp_path):
    problems = load_problems(rules_file(tmp_path, "[{LOWER: good}, {LOWER: luck}]", bad="Thanks a lot."))
    assert "house.yaml" in problems and "ACME951" in problems and "examples.bad.0" in problems
    assert "does not fire" in problems


def test_a_good_example_that_fires_its_rule_is_refused(tmp_path):
    path = rules_file(tmp_path, "[{LOWER: good}, {LOWER: luck}]", good="Good luck, honestly.")
    problems = load_problems(path)
    assert "house.yaml" in problems and "ACME951" in problems and "examples.good.0" in problems


def test_an_unknown_check_type_names_file_rule_and_field(tmp_path):
    path = rules_file(tmp_path, "[{LOWER: good}]")
    path.write_text(path.read_text("utf-8").replace("check: pattern", "check: regex"), "utf-8")
    problems = load_problems(path)
    assert "house.yaml" in problems and "ACME951" in problems and "'check'" in problems


def test_a_missing_required_field_names_it(tmp_path):
    path = rules_file(tmp_path, "[{LOWER: good}]")
    path.write_text(path.read_text("utf-8").replace("    severity: high\n", ""), "utf-8")
    problems = load_problems(path)
    assert "ACME951" in problems and "'severity'" in problems


def test_a_rules_file_that_is_not_utf8_names_the_file(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("rules: []  # café".encode("latin-1"))
    with pytest.raises(RulesError, match="latin1.yaml"):
        Analyzer(Config(rules=[path]))


def test_a_rules_file_whose_top_level_is_a_list_names_the_file(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- id: ACME951\n", "utf-8")
    problems = load_problems(path)
    assert "list.yaml" in problems and "mapping" in problems
