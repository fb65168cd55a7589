"""Reading files for ``toneguard check``, in process: where each character of a macro's text sits in its file, the
shapes of macro exports, folder patterns, fixes that would break a file, and the settings files."""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toneguard import Config, ConfigError
from toneguard._apps.lint.discovery import matches
from toneguard._apps.lint.located import load_json, load_yaml
from toneguard._apps.lint.macros import macro_documents
from toneguard._apps.lint.sources import NotAnExport, SourceError, SourceFile
from toneguard._apps.lint.texts import documents
from toneguard._core.config import find_settings_file


def source(text: str, kind: str = "json", name: str = "macros.json") -> SourceFile:
    return SourceFile.from_bytes(text.encode("utf-8"), name, kind)  # type: ignore[arg-type]


def assert_maps_back(raw: str, value: str, offsets) -> None:
    """Every character that stands unescaped in the file is found at its mapped offset."""
    for index, char in enumerate(value):
        at = offsets(index)
        if offsets.verbatim(index, index + 1):
            assert raw[at] == char, (index, char, raw[at - 3 : at + 3])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40), st.booleans())
def test_json_strings_map_each_character_to_the_file(value, ascii_only):
    raw = '{"macros": [{"title": "t", "body": ' + json.dumps(value, ensure_ascii=ascii_only) + "}]}"
    body = load_json(raw)["macros"][0]["body"]
    assert body == value
    offsets = body.offsets()
    assert_maps_back(raw, value, offsets)
    assert raw[offsets(len(value))] == '"'  # the end maps to the closing quote
    assert all(offsets(i) < offsets(i + 1) for i in range(len(value)))


def test_json_escapes_are_not_verbatim():
    raw = '{"body": "Caf\\u00e9 \\ud83d\\ude00 \\"DNS\\" ok"}'
    body = load_json(raw)["body"]
    assert body == 'Café 😀 "DNS" ok'
    offsets = body.offsets()
    dns = body.index("DNS")
    assert raw[offsets(dns) : offsets(dns + 3)] == "DNS" and offsets.verbatim(dns, dns + 3)
    assert not offsets.verbatim(0, 4)  # "Café" holds an escape
    assert raw[offsets(body.index("ok"))] == "o"


def test_yaml_block_scalars_map_line_by_line():
    raw = "- title: Printer\n  body: |\n    Hello,\n\n      Please check DNS.\n    Thanks\n- title: Folded\n  body: >\n    Check\n    DNS.\n"
    data = load_yaml(raw)
    block, folded = data[0]["body"], data[1]["body"]
    assert block == "Hello,\n\n  Please check DNS.\nThanks\n"
    assert_maps_back(raw, block, block.offsets())
    dns = block.index("DNS")
    assert raw[block.offsets()(dns) :].startswith("DNS.\n    Thanks")
    assert folded.offsets().approximate and not folded.offsets().verbatim(0, 1)
    assert raw[folded.offsets()(3) :].startswith(">")  # points at the scalar


@pytest.mark.parametrize(
    "text, kind",
    [
        ('{"macro": {"id": 7, "title": "One", "actions": [{"field": "comment_value", "value": "Hello there"}]}}', "json"),
        ('[{"title": "One", "actions": [{"field": "comment_value", "value": ["channel:all", "Hello there"]}]}]', "json"),
        ('{"macros": [{"name": "One", "body": "Hello there"}]}', "json"),
        ("macros:\n  - title: One\n    text: Hello there\n", "yaml"),
    ],
)
def test_macro_export_shapes(text, kind):
    (document,) = macro_documents(source(text, kind))
    assert (document.title, document.text) == ("One", "Hello there")
    assert document.position(0) == _line_col(text, text.index("Hello there"))


def _line_col(text: str, index: int) -> tuple[int, int]:
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


@pytest.mark.parametrize(
    "text, kind",
    [('{"name": "pkg", "version": "1"}', "json"), ("[1, 2]", "json"), ("jobs:\n  test: {runs-on: x}\n", "yaml"), ("", "yaml")],
)
def test_other_json_and_yaml_is_not_an_export(text, kind):
    with pytest.raises(NotAnExport, match="not a macro export"):
        documents(source(text, kind))


