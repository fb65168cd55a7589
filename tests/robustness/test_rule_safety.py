"""Rules that users write cannot hang the engine, and a broken one names its file, rule and field.

tests/test_rule_loading.py covers bad YAML, unknown fields, wrong types and
duplicate ids; these tests cover what a hostile or careless rules file adds.
"""

from __future__ import annotations

import textwrap
import time

import pytest
import spacy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from toneguard import Analyzer, Config, RulesError
from toneguard._detectors.anchored import AnchoredMatcher, reach
from toneguard._rules.patterns import PatternLimits, pattern_problems
from toneguard._text.budget import Budget

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


# ---------------------------------------------------------------------------
# Operators, ranges and length: what could make the matcher run away is refused at load


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("[{LOWER: a, OP: '*'}, {LOWER: a, OP: '*'}, {LOWER: a, OP: '*'}, {LOWER: b}]", "3 unbounded operators"),
        ("[{LOWER: a, OP: '{1,}'}, {LOWER: a, OP: '{0,}'}, {LOWER: b}]", "2 unbounded operators"),
        ("[{LOWER: a, OP: '{,1000}'}, {LOWER: b}]", "1001 tokens, ranges counted in full; the limit is 16"),
        ("[{LOWER: a, OP: '{0,5}'}, {LOWER: c, OP: '{0,4}'}, {LOWER: b}]", "9 optional tokens"),
        ("[{LOWER: a, OP: '+'}, {LOWER: c, OP: '?'}, {LOWER: d, OP: '{0,3}'}, {LOWER: b}]", "4 optional tokens ('?' and the optional part of ranges) beside '+'"),
        ("[{LOWER: a, OP: '{3,2}'}]", "the most (2) is below the fewest (3)"),
        ("[{LOWER: a, OP: '{0}'}, {LOWER: b}]", "matches no token"),
        ("[{LOWER: a, OP: 'x'}]", "unknown operator 'x'"),
        ("[{OP: '{2,}'}, {LOWER: luck}]", "a bare '{2,}' wildcard is not allowed"),
        ("[{_: {house: true}}, {LOWER: luck}]", "'_' (custom token attributes) is not available"),
        ("[]", "empty"),
    ],
    ids=["three-stars", "two-open-ranges", "huge-range", "many-optional", "optional-beside-plus", "reversed-range",
         "zero-range", "unknown-operator", "bare-open-range", "custom-attribute", "empty"],
)
def test_a_pattern_that_could_run_away_is_a_located_load_error(tmp_path, pattern, expected):
    problems = load_problems(rules_file(tmp_path, pattern, bad="good luck"))
    assert "house.yaml: rule ACME951: field 'patterns': pattern 0" in problems
    assert expected in problems


@pytest.mark.parametrize(
    "pattern",
    [
        "[{LOWER: good}, {LOWER: {IN: [luck, fortune]}, OP: '+'}]",
        "[{LOWER: good}, {IS_ALPHA: true, OP: '{0,3}'}, {LOWER: luck}]",
        "[{LOWER: good}, {LOWER: luck, OP: '{1,}'}]",
        "[{LOWER: good}, {IS_PUNCT: false, OP: '?'}, {IS_PUNCT: false, OP: '?'}, {LOWER: luck}, {LOWER: with, OP: '{,2}'}]",
    ],
)
def test_one_unbounded_operator_and_bounded_ranges_load_and_match(tmp_path, pattern):
    analyzer = Analyzer(Config(rules=[rules_file(tmp_path, pattern)]))
    assert "ACME951" in [f.rule_id for f in analyzer.analyze("Well, good luck with that.").findings]


def test_the_pattern_limits_are_settings(tmp_path):
    path = rules_file(tmp_path, "[{LOWER: good}, {IS_ALPHA: true, OP: '{0,3}'}, {LOWER: luck}]")
    Analyzer(Config(rules=[path]))
    with pytest.raises(RulesError, match="3 optional tokens .* the limit is 2"):
        Analyzer(Config(rules=[path], patterns=PatternLimits(max_optional=2)))
    with pytest.raises(ValueError, match="at least twice max_tokens"):
        PatternLimits(max_tokens=40, window_tokens=64)


def test_an_attribute_the_blank_pipeline_does_not_set_is_a_located_load_error(tmp_path):
    problems = load_problems(rules_file(tmp_path, "[{POS: ADJ}, {LOWER: luck}]"))
    assert "house.yaml: rule ACME951: field 'patterns.0': uses POS, which the pipeline does not set" in problems


def test_redefining_a_builtin_rule_says_why_its_id_is_refused_first(tmp_path):
    path = tmp_path / "house.yaml"
    path.write_text("rules:\n  - id: TG101\n    severity: low\n", "utf-8")
    problems = load_problems(path).splitlines()
    assert problems[0].startswith(f"{path}: rule TG101: field 'id': ids starting with TG are reserved")
    assert "field 'check': missing; name the kind of check, one of phrase, pattern, swap" in problems[1]
    assert not any("discriminator" in problem for problem in problems)
    path.write_text(path.read_text("utf-8").replace("TG101", "ACME101") * 1 + "  - id: ACME101\n    severity: low\n", "utf-8")
    assert f"{path}: rule ACME101: field 'id': duplicate id, also defined in {path}" in load_problems(path)


