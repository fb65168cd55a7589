"""Turning rules off by id or category, from settings files, and inline."""

from __future__ import annotations

import pytest

from toneguard import Analyzer, Config, ConfigError

DRAFT = "Obviously you need to reauthenticate."


def _fired(analyzer: Analyzer, text: str = DRAFT) -> set[str]:
    return {f.rule_id for f in analyzer.analyze(text).findings}


def test_disable_by_id_and_category(analyzer):
    everything = _fired(analyzer)
    assert "TG102" in everything
    assert "TG102" not in _fired(Analyzer(Config(disable=["TG102"])))
    no_technical = Analyzer(Config(disable=["technical"])).analyze(DRAFT)
    assert all(f.category != "technical" for f in no_technical.findings)


@pytest.mark.parametrize("category", ["dismissive", "clipped"])
def test_a_disabled_category_scores_zero_even_from_tone(analyzer, category):
    curt = "Why would you do that?? Obviously wrong."
    assert analyzer.analyze(curt).scores[category].score > 0
    score = Analyzer(Config(disable=[category])).analyze(curt).scores[category]
    assert score.score == 0 and score.tone is None and score.contributions == []


def test_settings_from_pyproject_and_toneguard_toml(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname="x"\n\n[tool.toneguard]\ndisable = ["TG102"]\n')
    assert Config.discover(tmp_path).disable == ["TG102"]
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert Config.discover(nested).disable == ["TG102"]
    (nested / "toneguard.toml").write_text('disable = ["dismissive"]\n[thresholds]\ntechnical = 0.9\n')
    config = Config.discover(nested)
    assert config.disable == ["dismissive"] and config.thresholds["technical"] == 0.9


def test_rules_paths_are_relative_to_the_settings_file(tmp_path):
    (tmp_path / "toneguard.toml").write_text('rules = ["house.yaml"]\n')
    assert Config.discover(tmp_path).rules == [tmp_path / "house.yaml"]


def test_bad_settings_are_a_clear_error(tmp_path):
    path = tmp_path / "toneguard.toml"
    path.write_text('disabel = ["TG102"]\n')
    with pytest.raises(ConfigError, match="disabel"):
        Config.from_file(path)


def test_threshold_decides_when_a_category_is_flagged():
    draft = "Per my last email, the form is on the portal."
    assert "dismissive" in Analyzer().analyze(draft).categories
    assert "dismissive" not in Analyzer(Config(thresholds={"dismissive": 0.99})).analyze(draft).categories


def test_inline_markers_silence_a_span(analyzer):
    text = "Obviously this works. <!-- toneguard off --> Obviously that too. <!-- toneguard on --> Obviously."
    fired = [f for f in analyzer.analyze(text).findings if f.rule_id == "TG102"]
    assert [text[f.start : f.end] for f in fired] == ["Obviously", "Obviously"]
    assert fired[1].start > text.index("toneguard on")


def test_inline_marker_can_name_rules_or_categories(analyzer):
    text = "<!-- toneguard off: technical --> Obviously you must reauthenticate."
    report = analyzer.analyze(text)
    assert report.findings and all(f.category != "technical" for f in report.findings)
