"""`toneguard calibrate`: thresholds chosen for the best F1 on labelled replies, written into the settings file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toneguard import Analyzer, Category, Config
from toneguard._apps.calibration import best_threshold, calibrate_file, cut_at
from toneguard._cli import app
from toneguard._core.config import ConfigError, write_thresholds

TOY_RULES = Path(__file__).parent / "data" / "toy_rules.yaml"
runner = CliRunner()

# With the toy rules a high dismissive finding scores 0.6 and two of them 0.84; this team only
# counts a reply as dismissive when it has two.
ROWS = [
    ("Just reboot it.", False),
    ("Obviously, just reboot it.", True),
    ("Obviously it is the cable.", False),
    ("As I already said, obviously.", True),
    ("Thanks, the printer works again.", False),
    ("Hello Sam, I have reset your password.", False),
]


def test_best_threshold_maximises_f1_and_sits_between_scores():
    scores = [0.9, 0.8, 0.6, 0.4, 0.2]
    labels = [True, True, False, True, False]
    # Flagging down to 0.4 catches all three positives for one false positive: F1 6/7, the best cut.
    assert best_threshold(scores, labels) == 0.3
    assert cut_at(0.3, scores, labels).f1 == round(6 / 7, 4)


def test_on_a_tie_the_higher_threshold_wins():
    # Cutting below 0.8 (F1 2/3) or below 0.2 (F1 2/3 as well): the higher cut flags less.
    assert best_threshold([0.8, 0.6, 0.4, 0.2], [True, False, False, True]) == 0.7


def test_no_threshold_without_both_kinds_of_label():
    assert best_threshold([0.2, 0.9], [True, True]) is None
    assert best_threshold([0.2, 0.9], [False, False]) is None


def _labelled(path: Path, rows=ROWS) -> Path:
    lines = [json.dumps({"id": str(i), "reply": reply, "dismissive": label}) for i, (reply, label) in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def toy_analyzer() -> Analyzer:
    return Analyzer(Config(builtin_rules=False, rules=[TOY_RULES]))


def test_calibration_raises_the_threshold_above_a_single_finding(tmp_path, toy_analyzer):
    scores = [toy_analyzer.analyze(reply).scores[Category.dismissive].score for reply, _ in ROWS]
    assert scores[0] == scores[2] < scores[1] == scores[3]  # one finding each, or two
    result = calibrate_file(_labelled(tmp_path / "team.jsonl"), toy_analyzer)
    choice = result.choices[Category.dismissive]
    assert list(result.choices) == [Category.dismissive]  # only the labelled category
    assert choice.support == 2 and choice.rows == len(ROWS)
    assert (choice.current.threshold, choice.current.precision, choice.current.f1) == (0.5, 0.5, 0.6667)
    assert choice.chosen.threshold == round((scores[1] + scores[0]) / 2, 4)
    assert choice.chosen.f1 == 1.0
    assert "only 2 positive rows" in choice.note
    assert result.thresholds == {Category.dismissive: choice.chosen.threshold}


def test_writing_keeps_the_rest_of_a_toneguard_toml(tmp_path):
    path = tmp_path / "toneguard.toml"
    path.write_text('# our house style\ndisable = ["TG103"]  # we like "just"\nthresholds = {technical = 0.4}\n', "utf-8")
    write_thresholds(path, {Category.dismissive: 0.62})
    text = path.read_text("utf-8")
    assert text.startswith('# our house style\ndisable = ["TG103"]  # we like "just"\n')
    config = Config.from_file(path)
    assert config.thresholds == {Category.technical: 0.4, Category.dismissive: 0.62}
    assert config.disable == ["TG103"]


def test_writing_into_pyproject_uses_the_tool_table_and_keeps_the_others(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "desk"  # the name\n\n[tool.other]\nx = 1\n', "utf-8")
    write_thresholds(path, {Category.clipped: 0.55})
    text = path.read_text("utf-8")
    assert '[project]\nname = "desk"  # the name' in text and "[tool.other]\nx = 1" in text
    assert Config.from_file(path).thresholds == {Category.clipped: 0.55}


def test_writing_refuses_a_broken_settings_file_and_leaves_it_alone(tmp_path):
    path = tmp_path / "toneguard.toml"
    path.write_text("thresholds = {dismissive = \n", "utf-8")
    with pytest.raises(ConfigError, match="cannot read settings"):
        write_thresholds(path, {Category.dismissive: 0.6})
    assert path.read_text("utf-8") == "thresholds = {dismissive = \n"


def test_cli_writes_the_thresholds_and_the_next_run_uses_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    settings = tmp_path / "toneguard.toml"
    settings.write_text(f"# toy rules only\nbuiltin_rules = false\nrules = [{json.dumps(str(TOY_RULES))}]\n", "utf-8")
    labelled = _labelled(tmp_path / "team.jsonl")

    dry = runner.invoke(app, ["calibrate", str(labelled), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.output and "thresholds" not in settings.read_text("utf-8")

    result = runner.invoke(app, ["calibrate", str(labelled), "--format", "json"])
    assert result.exit_code == 0, result.output
    written = json.loads(result.output)
    assert written["written_to"] == str(settings)
    config = Config.from_file(settings)
    assert settings.read_text("utf-8").startswith("# toy rules only\n") and config.builtin_rules is False
    threshold = written["choices"]["dismissive"]["chosen"]["threshold"]
    assert config.thresholds == {Category.dismissive: threshold}
    # A single finding no longer flags; two still do.
    assert Analyzer(config).analyze("Obviously it is the cable.").categories == []
    assert Analyzer(config).analyze("Obviously, just reboot it.").categories == [Category.dismissive]


def test_cli_without_settings_creates_toneguard_toml_and_reports_bad_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    labelled = _labelled(tmp_path / "team.jsonl")
    result = runner.invoke(app, ["calibrate", str(labelled), "--rules", str(TOY_RULES)])
    assert result.exit_code == 0, result.output
    assert "dismissive" in Config.from_file(tmp_path / "toneguard.toml").thresholds
    missing = runner.invoke(app, ["calibrate", str(tmp_path / "nowhere.jsonl")])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
