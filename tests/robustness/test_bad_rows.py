"""Malformed exports: every row comes out, as a result or as an error row naming its line; nothing aborts the scan.

Rows in = rows out + error rows, for each way an export from a real help desk
goes wrong: a field too long, a quote that never closes, JSON nested too deep,
rows in two encodings, a file cut off part way, a JSON array broken in the
middle, and a row whose analysis fails.
"""

from __future__ import annotations

import gzip
import json

import pytest
from typer.testing import CliRunner

from toneguard import Analyzer
from toneguard._apps.row_files import MAX_ROW_BYTES
from toneguard._apps.scan import scan_file
from toneguard._cli import app

GOOD = [f"Thanks for waiting, ticket {i} is fixed now." for i in range(8)]


def scanned(analyzer, path, tmp_path):
    """The records of a scan of ``path``, and its summary."""
    out = tmp_path / "results.jsonl"
    summary = scan_file(path, analyzer, out=out)
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert summary.rows == len(records) == summary.analyzed + summary.skipped
    return records, summary


def csv_lines(bad_line: str) -> str:
    """A CSV export: the header, three good rows, the bad one (line 5), then five good rows."""
    rows = [f'{i},"{text}"\n' for i, text in enumerate(GOOD)]
    return "id,reply\n" + "".join(rows[:3]) + bad_line + "".join(rows[3:])


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        ('99,"' + "word " * (MAX_ROW_BYTES // 5 + 10) + '"\n', f"a line longer than {MAX_ROW_BYTES:,} bytes"),
        ('99,"Hello, this quote never closes\n', "not valid CSV (',' expected after '\"') (an unbalanced quote?)"),
        ('99,"a "quoted" word",x\n', "not valid CSV (',' expected after '\"')"),
        ("99,one,two\n", "has 3 fields but the header has 2"),
    ],
    ids=["long-field", "unbalanced-quote", "stray-quote", "extra-field"],
)
def test_a_broken_csv_row_is_an_error_row_and_every_other_row_is_read(tmp_path, analyzer, bad_line, problem):
    path = tmp_path / "export.csv"
    path.write_text(csv_lines(bad_line), "utf-8")
    records, summary = scanned(analyzer, path, tmp_path)
    assert [r["row"] for r in records] == list(range(1, 10))
    assert [r["line"] for r in records] == list(range(2, 11))  # one per line after the header
    assert [(r["row"], r["line"], r["skipped"]) for r in records if "skipped" in r] == [(4, 5, problem)]
    assert summary.skip_first_lines == {problem: 5}


def test_an_unbalanced_quote_in_plain_fields_swallows_no_rows(tmp_path, analyzer):
    path = tmp_path / "export.csv"
    path.write_text('id,reply\n1,fine\n2,"never closes\n3,fine too\n4,ok\n', "utf-8")
    records, _ = scanned(analyzer, path, tmp_path)
    assert [(r["line"], r.get("skipped")) for r in records] == [
        (2, None), (3, "not valid CSV (unexpected end of data) (an unbalanced quote?)"), (4, None), (5, None)
    ]


def test_a_quoted_field_over_several_lines_is_one_row(tmp_path, analyzer):
    path = tmp_path / "export.csv"
    path.write_text('id,reply\n1,"Hi Sam,\nthanks for waiting.\n\nJo"\n2,ok\n', "utf-8")
    records, _ = scanned(analyzer, path, tmp_path)
    assert [(r["row"], r["line"], r.get("skipped")) for r in records] == [(1, 2, None), (2, 6, None)]


def test_json_nested_too_deeply_is_an_error_row(tmp_path, analyzer):
    path = tmp_path / "export.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    path.write_text("\n".join([json.dumps({"reply": GOOD[0]}), deep, json.dumps({"reply": GOOD[1]})]) + "\n", "utf-8")
    records, _ = scanned(analyzer, path, tmp_path)
    assert [(r["line"], r.get("skipped")) for r in records] == [(1, None), (2, "not valid JSON (nested too deeply)"), (3, None)]