def test_blank_phrases_and_too_many_unless_phrases_are_refused(tmp_path):
    path = rules_file(tmp_path, "[{LOWER: good}, {LOWER: luck}]")
    text = path.read_text("utf-8")
    path.write_text(text.replace("    check: pattern\n", "    check: pattern\n    unless: ['  ']\n"), "utf-8")
    assert "field 'unless.0': a phrase needs a word, not only spaces" in load_problems(path)
    many = ", ".join(f"w{i}" for i in range(201))
    path.write_text(text.replace("    check: pattern\n", f"    check: pattern\n    unless: [{many}]\n"), "utf-8")
    assert "field 'unless': List should have at most 200 items" in load_problems(path)


# ---------------------------------------------------------------------------
# At run time: bounded windows, a time budget, and the same matches as a plain Matcher

_WORDS = ["a", "b", "good", "luck", ",", "."]
_TOKEN = st.fixed_dictionaries(
    {"LOWER": st.sampled_from(["a", "b", "good", "luck"])},
    optional={"OP": st.sampled_from(["?", "+", "*", "!", "{2}", "{0,2}", "{1,3}", "{2,}"])},
)


@given(
    patterns=st.lists(st.lists(_TOKEN, min_size=1, max_size=4), min_size=1, max_size=3),
    words=st.lists(st.sampled_from(_WORDS), max_size=120),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_windowed_matcher_finds_what_a_plain_matcher_finds(patterns, words):
    limits = PatternLimits(max_tokens=8, window_tokens=16)
    patterns = [p for p in patterns if not pattern_problems(p, limits)]
    assume(patterns)
    nlp = spacy.blank("en")
    doc = nlp.make_doc(" ".join(words))
    windowed = AnchoredMatcher(nlp.vocab, limits)
    plain = Matcher(nlp.vocab)
    for index, pattern in enumerate(patterns):
        windowed.add(f"p{index}", [pattern])
        plain.add(f"p{index}", [pattern], greedy=None if reach(pattern) is not None else "LONGEST")
    found = set(windowed(doc, [token.lower_ for token in doc], Budget()))
    expected = set(plain(doc))
    bounded = {nlp.vocab.strings[f"p{i}"] for i, p in enumerate(patterns) if reach(p) is not None}
    # Bounded patterns: exactly the same matches. Unbounded ones: a match covers at most half a window.
    assert {m for m in found if m[0] in bounded} == {m for m in expected if m[0] in bounded}
    assert all(end - start <= limits.unbounded_reach for key, start, end in found if key not in bounded)


def test_a_spent_time_budget_stops_matching_and_says_so(tmp_path):
    patterns = ", ".join(["[{LOWER: a, OP: '?'}, {LOWER: a, OP: '?'}, {LOWER: a, OP: '?'}, {LOWER: a, OP: '?'}, "
                          "{LOWER: a, OP: '?'}, {LOWER: a, OP: '?'}, {LOWER: a, OP: '?'}, {LOWER: a, OP: '?'}, {LOWER: b}]"] * 40)
    path = rules_file(tmp_path, patterns, bad="a a b", good="Thanks.")
    analyzer = Analyzer(Config(rules=[path], max_seconds=0.05))
    started = time.monotonic()
    report = analyzer.analyze(" ".join(["a"] * 3000) + " b")
    assert any("stopped at its time budget of 0.05 s (max_seconds)" in note for note in report.notes)
    assert time.monotonic() - started < 5  # a budget, not a hang: generous for a loaded machine


def test_a_long_phrase_list_is_tokenized_once_then_read_from_the_cache(tmp_path, monkeypatch):
    from toneguard._detectors import matching

    monkeypatch.setenv("TONEGUARD_CACHE_DIR", str(tmp_path / "cache"))
    path = rules_file(tmp_path, "[{LOWER: good}, {LOWER: luck}]")
    phrases = ", ".join(f"'term{i} can''t e-mail'" for i in range(3000))
    text = path.read_text("utf-8").replace("check: pattern", "check: phrase").replace("patterns: [[{LOWER: good}, {LOWER: luck}]]", f"phrases: [good luck, {phrases}]")
    path.write_text(text, "utf-8")
    first = Analyzer(Config(rules=[path]))
    assert [f.text for f in first.analyze("Sorry: term2999 can't e-mail you.").findings if f.rule_id == "ACME951"] == ["term2999 can't e-mail"]

    def tokenize_again(*args):
        raise AssertionError("the phrases were tokenized again")

    monkeypatch.setattr(matching, "_compute", tokenize_again)
    again = Analyzer(Config(rules=[path]))
    assert [f.text for f in again.analyze("Sorry: term7 can't e-mail you.").findings if f.rule_id == "ACME951"] == ["term7 can't e-mail"]