@pytest.mark.parametrize(
    "text, problem",
    [
        ('{"macros": [', "not valid JSON"),
        ('{"macros": ["x"]}', "macro 1 is text, not an object"),
        ('{"macros": [{"title": "T", "actions": [{"field": "comment_value", "value": 3}]}]}', "macro 'T': comment_value is a number, not text"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_malformed_exports_are_clear_errors(text, problem):
    with pytest.raises(SourceError, match=problem):
        documents(source(text))


def test_yaml_aliases_are_read_once_not_expanded():
    """Nine levels of nine aliases would be 9**9 strings if each alias were walked again."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    with pytest.raises(NotAnExport):
        documents(source("\n".join(lines) + "\n", "yaml", "bomb.yaml"))


def test_a_macro_without_text_gives_nothing_and_untitled_ones_are_numbered():
    found = macro_documents(source('{"macros": [{"id": 1, "actions": [{"field": "status", "value": "solved"}]}, {"id": 9, "body": "Hi"}]}'))
    assert [(d.title, d.macro_id, d.text) for d in found] == [("macro 9", "9", "Hi")]


def test_markdown_front_matter_is_not_prose_but_lines_still_count():
    text = "+++\ntitle = 'x'\n+++\nObviously.\n"
    (document,) = documents(source(text, "markdown", "a.md"))
    assert document.text == "Obviously.\n" and document.position(0) == (4, 1)
    (plain,) = documents(source("---\nnot closed\nObviously.", "markdown", "b.md"))
    assert plain.position(0) == (1, 1)


def test_line_endings_and_byte_order_mark_are_kept_for_writing():
    crlf = SourceFile.from_bytes(b"\xef\xbb\xbfa\r\nb\r\n", "x.txt", "text")
    assert crlf.text == "a\nb\n" and crlf.encoded("a\nc\n") == b"\xef\xbb\xbfa\r\nc\r\n"
    mixed = SourceFile.from_bytes(b"a\r\nb\nc", "x.txt", "text")
    assert mixed.newline == "\n" and mixed.encoded(mixed.text) == b"a\nb\nc"


@pytest.mark.parametrize(
    "pattern, path, expected",
    [
        ("drafts", "drafts/a.md", True),
        ("drafts", "team/drafts/a.md", True),
        ("drafts/", "drafts/a.md", True),
        ("*.bak", "x/y.bak", True),
        ("macros/old/*.json", "macros/old/a.json", True),
        ("macros/old/*.json", "macros/old/deeper/a.json", False),
        ("macros/**/*.json", "macros/a/b/c.json", True),
        ("**/archive", "a/b/archive/x.md", True),
        ("/docs", "docs/x.md", True),
        ("docs/x.md", "other/docs/x.md", False),
        ("macros/[!a]*.json", "macros/b.json", True),
        ("macros/[!a]*.json", "macros/a.json", False),
    ],
)
def test_folder_patterns(pattern, path, expected):
    assert matches(pattern, PurePosixPath(path)) is expected


def test_settings_files_are_found_upwards_in_ruffs_order(tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_settings_file(nested) is None or tmp_path not in find_settings_file(nested).parents
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.toneguard]\nselect = ["technical"]\n', "utf-8")
    assert find_settings_file(nested / "file.md") == tmp_path / "pyproject.toml"
    (tmp_path / "a" / "toneguard.toml").write_text('ignore = ["low"]\n', "utf-8")
    assert find_settings_file(nested) == tmp_path / "a" / "toneguard.toml"
    (tmp_path / "a" / ".toneguard.toml").write_text('min_severity = "high"\n', "utf-8")
    assert find_settings_file(nested) == tmp_path / "a" / ".toneguard.toml"
    assert Config.discover(nested).min_severity == "high"


def test_pyproject_tables_are_read_not_searched_for(tmp_path):
    (tmp_path / "pyproject.toml").write_text('tool.toneguard.select = ["TG3"]\n', "utf-8")  # dotted keys, no [tool.toneguard]
    assert Config.discover(tmp_path).select == ["TG3"]
    (tmp_path / "pyproject.toml").write_text('# toneguard is used elsewhere\n[tool.ruff]\nline-length = 100\n', "utf-8")
    assert find_settings_file(tmp_path) is None or find_settings_file(tmp_path).parent != tmp_path
    (tmp_path / "pyproject.toml").write_text("[tool.toneguard\nbroken", "utf-8")
    with pytest.raises(ConfigError, match="cannot read settings"):
        find_settings_file(tmp_path)


def test_selectors_are_checked(tmp_path):
    with pytest.raises(ValueError, match="'TG-1': give rule ids, id prefixes, categories or severities"):
        Config(select=["TG-1"])
    assert Config(select=["dismissive", "TG3", "ACME101", "high"]).select == ["dismissive", "TG3", "ACME101", "high"]


def test_tone_follows_the_selection():
    from toneguard import Analyzer

    curt = "Why would you do that?? Obviously wrong."
    only_technical = Analyzer(Config(select=["technical"])).analyze(curt)
    assert only_technical.scores["dismissive"].tone is None and only_technical.scores["dismissive"].score == 0
    by_severity = Analyzer(Config(ignore=["low"])).analyze(curt)
    assert by_severity.scores["dismissive"].tone is not None
    assert all(finding.severity != "low" for finding in by_severity.findings)


def test_json_array_rows_know_their_lines_across_chunks(tmp_path, monkeypatch):
    from toneguard._apps import row_files

    monkeypatch.setattr(row_files, "_JSON_CHUNK", 7)
    rows = [{"reply": f"reply {i}\n" * i} for i in range(6)]
    text = "[\n" + ",\n\n".join(json.dumps(row, indent=1) for row in rows) + "\n]\n"
    path = tmp_path / "export.json"
    path.write_text(text, "utf-8")
    read = list(row_files.read_rows(path))
    starts = [index for index in range(len(text)) if text.startswith('{\n "reply"', index)]
    assert [(r.row, r.line) for r in read] == [(i + 1, text.count("\n", 0, start) + 1) for i, start in enumerate(starts)]
