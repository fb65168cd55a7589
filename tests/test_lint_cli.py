"""``toneguard check`` used like a linter, each convention run as a real process: paths, folders and globs; macro
exports and snippets; text, json, jsonl, SARIF and GitHub output; --fix and --diff; settings found per file;
--select/--ignore; --exit-zero; --version; a pre-commit hook; and the rough edges a first-time user hits.

The library below uses the toy rules (tests/data/toy_rules.yaml), so the expectations do not move as the
built-in rules are tuned.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

DATA = Path(__file__).parent / "data"
TOY_RULES = DATA / "toy_rules.yaml"
SARIF_SCHEMA = DATA / "sarif-schema-2.1.0.json"
REPO = Path(__file__).resolve().parents[1]

ZENDESK = {
    "macros": [
        {
            "id": 360001,
            "title": "Password reset",
            "actions": [
                {"field": "status", "value": "solved"},
                {"field": "comment_value", "value": ["channel:all", "Hi {{ticket.requester.first_name}},\n\nJust reboot, then check DNS.\nThanks, Sam"]},
            ],
        },
        {"id": 360002, "title": "Refund – “quoted”", "actions": [{"field": "comment_value_html", "value": "<p>As I already said, it is on its way.</p>"}]},
        {"id": 360003, "title": "Close only", "actions": [{"field": "status", "value": "closed"}]},
        {"id": 360004, "title": "Plain", "actions": [{"field": "comment_value", "value": "Thanks for waiting, all done now."}]},
    ],
    "next_page": None,
    "count": 4,
}
SAVED_REPLIES = """\
- title: Printer
  body: |
    Hello,

    Please flush the cache and check DNS again.
- title: Curt
  body: See above.
"""
PRINTER_MD = "---\ntitle: Printer offline\ntags: [printing]\n---\n# Printer offline\n\nObviously, the DNS entry is wrong.\n"
REFUND_HTML = "<p>As I already said, the refund is on its way &amp; will arrive soon.</p>\n"


def run(*args: str, cwd: Path, input: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TONEGUARD_DEBUG")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "toneguard", *args],
        cwd=cwd, input=input, capture_output=True, text=True, env=environment, timeout=120,
    )


class Invoked:
    """What ``invoke`` gives: the same fields as a finished process."""

    def __init__(self, result):
        self.returncode, self.stdout, self.stderr = result.exit_code, result.stdout, result.stderr


def invoke(*args: str, cwd: Path, input: str | None = None) -> Invoked:
    """The command run in this process (quicker than ``run``), for the checks beyond each convention's own process."""
    from typer.testing import CliRunner

    from toneguard._cli import app

    before = os.getcwd()
    os.chdir(cwd)
    try:
        return Invoked(CliRunner().invoke(app, list(args), input=input))
    finally:
        os.chdir(before)


def toy_settings(extra: str = "") -> str:
    return f"builtin_rules = false\nrules = [{json.dumps(str(TOY_RULES))}]\n{extra}"