def test_rows_in_two_encodings_are_each_read_right_and_the_fallback_is_reported(tmp_path, analyzer):
    path = tmp_path / "export.jsonl"
    utf8 = json.dumps({"reply": "Merci, le café est réparé."}, ensure_ascii=False)
    path.write_bytes((utf8 + "\n").encode() + (utf8 + "\n").encode("cp1252") + (utf8 + "\n").encode())
    records, summary = scanned(analyzer, path, tmp_path)
    assert [r.get("encoding") for r in records] == [None, "cp1252", None]
    assert summary.fallback_encodings == {"cp1252": 1} and summary.fallback_first_line == 2
    assert {r["result"]["words"] for r in records} == {5}  # "café" read whole each time, never garbled


@pytest.mark.parametrize("name", ["export.jsonl.gz", "export.csv.gz"])
def test_a_cut_off_gzip_keeps_every_row_before_the_cut(tmp_path, analyzer, name):
    lines = [json.dumps({"reply": f"{GOOD[i % 8]} {i}"}) for i in range(3000)]
    if name.startswith("export.csv"):
        lines = ["reply"] + [f'"{GOOD[i % 8]} {i}"' for i in range(3000)]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    path = tmp_path / name
    path.write_bytes(data[: len(data) // 2])
    records, _ = scanned(analyzer, path, tmp_path)
    *read, last = records
    assert len(read) > 100 and all("skipped" not in r for r in read)
    assert last["row"] == read[-1]["row"] + 1 and last["line"] > read[-1]["line"]
    assert last["skipped"].startswith("the file ends early or is damaged here")


def test_a_json_array_broken_part_way_keeps_the_rows_before(tmp_path, analyzer):
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"reply": text} for text in GOOD[:3]])[:-1] + ', {"reply": "cut', "utf-8")
    records, _ = scanned(analyzer, path, tmp_path)
    assert [r["row"] for r in records] == [1, 2, 3, 4] and {r["line"] for r in records} == {1}
    assert records[-1]["skipped"].endswith("the rest of the file cannot be read")


class FailsOnOneReply(Analyzer):
    def analyze(self, reply, customer=None, context=None, **options):
        if "explode" in reply:
            raise RuntimeError("a bug")
        return super().analyze(reply, customer, context, **options)


def test_a_row_whose_analysis_fails_is_an_error_row(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_text("".join(json.dumps({"reply": text}) + "\n" for text in [GOOD[0], "explode", GOOD[1]]), "utf-8")
    records, summary = scanned(FailsOnOneReply(), path, tmp_path)
    assert [(r["line"], r.get("skipped")) for r in records] == [(1, None), (2, "the analysis failed (RuntimeError)"), (3, None)]


def test_unusable_destinations_are_refused_before_the_analyzer_loads(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "export.jsonl").write_text(json.dumps({"reply": GOOD[0]}) + "\n", "utf-8")
    (tmp_path / "taken.jsonl").mkdir()
    runner = CliRunner()
    for options, message in (
        (["--out", "taken.jsonl"], "taken.jsonl: is a folder; give a file name"),
        (["--out", "missing/results.jsonl"], "missing/results.jsonl: the folder missing does not exist"),
        (["--out", "results.txt"], "results.txt: cannot tell the output format"),
        (["--out", "ok.jsonl", "--report", "missing/report.html"], "missing/report.html: the folder missing does not exist"),
        (["--out", "-", "--resume"], "--resume continues the partial file beside --out FILE"),
    ):
        result = runner.invoke(app, ["scan", "export.jsonl", *options, "--rules", "does-not-exist.yaml"])
        # The missing rules file is never reached: the destinations fail first.
        assert result.exit_code == 2 and message in result.output, (options, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.jsonl", "taken.jsonl"]
