"""The command line, through typer's CliRunner and as a real subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import toneguard
from toneguard import Analyzer, Category, Config
from toneguard._cli import COMMANDS, app, build_app, main

TOY_RULES = Path(__file__).parent / "data" / "toy_rules.yaml"
ANSI = re.compile(r"\x1b\[")
RUDE = "Just reboot it. Then flush the cache and check DNS.\nSorted, obviously."
POLITE = "Hello Sam, thanks for waiting. I have reset your password and sent the link to your phone."

runner = CliRunner()


@pytest.fixture
def toy_dir(tmp_path, monkeypatch) -> Path:
    """A working directory whose toneguard.toml uses only the toy rules."""
    (tmp_path / "toneguard.toml").write_text(
        f"builtin_rules = false\nrules = [{json.dumps(str(TOY_RULES))}]\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def toy_analyzer() -> Analyzer:
    return Analyzer(Config(builtin_rules=False, rules=[TOY_RULES]))


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


# --- check -------------------------------------------------------------------


def test_check_flagged_reply_exits_1_and_points_at_the_span(toy_dir, toy_analyzer):
    result = invoke("check", RUDE)
    assert result.exit_code == 1, result.output
    out = result.output
    assert "1:1: dismissive TOY901 [high] Brushes the customer off" in out
    # A rule's general advice is said once, under Tips, not under each of its findings.
    assert "= suggestion: Walk the customer through" not in out
    assert out.count("Walk the customer through the fix step by step.") == 1
    assert "Tips\n  TOY901   - Walk the customer through the fix step by step." in out
    # "DNS" is on line 1, column 48; the caret line sits under it.
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("1:48: technical TOY902"))
    assert lines[header + 1] == "    | Just reboot it. Then flush the cache and check DNS."
    assert lines[header + 2] == "    | " + " " * 47 + "^^^"
    # A finding on the second line shows that line.
    assert "2:9: dismissive TOY901" in out
    assert "    | Sorted, obviously." in out
    score = toy_analyzer.analyze(RUDE).scores["dismissive"].score
    assert re.search(rf"dismissive\s+{score:.2f}\s+flagged", out)
    assert "Suggested rewrite" in out and "check the network's address book." in out
    assert not ANSI.search(out)


def test_check_clean_reply_exits_0(toy_dir, toy_analyzer):
    result = invoke("check", POLITE)
    assert result.exit_code == 0, result.output
    assert "No problems found." in result.output
    score = toy_analyzer.analyze(POLITE).score
    assert score >= 95 and f"overall    {score}/100" in result.output
    assert "Suggested rewrite" not in result.output


def test_check_json_equals_the_report(toy_dir, toy_analyzer):
    result = invoke("check", RUDE, "--customer", "My laptop is broken!", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == toy_analyzer.analyze(RUDE, "My laptop is broken!").model_dump(mode="json")


def test_check_json_with_default_settings_equals_toneguard_analyze(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no settings file here or above
    reply = "Your profile is corrupt. Reboot."
    result = invoke("check", reply, "--customer", "Outlook won't open!", "--format", "json")
    report = toneguard.analyze(reply, customer="Outlook won't open!")
    assert json.loads(result.stdout) == report.model_dump(mode="json")
    assert result.exit_code == (1 if report.flagged else 0)


def test_check_reads_a_file_and_names_it(toy_dir):
    (toy_dir / "reply.txt").write_text("Hello there.\nPlease check DNS and flush the cache.\n", encoding="utf-8")
    result = invoke("check", "reply.txt")
    assert result.exit_code == 1
    assert "reply.txt:2:14: technical TOY902" in result.output
    assert "    | Please check DNS and flush the cache." in result.output


def test_check_reads_stdin(toy_dir, toy_analyzer):
    result = invoke("check", "-", "--format", "json", input="Just reboot, obviously.")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["findings"] == [
        f.model_dump(mode="json") for f in toy_analyzer.analyze("Just reboot, obviously.").findings
    ]
    text = invoke("check", "-", input="Just reboot it.")
    assert "<stdin>:1:1: dismissive TOY901" in text.output


def test_customer_file(toy_dir, toy_analyzer):
    (toy_dir / "customer.txt").write_text("Nothing works and I have a deadline!", encoding="utf-8")
    result = invoke("check", POLITE, "--customer-file", "customer.txt", "--format", "json")
    assert json.loads(result.stdout)["customer"] == "Nothing works and I have a deadline!"
    both = invoke("check", POLITE, "--customer", "x", "--customer-file", "customer.txt")
    assert both.exit_code == 2 and "not both" in both.stderr


def test_input_errors_exit_2_without_traceback(toy_dir):
    missing = invoke("check", "no-such-reply.txt")
    assert missing.exit_code == 2
    assert "no such file or folder: no-such-reply.txt" in missing.stderr
    (toy_dir / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    undecodable = invoke("check", "latin1.txt")
    assert undecodable.exit_code == 2
    assert "not UTF-8" in undecodable.stderr
    for result in (missing, undecodable):
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_empty_file_is_fine(toy_dir):
    (toy_dir / "empty.txt").write_text("", encoding="utf-8")
    result = invoke("check", "empty.txt")
    assert result.exit_code == 0
    assert "empty.txt is empty" in result.stderr


def test_bad_config_and_bad_rules_exit_2(toy_dir):
    (toy_dir / "bad.toml").write_text("disable = 3\n", encoding="utf-8")
    bad_config = invoke("check", POLITE, "--config", "bad.toml")
    assert bad_config.exit_code == 2
    assert "bad.toml: invalid settings: disable" in bad_config.stderr
    missing_config = invoke("check", POLITE, "--config", "nowhere.toml")
    assert missing_config.exit_code == 2 and "nowhere.toml" in missing_config.stderr

    (toy_dir / "broken.yaml").write_text(
        "rules:\n  - id: TOY999\n    name: Not-Kebab\n    category: rude\n    check: phrase\n", encoding="utf-8"
    )
    bad_rules = invoke("check", POLITE, "--rules", "broken.yaml")
    assert bad_rules.exit_code == 2
    assert "the rules cannot be used" in bad_rules.stderr
    problems = [line for line in bad_rules.stderr.splitlines() if line.startswith("  - ")]
    assert problems and all("broken.yaml: rule TOY999" in line for line in problems)
    assert any("'category'" in line for line in problems)
    assert "Traceback" not in bad_rules.output


def test_disable_by_rule_and_by_category(toy_dir):
    by_rule = json.loads(invoke("check", RUDE, "--format", "json", "--disable", "TOY901").stdout)
    assert {f["rule_id"] for f in by_rule["findings"]} == {"TOY902", "TOY903"}
    by_category = invoke("check", RUDE, "--format", "json", "--disable", "dismissive", "--disable", "clipped")
    findings = json.loads(by_category.stdout)["findings"]
    assert {f["category"] for f in findings} == {"technical"}
    assert by_category.exit_code == 1  # technical is still flagged
    nothing_left = invoke("check", RUDE, "--disable", "dismissive", "--disable", "clipped", "--disable", "technical")
    assert nothing_left.exit_code == 0


def test_extra_rules_file_adds_to_the_builtin_rules(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "As I already said, see above.", "--rules", str(TOY_RULES), "--format", "json")
    fired = {f["rule_id"] for f in json.loads(result.stdout)["findings"]}
    assert {"TOY901", "TOY903"} <= fired


# --- rules and explain ----------------------------------------------------------


def test_rules_lists_every_builtin_rule_sorted_by_id(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("rules")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.splitlines()]
    expected = sorted(rule.id for rule in Analyzer().rules)
    assert expected and listed == expected
    as_json = json.loads(invoke("rules", "--format", "json").stdout)
    assert [r["id"] for r in as_json] == expected
    assert all(r["enabled"] for r in as_json)


def test_rules_filters_by_category_and_marks_disabled(toy_dir):
    technical = invoke("rules", "--category", "technical")
    assert technical.output.splitlines() == [
        "TOY902  technical   medium  Uses a technical term the customer may not know."
    ]
    disabled = json.loads(invoke("rules", "--format", "json", "--disable", "TOY903").stdout)
    assert {r["id"]: r["enabled"] for r in disabled} == {"TOY901": True, "TOY902": True, "TOY903": False}
    assert invoke("rules", "--category", "rude").exit_code == 2


def test_explain_shows_why_examples_and_swaps(toy_dir):
    result = invoke("explain", "toy902")
    assert result.exit_code == 0
    out = result.output
    assert out.startswith("TOY902 toy-jargon\ncategory: technical\nseverity: medium")
    assert "Customers outside IT rarely know these terms" in out
    assert "  - Say what it does for the customer instead." in out
    assert "  DNS -> the network's address book" in out
    assert "  re-image / reimage -> (explain) wipe the laptop and reinstall everything" in out
    assert "  x Flush the cache and check DNS." in out
    assert "  ok Clear the stored copies and try again." in out
    exchange = invoke("explain", "TOY901").output
    assert "  ok Let's restart the laptop together.   (customer: My laptop froze!)" in exchange


def test_explain_unknown_rule_exits_2_with_a_hint(toy_dir):
    result = invoke("explain", "TOY9O2")
    assert result.exit_code == 2
    assert "no rule 'TOY9O2'" in result.stderr
    assert "TOY902" in result.stderr and "toneguard rules" in result.stderr
    by_name = invoke("explain", "toy-clipped")
    assert by_name.exit_code == 0 and by_name.output.startswith("TOY903 toy-clipped")


# --- eval --------------------------------------------------------------------------


def write_labelled(path: Path, toy_analyzer) -> list[dict]:
    rows = []
    for i, text in enumerate([RUDE, POLITE, "Check DNS on your side.", "Happy to help, talk soon."]):
        flagged = toy_analyzer.analyze(text).categories
        rows.append({"id": f"t{i}", "reply": text, "technical": Category.technical in flagged})
    rows[2]["technical"] = True  # one planted false negative: TOY902 fires but stays under the threshold
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return rows


def test_eval_json_and_text(toy_dir, toy_analyzer):
    write_labelled(toy_dir / "set.jsonl", toy_analyzer)
    as_json = invoke("eval", "set.jsonl", "--format", "json")
    assert as_json.exit_code == 0
    data = json.loads(as_json.stdout)
    technical = data["categories"]["technical"]
    assert (technical["tp"], technical["fp"], technical["fn"], technical["tn"]) == (1, 0, 1, 2)
    assert (technical["precision"], technical["recall"], technical["f1"]) == (1.0, 0.5, 0.6667)
    assert list(data["categories"]) == ["technical"]
    assert data["misses"] == [
        {
            "row": 3,
            "line": 3,
            "id": "t2",
            "text": "Check DNS on your side.",
            "category": "technical",
            "kind": "false_negative",
            "rules": ["TOY902"],
            "score": 0.35,
        }
    ]

    text = invoke("eval", "set.jsonl")
    assert text.exit_code == 0
    assert re.search(r"technical\s+1\.000\s+0\.500\s+0\.667\s+2\s+1\s+0\s+1\s+2\s+0 0%", text.output)
    assert "row 3 (id t2): technical false negative  score 0.35  rules: TOY902" in text.output
    assert not ANSI.search(text.output)


def test_eval_column_options(toy_dir, toy_analyzer):
    rows = write_labelled(toy_dir / "set.jsonl", toy_analyzer)
    renamed = [{"key": r["id"], "body": r["reply"], "jargon": int(r["technical"])} for r in rows]
    (toy_dir / "renamed.json").write_text(json.dumps(renamed), encoding="utf-8")
    result = invoke(
        "eval", "renamed.json", "--text-column", "body", "--id-column", "key",
        "--label-column", "technical=jargon", "--format", "json", "--max-misses", "0",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["categories"]["technical"]["recall"] == 0.5
    assert data["misses"] == [] and data["misses_total"] == 1


def test_eval_errors_exit_2(toy_dir):
    assert invoke("eval", "missing.jsonl").exit_code == 2
    (toy_dir / "set.jsonl").write_text('{"reply": "hi", "clipped": 0}\n', encoding="utf-8")
    bad_spec = invoke("eval", "set.jsonl", "--label-column", "rude=x")
    assert bad_spec.exit_code == 2 and "unknown category 'rude'" in bad_spec.stderr
    wrong_text = invoke("eval", "set.jsonl", "--text-column", "body")
    assert wrong_text.exit_code == 2 and "no text column 'body'" in wrong_text.stderr


# --- as a real process --------------------------------------------------------------


def run_module(*args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TONEGUARD_DEBUG")}
    return subprocess.run(
        [sys.executable, "-m", "toneguard", *args],
        cwd=cwd, input=input, capture_output=True, text=True, env=env, timeout=120,
    )


def test_piped_output_is_plain_and_color_can_be_forced(toy_dir):
    piped = run_module("check", RUDE, cwd=toy_dir)
    assert piped.returncode == 1
    assert "1:1: dismissive TOY901" in piped.stdout
    assert not ANSI.search(piped.stdout)
    forced = run_module("check", RUDE, "--color", "always", cwd=toy_dir)
    assert ANSI.search(forced.stdout)
    clean = run_module("check", "-", cwd=toy_dir, input=POLITE)
    assert clean.returncode == 0


def test_process_errors_have_no_traceback(toy_dir):
    (toy_dir / "broken.yaml").write_text("rules: [1, 2", encoding="utf-8")
    bad = run_module("check", POLITE, "--rules", "broken.yaml", cwd=toy_dir)
    assert bad.returncode == 2
    assert "not valid YAML" in bad.stderr
    assert "Traceback" not in bad.stderr + bad.stdout
    usage = run_module("check", cwd=toy_dir)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    unknown = run_module("explain", "TG000", cwd=toy_dir)
    assert unknown.returncode == 2 and "Traceback" not in unknown.stderr


def test_disabling_an_unknown_rule_warns(toy_dir):
    result = invoke("check", POLITE, "--disable", "TOY9999")
    assert result.exit_code == 0
    assert "warning: TOY9999: no rule, id prefix, category or severity by that name" in result.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_command_built_alone_behaves_as_in_the_whole_app(command, tmp_path):
    """``main`` builds only the command it runs; its help, and its refusal of a bad option, stay the same."""
    alone = build_app(command)
    for args in ([command, "--help"], [command, "--no-such-option"]):
        whole, single = runner.invoke(app, args), runner.invoke(alone, args)
        assert (single.exit_code, single.output) == (whole.exit_code, whole.output)
    assert runner.invoke(alone, ["--version"]).output == runner.invoke(app, ["--version"]).output


def test_main_runs_the_command_it_names_and_leaves_the_collector_running(monkeypatch, capsys):
    import gc

    monkeypatch.setattr(sys, "argv", ["toneguard", "check", "--format", "json", RUDE])
    with pytest.raises(SystemExit) as done:
        main()
    assert done.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report["reply"] == RUDE and report["findings"]
    assert gc.isenabled()


def test_a_commands_help_starts_without_spacy():
    script = (
        "import sys; sys.argv = ['toneguard', 'check', '--help']\n"
        "from toneguard._cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.exit(3 if 'spacy' in sys.modules else 0)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "PATH_OR_TEXT" in done.stdout