def build_library(root: Path) -> Path:
    """A support team's repository of canned responses, with the clutter real folders have."""
    files = {
        ".toneguard.toml": toy_settings('exclude = ["drafts"]\n'),
        "macros/zendesk.json": json.dumps(ZENDESK, indent=2, ensure_ascii=False),
        "macros/saved.yaml": SAVED_REPLIES,
        "docs/printer.md": PRINTER_MD,
        "docs/refund.html": REFUND_HTML,
        "docs/notes.rst": "Obviously not read from a folder: .rst is not a kind toneguard looks for.\n",
        "docs/package.json": '{"name": "help-centre", "version": "1.0.0"}\n',
        "docs/.hidden/secret.md": "Obviously hidden.\n",
        "node_modules/pkg/readme.md": "Obviously a dependency.\n",
        "drafts/wip.md": "Obviously unfinished.\n",
        "clean/thanks.txt": "Thanks for waiting, Sam. Your new laptop is ready at the front desk.\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def position(raw: str, needle: str) -> tuple[int, int]:
    """Line and column of the one occurrence of ``needle`` in a file's text, found independently of toneguard."""
    assert raw.count(needle) == 1, needle
    index = raw.index(needle)
    return raw.count("\n", 0, index) + 1, index - raw.rfind("\n", 0, index)


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    return build_library(tmp_path_factory.mktemp("library"))


@pytest.fixture(scope="module")
def library_text(library) -> subprocess.CompletedProcess:
    return run("check", "macros", "docs", "clean", "drafts", cwd=library)


# --- paths, folders, globs -------------------------------------------------------------------------------


def test_folders_are_searched_for_the_kinds_toneguard_reads(library, library_text):
    out = library_text.stdout
    assert library_text.returncode == 1, library_text.stderr
    named = set(re.findall(r"^(\S+?):\d+:\d+: ", out, re.MULTILINE))
    assert named == {"macros/zendesk.json", "macros/saved.yaml", "docs/printer.md", "docs/refund.html"}
    for never in ("notes.rst", "secret.md", "node_modules", "wip.md"):
        assert never not in out
    assert "skipped docs/package.json: not a macro export" in out
    assert re.search(r"^Checked 5 files \(8 texts\): 9 findings in 6 of them, 6 flagged; 4 fixable with --fix\.$", out, re.MULTILINE), out


def test_text_locations_point_into_the_original_files(library, library_text):
    out = library_text.stdout
    raw = (library / "macros/zendesk.json").read_text("utf-8")
    line, column = position(raw, "DNS")
    assert f"macros/zendesk.json:{line}:{column}: technical TOY902 [medium] Uses a technical term" in out
    line, column = position(PRINTER_MD, "Obviously")
    assert line == 7 and f"docs/printer.md:{line}:{column}: dismissive TOY901" in out  # front matter counted
    line, column = position(SAVED_REPLIES, "flush the cache")
    assert f"macros/saved.yaml:{line}:{column}: technical TOY902" in out
    # The excerpt shows the macro's text as the customer reads it, not the escaped JSON.
    assert "    | Just reboot, then check DNS." in out
    assert "macros/zendesk.json › Password reset: not flagged · score" in out or "macros/zendesk.json › Password reset: flagged" in out
    assert "macros/saved.yaml › Curt: flagged clipped" in out


def test_rule_tips_are_said_once_per_report(library_text):
    out = library_text.stdout
    assert out.count("Say what it does for the customer instead.") == 1
    assert out.count("Walk the customer through the fix step by step.") == 1
    assert "= suggestion: the network's address book (fixable)" in out
    assert "= suggestion: Say what it does" not in out


def test_globs_are_expanded_by_toneguard_too(library):
    result = run("check", "docs/*.md", "macros/**/*.yaml", cwd=library)
    named = set(re.findall(r"^(\S+?):\d+:\d+: ", result.stdout, re.MULTILINE))
    assert named == {"docs/printer.md", "macros/saved.yaml"}
    missing = invoke("check", "docs/*.txt", cwd=library)
    assert missing.returncode == 2 and "no files match docs/*.txt" in missing.stderr
    typo = invoke("check", "macros", "docz", cwd=library)
    assert typo.returncode == 2 and "no such file or folder: docz" in typo.stderr


def test_a_file_named_outright_is_checked_whatever_its_suffix_unless_force_excluded(library):
    named = run("check", "docs/notes.rst", "drafts/wip.md", cwd=library)
    assert "docs/notes.rst:1:1: dismissive TOY901" in named.stdout
    assert "drafts/wip.md:1:1: dismissive TOY901" in named.stdout
    forced = invoke("check", "--force-exclude", "drafts/wip.md", cwd=library)
    assert forced.returncode == 0 and "wip.md" not in forced.stdout


def test_unreadable_and_malformed_files_exit_2_and_the_rest_is_still_checked(tmp_path):
    (tmp_path / ".toneguard.toml").write_text(toy_settings(), "utf-8")
    (tmp_path / "latin1.txt").write_bytes("Obviously caf\xe9".encode("latin-1"))
    (tmp_path / "broken.json").write_text('{"macros": [', "utf-8")
    (tmp_path / "rude.txt").write_text("Obviously.", "utf-8")
    result = run("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "error: latin1.txt is not UTF-8" in result.stderr
    assert "error: broken.json: not valid JSON" in result.stderr
    assert "rude.txt:1:1: dismissive TOY901" in result.stdout
    assert "2 files could not be checked." in result.stdout
    assert "Traceback" not in result.stderr


# --- output formats ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif(library) -> dict:
    result = run("check", "macros", "docs", "--format", "sarif", "--output-file", "out.sarif", cwd=library)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    return json.loads((library / "out.sarif").read_text("utf-8"))


def test_sarif_is_valid_against_the_sarif_2_1_0_schema(sarif):
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    assert [error.message for error in validator.iter_errors(sarif)] == []
    broken = {**sarif, "runs": [{**sarif["runs"][0], "results": [{"message": {"text": "x"}, "level": "fatal"}]}]}
    assert list(validator.iter_errors(broken)), "the validator must see a wrong level"


def test_sarif_carries_rule_metadata_and_exact_regions(library, sarif):
    run_ = sarif["runs"][0]
    assert sarif["version"] == "2.1.0" and run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["TOY901", "TOY902", "TOY903"]
    jargon = rules[1]
    assert jargon["name"] == "toy-jargon"
    assert jargon["shortDescription"]["text"] == "Uses a technical term the customer may not know."
    assert jargon["fullDescription"]["text"].startswith("Customers outside IT rarely know these terms")
    assert "Flush the cache and check DNS." in jargon["help"]["text"]  # its bad example
    assert "Clear the stored copies and try again." in jargon["help"]["markdown"]  # its good example
    assert jargon["defaultConfiguration"]["level"] == "warning" and rules[0]["defaultConfiguration"]["level"] == "error"

    raw = (library / "macros/zendesk.json").read_text("utf-8")
    line, column = position(raw, "DNS")
    dns = next(
        r for r in run_["results"]
        if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "macros/zendesk.json" and r["ruleId"] == "TOY902"
    )
    region = dns["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (line, column, line, column + 3)
    assert region["snippet"]["text"] == "DNS"
    assert dns["ruleIndex"] == 1 and dns["level"] == "warning"
    assert dns["locations"][0]["logicalLocations"][0]["name"] == "Password reset"
    replacement = dns["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement == {"deletedRegion": {k: v for k, v in region.items() if k != "snippet"}, "insertedContent": {"text": "the network's address book"}}
    fingerprints = [r["partialFingerprints"]["toneguardFinding/v1"] for r in run_["results"]]
    assert len(set(fingerprints)) == len(fingerprints)
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == library.resolve().as_uri() + "/"


def test_github_annotations_are_workflow_commands(library, tmp_path):
    result = run("check", "macros", "docs", "--format", "github", cwd=library)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    command = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([^:]+)::(.+)$")
    parsed = [command.match(line) for line in lines]
    assert lines and all(parsed), lines
    raw = PRINTER_MD
    line, column = position(raw, "Obviously")
    assert f"::error file=docs/printer.md,line={line},col={column},endLine={line},endColumn={column + 9},title=toneguard TOY901 (dismissive)::Brushes the customer off instead of helping." in lines
    dns = next(m for m in parsed if m.group(2) == "macros/zendesk.json" and "TOY902" in m.group(7))
    assert dns.group(1) == "warning" and dns.group(8).endswith("Try: the network's address book (macro: Password reset)")
    # Properties escape the characters that would end them.
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / ".toneguard.toml").write_text(toy_settings(), "utf-8")
    (odd / "a, b: c.txt").write_text("Obviously.", "utf-8")
    escaped = invoke("check", "a, b: c.txt", "--format", "github", cwd=odd)
    assert escaped.stdout.startswith("::error file=a%2C b%3A c.txt,line=1,col=1,")


def test_json_and_jsonl(library):
    as_json = json.loads(run("check", "macros/zendesk.json", "docs/package.json", "--format", "json", cwd=library).stdout)
    assert [entry["path"] for entry in as_json] == ["macros/zendesk.json", "docs/package.json"]
    assert as_json[1]["skipped"].startswith("docs/package.json: not a macro export") and as_json[1]["texts"] == []
    texts = as_json[0]["texts"]
    assert [text["macro"]["title"] for text in texts] == ["Password reset", "Refund – “quoted”", "Plain"]
    assert texts[0]["macro"]["id"] == "360001"
    raw = (library / "macros/zendesk.json").read_text("utf-8")
    line, column = position(raw, "Just reboot")
    first = texts[0]["findings"][0]
    assert (first["rule_id"], first["text"], first["line"], first["column"]) == ("TOY901", "Just reboot", line, column)
    assert texts[1]["flagged"] is True and texts[1]["categories"] == ["dismissive"]
    lines = invoke("check", "macros", "--format", "jsonl", cwd=library).stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 6 and {r["path"] for r in records} == {"macros/zendesk.json", "macros/saved.yaml"}
    assert all({"line", "column", "end_line", "end_column", "rule_id", "macro"} <= set(r) for r in records)


def test_a_reply_on_its_own_keeps_its_report(tmp_path):
    (tmp_path / ".toneguard.toml").write_text(toy_settings(), "utf-8")
    as_json = json.loads(invoke("check", "Obviously, check DNS.", "--format", "json", cwd=tmp_path).stdout)
    assert as_json["reply"] == "Obviously, check DNS." and {f["rule_id"] for f in as_json["findings"]} == {"TOY901", "TOY902"}
    piped = run("check", "-", cwd=tmp_path, input="Obviously, check DNS.")
    assert "<stdin>:1:1: dismissive TOY901" in piped.stdout and "Scores" in piped.stdout and "Checked" not in piped.stdout


# --- --fix and --diff -----------------------------------------------------------------------------------------


def test_diff_shows_the_safe_replacements_and_fix_writes_them(tmp_path):
    library = build_library(tmp_path)
    (library / "docs/crlf.txt").write_bytes("Hello,\r\nplease check DNS today.\r\n".encode())
    (library / "docs/bom.txt").write_bytes("\ufeffCheck DNS.\n".encode())
    (library / "docs/bom.txt").chmod(0o640)
    (library / "macros/quoted.yaml").write_text("- title: Quoted\n  body: 'Check DNS now.'\n", "utf-8")
    before = {path: path.read_bytes() for path in library.rglob("*") if path.is_file()}

    diff = run("check", "macros", "docs", "--diff", cwd=library)
    assert diff.returncode == 1, diff.stderr
    assert "--- a/macros/zendesk.json\n+++ b/macros/zendesk.json\n" in diff.stdout
    fixed_macro = json.dumps("Hi {{ticket.requester.first_name}},\n\nJust reboot, then check the network's address book.\nThanks, Sam")
    assert re.search(r"^\+ +" + re.escape(fixed_macro) + "$", diff.stdout, re.MULTILINE), diff.stdout
    assert "-Obviously, the DNS entry is wrong.\n+Obviously, the the network's address book entry is wrong.\n" in diff.stdout
    assert "+    Please clear the stored copies and check the network's address book again.\n" in diff.stdout
    assert "Would fix 6 findings in 5 files." in diff.stderr
    # A replacement that would break the file (an apostrophe in a single-quoted YAML string) is not made.
    assert "macros/quoted.yaml: the fixed file would not read back as the rewrite" in diff.stderr
    assert {path: path.read_bytes() for path in before} == before, "--diff changes nothing"

    fixed = run("check", "macros", "docs", "--fix", cwd=library)
    assert fixed.returncode == 1  # the dismissive and clipped findings remain
    assert "Fixed 6 findings in 5 files." in fixed.stdout
    remaining = [json.loads(line) for line in invoke("check", "macros", "docs", "--format", "jsonl", cwd=library).stdout.splitlines()]
    assert {r["path"] for r in remaining if r["rule_id"] == "TOY902"} == {"macros/quoted.yaml"}
    assert {r["rule_id"] for r in remaining} == {"TOY901", "TOY902", "TOY903"}
    macros = json.loads((library / "macros/zendesk.json").read_text("utf-8"))
    assert macros["macros"][0]["actions"][1]["value"][1].endswith("check the network's address book.\nThanks, Sam")
    assert macros["macros"][1:] == ZENDESK["macros"][1:]
    assert (library / "docs/crlf.txt").read_bytes() == "Hello,\r\nplease check the network's address book today.\r\n".encode()
    assert (library / "docs/bom.txt").read_bytes() == "\ufeffCheck the network's address book.\n".encode()
    assert (library / "docs/bom.txt").stat().st_mode & 0o777 == 0o640
    assert (library / "macros/quoted.yaml").read_bytes() == before[library / "macros/quoted.yaml"]
    assert not [p for p in library.rglob("*.toneguard")], "no temporary file is left behind"
    again = invoke("check", "macros", "docs", "--diff", cwd=library)
    assert again.returncode == 0 and again.stdout == "" and "No safe replacements to make." in again.stderr


def test_fix_on_standard_input_prints_the_fixed_text(tmp_path):
    (tmp_path / ".toneguard.toml").write_text(toy_settings(), "utf-8")
    result = run("check", "-", "--fix", cwd=tmp_path, input="Please check DNS.")
    assert result.stdout == "Please check the network's address book."
    assert "No problems found." in result.stderr and result.returncode == 0
    refused = invoke("check", "Please check DNS.", "--fix", cwd=tmp_path)
    assert refused.returncode == 2 and "pipe it in with '-'" in refused.stderr


# --- settings, selection, exit codes ----------------------------------------------------------------------------


def test_each_file_uses_the_settings_found_from_its_own_folder(tmp_path):
    billing, it = tmp_path / "teams/billing", tmp_path / "teams/it"
    billing.mkdir(parents=True)
    it.mkdir(parents=True)
    (billing / ".toneguard.toml").write_text(toy_settings('ignore = ["technical"]\n'), "utf-8")
    (billing / "toneguard.toml").write_text(toy_settings('select = ["clipped"]\n'), "utf-8")  # .toneguard.toml wins
    (it / "pyproject.toml").write_text('[project]\nname = "it"\n\n[tool.toneguard]\n' + toy_settings('select = ["TOY9"]\nmin_severity = "medium"\nexclude = ["old"]\n'), "utf-8")
    for folder in (billing, it):
        (folder / "reply.txt").write_text("Obviously, check DNS and flush the cache.", "utf-8")
    (it / "old").mkdir()
    (it / "old/reply.txt").write_text("Obviously.", "utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("check", str(tmp_path / "teams"), "--format", "jsonl", cwd=elsewhere)
    fired = {(Path(r["path"]).parent.name, r["rule_id"]) for r in map(json.loads, result.stdout.splitlines())}
    assert fired == {("billing", "TOY901"), ("it", "TOY901"), ("it", "TOY902")}
    # The command line has the last word: --select replaces the settings', --ignore adds to them.
    narrowed = invoke("check", str(tmp_path / "teams"), "--format", "jsonl", "--select", "technical", "--ignore", "medium", cwd=elsewhere)
    assert narrowed.stdout == "" and narrowed.returncode == 0


def test_select_ignore_and_min_severity(tmp_path):
    (tmp_path / ".toneguard.toml").write_text(toy_settings(), "utf-8")
    reply = "Obviously, check DNS. See above."

    def fired(*options: str) -> set[str]:
        result = invoke("check", reply, "--format", "json", *options, cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr
        return {f["rule_id"] for f in json.loads(result.stdout)["findings"]}

    assert fired() == {"TOY901", "TOY902", "TOY903"}
    assert fired("--select", "TOY902,clipped") == {"TOY902", "TOY903"}
    assert fired("--select", "toy90") == {"TOY901", "TOY902", "TOY903"}  # an id prefix, any case
    assert fired("--ignore", "high") == {"TOY902"}
    assert fired("--min-severity", "high") == {"TOY901", "TOY903"}
    assert fired("--select", "dismissive", "--select", "technical", "--ignore", "TOY901") == {"TOY902"}
    typo = run("check", reply, "--select", "TOY99", cwd=tmp_path)
    assert "warning: TOY99: no rule, id prefix, category or severity by that name" in typo.stderr
    bad = invoke("check", reply, "--min-severity", "urgent", cwd=tmp_path)
    assert bad.returncode == 2 and "'urgent' is not one of 'high', 'medium', 'low'." in bad.stderr
    assert "Value error" not in bad.stderr


def test_exit_zero_on_check_and_scan(tmp_path):
    (tmp_path / ".toneguard.toml").write_text(toy_settings(), "utf-8")
    (tmp_path / "rude.txt").write_text("Obviously.", "utf-8")
    assert invoke("check", "rude.txt", cwd=tmp_path).returncode == 1
    assert run("check", "rude.txt", "--exit-zero", cwd=tmp_path).returncode == 0
    assert invoke("check", "rude.txt", "missing.txt", "--exit-zero", cwd=tmp_path).returncode == 2  # errors still count
    (tmp_path / "export.jsonl").write_text('{"reply": "Obviously."}\n', "utf-8")
    assert run("scan", "export.jsonl", "--exit-zero", cwd=tmp_path).returncode == 0


def test_version():
    result = run("--version", cwd=REPO)
    assert result.returncode == 0
    import toneguard

    assert result.stdout == f"toneguard {toneguard.__version__}\n"


# --- a team's own rules --------------------------------------------------------------------------------------


def test_a_teams_rules_carry_their_own_prefix(tmp_path):
    house = TOY_RULES.read_text("utf-8").replace("TOY9", "ACME1")
    (tmp_path / "house.yaml").write_text(house, "utf-8")
    (tmp_path / ".toneguard.toml").write_text('rules = ["house.yaml"]\n', "utf-8")
    listed = invoke("rules", cwd=tmp_path).stdout.split("\n")
    ids = [line.split()[0] for line in listed if line]
    assert ids == sorted(ids) and ids[:3] == ["ACME101", "ACME102", "ACME103"] and "TG101" in ids
    assert "ACME101" in invoke("check", "Obviously.", cwd=tmp_path).stdout
    (tmp_path / "house.yaml").write_text(house.replace("ACME101", "TG101"), "utf-8")
    refused = run("check", "Obviously.", cwd=tmp_path)
    assert refused.returncode == 2
    assert "house.yaml: rule TG101: field 'id': ids starting with TG are reserved for toneguard's own rules" in refused.stderr


# --- pre-commit ------------------------------------------------------------------------------------------------


def test_the_pre_commit_hook_runs_on_a_repository(tmp_path):
    """The hook as .pre-commit-hooks.yaml defines it, run by pre-commit on a fresh repository.

    It runs as a local hook with `language: system` (the toneguard installed here), so the test needs no
    network; every other key comes from this repository's hook definition, which pre-commit validates.
    """
    from pre_commit.clientlib import load_manifest

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    (hook,) = load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    local = {
        key: hook[key]
        for key in ("id", "name", "entry", "types_or", "require_serial", "description")
    }
    assert hook["entry"].startswith("toneguard ")
    local.update(language="system", entry=f"{sys.executable} -m {hook['entry']}")
    repo = tmp_path / "support-macros"
    repo.mkdir()
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repo / ".pre-commit-config.yaml").write_text(json.dumps(config), "utf-8")
    (repo / ".toneguard.toml").write_text(toy_settings('exclude = ["archive"]\n'), "utf-8")
    (repo / "macros").mkdir()
    (repo / "macros/zendesk.json").write_text(json.dumps(ZENDESK), "utf-8")
    (repo / "archive").mkdir()
    (repo / "archive/old.md").write_text("Obviously.\n", "utf-8")
    (repo / "clean.md").write_text("Thanks for waiting, Sam. All done now.\n", "utf-8")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig")}
    env.pop("TONEGUARD_DEBUG", None)
    git = lambda *args: subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("add", ".")

    def pre_commit(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300
        )

    failing = pre_commit("--all-files")
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "toneguard" in failing.stdout and "Failed" in failing.stdout
    assert "macros/zendesk.json:" in failing.stdout and "dismissive TOY901" in failing.stdout
    assert "archive/old.md" not in failing.stdout  # excluded, though pre-commit names it
    passing = pre_commit("--files", "clean.md", ".pre-commit-config.yaml")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout


# --- rough edges -------------------------------------------------------------------------------------------------


def test_empty_input_says_so_once(tmp_path):
    (tmp_path / ".toneguard.toml").write_text(toy_settings(), "utf-8")
    empty_argument = run("check", "", cwd=tmp_path)
    assert empty_argument.returncode == 0
    assert empty_argument.stderr == "toneguard: the reply is empty; nothing to check\n" and empty_argument.stdout == ""
    (tmp_path / "empty.md").write_text("\n", "utf-8")
    empty_file = invoke("check", "empty.md", cwd=tmp_path)
    assert empty_file.returncode == 0 and empty_file.stderr == "toneguard: empty.md is empty; nothing to check\n"
    assert "Scores" not in empty_file.stdout and "Checked 1 file (1 text): no problems found." in empty_file.stdout
    empty_stdin = invoke("check", "-", cwd=tmp_path, input="")
    assert empty_stdin.returncode == 0
    assert empty_stdin.stderr == "toneguard: <stdin> is empty; nothing to check\n" and empty_stdin.stdout == ""


def test_scan_refuses_a_misspelt_id_or_customer_column_and_identifies_rows_without_one(tmp_path):
    (tmp_path / ".toneguard.toml").write_text(toy_settings(), "utf-8")
    rows = [{"ticket": "T-1", "reply": "Obviously."}, {"ticket": "T-2", "reply": "Thanks, all done."}]
    (tmp_path / "export.json").write_text("[\n" + ",\n\n".join(json.dumps(r) for r in rows) + "\n]\n", "utf-8")
    for option, runner in (("--id-column", run), ("--customer-column", invoke)):
        result = runner("scan", "export.json", option, "tiket", cwd=tmp_path)
        assert result.returncode == 2
        role = option.split("-")[2]
        assert f"no {role} column 'tiket' (did you mean 'ticket'?) (columns: ticket, reply)" in result.stderr
    records = [json.loads(line) for line in invoke("scan", "export.json", "--out", "-", cwd=tmp_path).stdout.splitlines()]
    assert [(r["row"], r["line"], r.get("id")) for r in records] == [(1, 2, None), (2, 4, None)]
    import hashlib

    assert [r["text_hash"] for r in records] == [hashlib.sha256(r["reply"].encode()).hexdigest()[:16] for r in rows]
    summary = invoke("scan", "export.json", cwd=tmp_path).stdout
    assert "2 rows read, 2 analysed, 0 skipped" in summary and "analyzed" not in summary


def test_choice_errors_are_one_clear_line(tmp_path):
    for runner, args, expected in (
        (run, ("check", "x", "--format", "xml"), "Invalid value for '--format': 'xml' is not one of 'text', 'json', 'jsonl', 'sarif', 'github'."),
        (invoke, ("rules", "--category", "rude"), "Invalid value for '--category': 'rude' is not one of 'dismissive', 'clipped', 'technical'."),
    ):
        result = runner(*args, cwd=tmp_path)
        assert result.returncode == 2 and expected in result.stderr and "Value error" not in result.stderr


def test_the_suite_keeps_rule_parses_out_of_the_users_cache():
    from conftest import TEST_CACHE

    from toneguard._engines.disk_cache import cache_dir

    assert cache_dir() == TEST_CACHE
    assert not str(TEST_CACHE).startswith(str(Path.home() / ".cache"))
    assert Path(os.environ["TONEGUARD_CACHE_DIR"]) == TEST_CACHE  # so the subprocesses above use it too
