"""What the built-in rules promise beyond their own examples.

Ids are stable and never reused (a retired id redirects to a live one); no
phrase or term is listed twice; every jargon term fires its rule; every kind
of check has a detector that runs it.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from pathlib import Path
from typing import Iterable, get_args

import pytest
import spacy

from toneguard import Analyzer, Category, Config, RulesError
from toneguard._detectors import build_detectors, code_terms
from toneguard._engines.inflection import shared_inflector
from toneguard._rules.loading import load_rule_set
from toneguard._rules.schema import Rule

TOY_RULES = Path(__file__).parent / "data" / "toy_rules.yaml"
RULE_SET = load_rule_set()
RULES = [loaded.rule for loaded in RULE_SET.rules]


def _of_check(check: str) -> list:
    return [rule for rule in RULES if rule.check == check]


def _listed_twice(entries: Iterable[tuple[str, str]], any_case: bool = True) -> dict[str, list[str]]:
    """Each text given by more than one (text, where) entry (in any case, by default), with where it stands."""
    places: dict[str, list[str]] = defaultdict(list)
    for text, where in entries:
        places[text.lower() if any_case else text].append(where)
    return {text: where for text, where in places.items() if len(where) > 1}


def test_redirects_point_to_live_ids_and_retired_ids_are_not_reused():
    live = {rule.id for rule in RULES}
    assert not set(RULE_SET.redirects) & live, "a retired id is in use again"
    assert set(RULE_SET.redirects.values()) <= live, "a redirect points to no rule"


@pytest.mark.parametrize(
    ("redirects", "problem"),
    [
        ("{ACME901: TG102}", "ACME901 is retired, yet a rule has that id"),
        ("{ACME990: ACME999}", "there is no rule ACME999"),
        ("{TG101: TG102}", "TG101: only toneguard retires TG ids"),
    ],
)
def test_a_rules_file_that_reuses_or_misdirects_an_id_fails_to_load(tmp_path, redirects, problem):
    path = tmp_path / "house.yaml"
    rule = TOY_RULES.read_text("utf-8").split("  - id: TOY902")[0].replace("TOY901", "ACME901")
    path.write_text(f"{rule}\nredirects: {redirects}\n", "utf-8")
    with pytest.raises(RulesError, match=problem):
        Analyzer(Config(rules=[path]))


def test_no_phrase_or_jargon_term_is_listed_twice():
    """Phrases and most terms match in any case, so spellings differing only in case are one entry.

    A ``case_sensitive`` term matches only as spelled ("ETag" and "eTag" are two),
    and must not also be listed in any case.
    """
    phrases = [(phrase.lower(), rule.id) for rule in _of_check("phrase") for phrase in rule.phrases]
    terms = [
        (term if swap.case_sensitive else term.lower(), f"{rule.id} swap {index}")
        for rule in _of_check("swap")
        for index, swap in enumerate(rule.swaps)
        for term in swap.terms
    ]
    assert _listed_twice([*phrases, *terms], any_case=False) == {}
    any_case = {text for text, _ in phrases} | {
        term.lower() for rule in _of_check("swap") for swap in rule.swaps if not swap.case_sensitive for term in swap.terms
    }
    exact = [term for rule in _of_check("swap") for swap in rule.swaps if swap.case_sensitive for term in swap.terms]
    assert [term for term in exact if term.lower() in any_case] == []


def test_no_list_within_a_rule_names_a_word_twice():
    lists = [(f"{rule.id} unless", rule.unless) for rule in RULES]
    lists += [(f"{rule.id} everyday", rule.everyday) for rule in _of_check("acronym")]
    repeated = {name: _listed_twice((text, name) for text in texts) for name, texts in lists}
    assert {name: texts for name, texts in repeated.items() if texts} == {}


def test_no_signal_set_or_tone_marker_lists_a_phrase_twice():
    """A phrase may serve several sets and markers (``sorry`` is warmth and acknowledgement), but each only once."""
    lists = [(f"signal {name}", phrases) for name, phrases in RULE_SET.signals.items()]
    lists += [(f"tone marker {marker.name}", marker.phrases) for marker in RULE_SET.tone_markers]
    repeated = {name: _listed_twice((text, name) for text in texts) for name, texts in lists}
    assert {name: texts for name, texts in repeated.items() if texts} == {}
    assert _listed_twice((marker.name, "tone marker") for marker in RULE_SET.tone_markers) == {}
    assert _listed_twice((phrase, "sentiment override") for phrase in RULE_SET.sentiment_overrides) == {}


def test_every_swap_term_fires_its_rule_on_itself_and_on_every_inflection(analyzer):
    """Each dictionary term, and each form the loader generates for it, is flagged as exactly that text.

    A term shaped like code ("/etc/fstab", "uname -a") is hidden from the prose
    view; a shape rule flags it instead, offering the dictionary's plain words.
    """
    inflector = shared_inflector()
    code = code_terms([swap for rule in _of_check("swap") for swap in rule.swaps])
    silent = []
    for rule in _of_check("swap"):
        for swap in rule.swaps:
            for term in swap.terms:
                forms = {form for spellings in inflector.forms(term, swap.pos).values() for form in spellings}
                for form in sorted(forms):
                    report = analyzer.analyze(f"I checked the {form} for you.")
                    flagged = any(f.rule_id == rule.id and f.text == form for f in report.findings) or (
                        term.lower() in code
                        and any(f.text == form and f"{term.lower()} (" in f.suggestions[0] for f in report.findings)
                    )
                    if not flagged:
                        silent.append(f"{rule.id}: {form!r} (a form of {term!r})")
    assert silent == []


def test_inflected_terms_get_their_plain_wording_in_the_same_form(analyzer):
    report = analyzer.analyze("She reauthenticated twice, and the laptops were re-imaged while rebooting.")
    assert report.rewrite == "She signed in again twice, and the laptops were wiped and reinstalled while restarting."


def test_every_check_kind_has_a_detector():
    kinds = {get_args(kind.model_fields["check"].annotation)[0] for kind in get_args(get_args(Rule)[0])}
    nlp = spacy.blank("en")
    detected = {check for detector in build_detectors([], RULE_SET.shape_words, nlp.vocab, nlp.make_doc) for check in detector.checks}
    assert kinds == detected


def test_built_in_tuning_lets_only_a_strongly_impolite_tone_flag_alone():
    """Clipped tone never flags alone; dismissive tone only beyond fitted odds of 20 to 1 of reading as impolite."""
    scoring = RULE_SET.tuning.scoring
    threshold, shapes = scoring.default_threshold, scoring.tone.shapes
    assert shapes[Category.clipped].ceiling < threshold
    dismissive = shapes[Category.dismissive]

    def share(logit: float) -> float:
        return dismissive.ceiling / (1 + math.exp(-(logit + dismissive.shift)))

    assert share(math.log(20)) < threshold <= share(6.0)


def test_every_dismissive_marker_has_one_weight_and_the_fit_says_how_it_was_made():
    model = RULE_SET.tone_models[Category.dismissive]
    for marker in RULE_SET.tone_markers:
        if marker.category == Category.dismissive:
            assert (marker.weight is None) == (marker.name in model.weights), marker.name
    assert model.fitted["folds"] == 5 and model.fitted["cv_auc"] >= 0.85


def _user_tuning(tmp_path, body: str) -> Analyzer:
    path = tmp_path / "tuning.yaml"
    path.write_text(textwrap.dedent(body), "utf-8")
    return Analyzer(Config(rules=[path]))


def test_a_rules_file_tunes_single_values_and_keeps_the_rest(tmp_path):
    tuned = _user_tuning(tmp_path, "scoring: {default_threshold: 0.7, tone: {brisk: {weight: 0.5}}}\ncontext: {long_words: 5}")
    built_in = RULE_SET.tuning
    assert tuned.tuning.scoring.default_threshold == 0.7
    assert tuned.tuning.scoring.tone.brisk.weight == 0.5
    assert tuned.tuning.scoring.tone.brisk.words == built_in.scoring.tone.brisk.words
    assert tuned.tuning.scoring.tone.shapes == built_in.scoring.tone.shapes
    assert tuned.tuning.context.upset_compound == built_in.context.upset_compound
    report = tuned.analyze("Reboot it.", customer="The laptop will not start up this morning.")
    assert {score.threshold for score in report.scores.values()} == {0.7}
    assert "long" in tuned._read_customer(tuned._engine, "The laptop will not start up this morning.").conditions


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("scoring: {tone: {brisk: {words: 0}}}", "field 'scoring.tone.brisk.words'"),
        ("scoring: {severity_weight: {high: 0.5}}", "field 'scoring.severity_weight': Extra inputs"),
        ("scoring: {severity_weights: {high: 1.5}}", "weights must lie in 0..1"),
        ("context: {upset_compound: -2}", "field 'context.upset_compound'"),
    ],
)
def test_a_bad_tuning_value_names_the_file_and_field(tmp_path, body, problem):
    with pytest.raises(RulesError) as caught:
        _user_tuning(tmp_path, body)
    problems = "\n".join(caught.value.problems)
    assert "tuning.yaml" in problems and problem in problems
