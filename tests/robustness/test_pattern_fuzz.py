"""Generated user patterns: each loads or fails with a located error, and none runs past the time budget.

Patterns mix random operators (``?``, ``*``, ``+``, ``!`` and ranges with any
bounds, some malformed), attributes and nested predicates (``IN``, ``NOT_IN``,
comparisons), and now and then a forbidden key. Each becomes a user rule whose
bad example is a long reply built from the pattern's own words, so loading the
rule already runs the matcher on it; then the reply is analysed again. The
suite runs a few dozen; ``benchmarks/pattern_fuzz.py`` runs thousands on longer
replies and reports hangs, internal errors and memory.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toneguard import Analyzer, Config, RulesError

BUDGET_SECONDS = 1.0
# Past its budget an analysis finishes the step it is in; this much more counts as a hang.
GRACE_SECONDS = 1.0

WORDS = ["a", "b", "please", "reboot", "the", "router", "now", "!", ",", "42", "ok", "sorry"]
# Mostly what a rule writer would write; now and then a range far too wide, or one that is malformed.
OPERATORS = ["?", "?", "?", "*", "+", "!", "1", "{2}", "{0,3}", "{1,2}", "{2,}", "{,4}", "{0,}", "{1,}"]
BAD_OPERATORS = ["{,1000}", "{3,1}", "{0}", "{x}", "**", ""]


def _often(common: st.SearchStrategy, rare: st.SearchStrategy, weight: int = 8) -> st.SearchStrategy:
    """``common`` about ``weight`` times as often as ``rare`` (one_of would pick each as often)."""
    return st.integers(0, weight).flatmap(lambda pick: rare if pick == 0 else common)


word = st.sampled_from(WORDS)
words = st.lists(word, min_size=1, max_size=4, unique=True)
operator = _often(
    st.sampled_from(OPERATORS),
    st.one_of(st.sampled_from(BAD_OPERATORS), st.builds("{{{},{}}}".format, st.integers(0, 1500), st.integers(0, 1500))),
)
value = _often(
    st.one_of(word, st.fixed_dictionaries({"IN": words})),
    st.one_of(
        st.fixed_dictionaries({"NOT_IN": words}),
        st.fixed_dictionaries({"REGEX": st.just("(a+)+b")}),
        st.integers(-1, 3),
        st.none(),
    ),
)
length = st.one_of(st.integers(0, 8), st.dictionaries(st.sampled_from(["==", ">=", "<=", ">", "<", "!="]), st.integers(0, 8), min_size=1))
with_operator = {"OP": operator}
token = _often(
    st.fixed_dictionaries({"LOWER": value}, optional=with_operator),
    st.one_of(
    st.fixed_dictionaries({"TEXT": value}, optional={"IS_ALPHA": st.booleans(), **with_operator}),
    st.fixed_dictionaries({"IS_ALPHA": st.booleans()}, optional={"IS_PUNCT": st.booleans(), "LIKE_NUM": st.booleans(), **with_operator}),
    st.fixed_dictionaries({"LENGTH": length}, optional=with_operator),
    st.fixed_dictionaries({}, optional=with_operator),
    ),
    weight=2,
)
rare_token = st.sampled_from([{"_": {"house": True}}, {"POS": "NOUN"}, {"lemma": "be"}, {"LOWER": {"IN": "not-a-list"}}, {"FOO": 1}])
pattern = st.lists(_often(token, rare_token, 30), min_size=1, max_size=7)


def reply_for(tokens: list[dict], filler: list[str], count: int) -> str:
    """``count`` tokens: words that could match the pattern, among others, so it finds plenty to match."""
    witness = [word for token in tokens for word in _witness(token)]
    cycle = witness + filler + witness + ["."] if witness else filler + ["."]
    return " ".join(cycle[i % len(cycle)] for i in range(count))


def _witness(token: dict) -> list[str]:
    """Words that may match one pattern token (as often as its operator asks), by its plainest attribute."""
    value = token.get("LOWER", token.get("TEXT"))
    if isinstance(value, str):
        word = value
    elif isinstance(value, dict) and isinstance(value.get("IN"), list) and value["IN"]:
        word = value["IN"][0]
    elif token.get("LIKE_NUM") or token.get("IS_ALPHA") is False:
        word = "42"
    elif isinstance(token.get("LENGTH"), int):
        word = "x" * max(1, token["LENGTH"])
    else:
        word = "reboot"
    times = {"*": 2, "+": 2, "{2}": 2, "{2,}": 3, "{1,2}": 2}.get(str(token.get("OP")), 1)
    return [word] * times


@dataclass
class Outcome:
    loaded: bool
    seconds: float
    """The longest the load or one analysis took."""
    limit: float
    """The longest either may take: the budget (one per example at load) plus the grace."""
    problem: str | None = None
    """The first load error, when the rule did not load."""
    located: bool = True
    """Whether every load error names the file, the rule and a field."""
    stopped: bool = False
    """Whether the analysis stopped at its time budget (saying so in a note)."""

    @property
    def hung(self) -> bool:
        return self.seconds > self.limit


def check_pattern(folder: Path, tokens: list[dict], reply: str, number: int = 951) -> Outcome:
    """Loads the pattern as a rule and analyses ``reply``. Any exception but RulesError is an internal error."""
    rule = {
        "id": f"FUZZ{number}", "name": "fuzzed-pattern", "category": "dismissive", "severity": "low", "check": "pattern",
        "patterns": [tokens], "message": "A pattern written by a fuzzer.",
        "why": "It checks that no pattern can hang the engine or crash it.",
        "examples": {"bad": [reply], "good": ["Thanks for waiting."]},
    }
    path = folder / "fuzz.yaml"
    path.write_text(json.dumps({"rules": [rule]}), "utf-8")  # JSON is YAML
    config = Config(rules=[path], builtin_rules=False, max_seconds=BUDGET_SECONDS)
    load_limit = 2 * BUDGET_SECONDS + GRACE_SECONDS  # loading analyses the two examples
    started = time.monotonic()
    try:
        analyzer = Analyzer(config)
    except RulesError as err:
        located = all("fuzz.yaml" in p and f"FUZZ{number}" in p and "field" in p for p in err.problems)
        return Outcome(False, time.monotonic() - started, load_limit, err.problems[0], located)
    load = time.monotonic() - started
    started = time.monotonic()
    report = analyzer.analyze(reply)
    took = time.monotonic() - started
    assert all(reply[f.start : f.end] == f.text for f in report.findings)
    stopped = any("time budget" in note for note in report.notes)
    if took > BUDGET_SECONDS + GRACE_SECONDS:
        return Outcome(True, took, BUDGET_SECONDS + GRACE_SECONDS, stopped=stopped)
    return Outcome(True, load, load_limit, stopped=stopped)


@given(tokens=pattern, filler=st.lists(word, max_size=5), count=st.integers(1, 400))
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_pattern_hangs_or_crashes(tmp_path_factory, tokens, filler, count):
    outcome = check_pattern(tmp_path_factory.mktemp("fuzz"), tokens, reply_for(tokens, filler, count))
    assert not outcome.hung, f"took {outcome.seconds:.1f} s (limit {outcome.limit:g} s): {tokens}"
    assert outcome.located, outcome.problem
