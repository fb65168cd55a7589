"""Batch analysis: analyze_many, `toneguard scan` (order, gz, outputs, summary, HTML report), pandas."""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toneguard import Category
from toneguard._apps.replies import Columns
from toneguard._apps.scan import scan_file
from toneguard._cli import app

from conftest import SAMPLE_REPLIES

runner = CliRunner()

CUSTOMERS = ["My laptop is broken!", "", "I can't log in", "Still broken??", "Can you help me with my VPN today?", "", "", ""]
AGENTS = ["ana", "ben", "cy"]


def export_rows(count: int = 48) -> list[dict]:
    """Unique replies (a ticket number keeps each distinct) over three agents and three months."""
    rows = []
    for i in range(count):
        reply = f"{SAMPLE_REPLIES[i % len(SAMPLE_REPLIES)]} Ticket {i}."
        rows.append(
            {
                "ticket": f"T{i:03d}",
                "agent": AGENTS[i % 3],
                "team": "desk" if i % 2 else "field",
                "sent": f"2025-0{1 + i % 3}-{1 + i % 27:02d}T10:00:00",
                "reply": reply,
                "customer": CUSTOMERS[i % len(CUSTOMERS)],
            }
        )
    rows[5]["reply"] = "   "  # skipped: blank
    rows[7]["sent"] = "someday"  # analysed, but undated
    return rows


def write_csv(path: Path, rows: list[dict]) -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, rows: list[dict], extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(row) for row in rows] + list(extra_lines)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def scan_args(source: Path, out: Path, *extra: str) -> list[str]:
    return ["scan", str(source), "--id-column", "ticket", "--out", str(out), "--quiet", *extra]


# ---------------------------------------------------------------------------
# analyze_many


def test_analyze_many_matches_analyze_in_order_across_processes(analyzer):
    pairs = [(row["reply"], row["customer"] or None) for row in export_rows(40) if row["reply"].strip()]
    expected = [analyzer.analyze(reply, customer) for reply, customer in pairs]
    assert list(analyzer.analyze_many(pairs, n_process=2)) == expected
    assert list(analyzer.analyze_many([reply for reply, _ in pairs[:5]])) == [
        analyzer.analyze(reply) for reply, _ in pairs[:5]
    ]


def test_analyze_many_streams_an_endless_input(analyzer):
    endless = (f"Reboot it, ticket {i}." for i in itertools.count())
    first = list(itertools.islice(analyzer.analyze_many(endless, n_process=2), 3))
    assert [report.reply for report in first] == [f"Reboot it, ticket {i}." for i in range(3)]


def test_analyze_many_rejects_zero_processes(analyzer):
    with pytest.raises(ValueError, match="n_process"):
        list(analyzer.analyze_many(["hi"], n_process=0))


# ---------------------------------------------------------------------------
# toneguard scan


@pytest.fixture(autouse=True)
def shared_analyzer(monkeypatch, analyzer):
    """The CLI would build an Analyzer per run (seconds each); these tests are about what it does with one."""
    monkeypatch.setattr("toneguard._cli.common.build_analyzer", lambda config: analyzer)


def test_jobs_keep_order_and_row_count(tmp_path):
    rows = export_rows()
    source = write_csv(tmp_path / "export.csv", rows)
    single, double = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first = runner.invoke(app, scan_args(source, single, "--jobs", "1"))
    second = runner.invoke(app, scan_args(source, double, "--jobs", "2"))
    assert first.exit_code == second.exit_code == 1, first.output + second.output  # 1: something is flagged
    assert runner.invoke(app, scan_args(source, tmp_path / "zero.jsonl", "--exit-zero")).exit_code == 0
    records = read_jsonl(double)
    assert [r["id"] for r in records] == [row["ticket"] for row in rows]
    assert [r["row"] for r in records] == list(range(1, len(rows) + 1))  # records, the header not one of them
    assert [r["line"] for r in records] == list(range(2, len(rows) + 2))  # CSV lines after the header
    assert double.read_text("utf-8") == single.read_text("utf-8")
    skipped = [r for r in records if "skipped" in r]
    assert [r["id"] for r in skipped] == ["T005"] and "empty text" in skipped[0]["skipped"]
    flagged = records[0]["result"]
    assert "clipped" in flagged["categories"] or "dismissive" in flagged["categories"]
    assert {"rule_id", "category", "start", "end", "text"} <= set(flagged["findings"][0])


def test_gzip_input_gives_the_same_results(tmp_path, analyzer):
    rows, columns = export_rows(24), Columns(id="ticket")
    plain = scan_file(write_csv(tmp_path / "a.csv", rows), analyzer, columns, tmp_path / "a.jsonl")
    zipped = scan_file(write_csv(tmp_path / "b.csv.gz", rows), analyzer, columns, tmp_path / "b.jsonl")
    jsonl = scan_file(write_jsonl(tmp_path / "c.jsonl.gz", rows), analyzer, columns, tmp_path / "c.jsonl")
    strip_lines = lambda path: [{**r, "line": None} for r in read_jsonl(path)]  # noqa: E731 - CSV has a header line
    assert (tmp_path / "b.jsonl").read_text("utf-8") == (tmp_path / "a.jsonl").read_text("utf-8")
    assert strip_lines(tmp_path / "c.jsonl") == strip_lines(tmp_path / "a.jsonl")
    timing = {"source", "seconds", "rows_per_second"}
    assert plain.model_dump(exclude=timing) == zipped.model_dump(exclude=timing)
    assert (jsonl.rows, jsonl.skipped, jsonl.flagged) == (plain.rows, plain.skipped, plain.flagged)


def test_summary_counts_add_up(tmp_path):
    rows = export_rows()
    source = write_jsonl(tmp_path / "export.jsonl", rows, extra_lines=("{broken", "[1, 2]"))
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, scan_args(source, out, "--group-by", "agent,team", "--date-column", "sent", "--format", "json"))
    assert result.exit_code == 1, result.output
    summary = json.loads(result.output)
    records = read_jsonl(out)
    assert summary["rows"] == len(records) == len(rows) + 2
    assert summary["rows"] == summary["analyzed"] + summary["skipped"]
    assert summary["skipped"] == sum(summary["skip_reasons"].values()) == 3
    assert any(reason.startswith("not valid JSON") for reason in summary["skip_reasons"])
    analysed = [r["result"] for r in records if "result" in r]
    assert len(analysed) == summary["analyzed"]
    for category in Category:
        assert summary["flagged"][category.value] == sum(category.value in r["categories"] for r in analysed)
    assert summary["flagged_any"] == sum(bool(r["categories"]) for r in analysed)
    assert sum(summary["score_histogram"]) == summary["analyzed"]
    behind_flags = Counter(f["rule_id"] for r in analysed for f in r["findings"] if f["category"] in r["categories"])
    every_finding = Counter(f["rule_id"] for r in analysed for f in r["findings"])
    assert {rule["rule_id"]: rule["count"] for rule in summary["top_rules"]} == dict(behind_flags.most_common(12))
    assert all(rule["total"] == every_finding[rule["rule_id"]] for rule in summary["top_rules"])
    for column in ("agent", "team"):
        assert sum(group["rows"] for group in summary["groups"][column]) == summary["analyzed"]
    assert summary["trend_unit"] == "week"  # three months of dates
    assert sum(point["rows"] for point in summary["trend"]) + summary["undated"] == summary["analyzed"]
    assert summary["undated"] == 1


def test_text_summary_and_csv_and_parquet_outputs(tmp_path):
    rows = export_rows(12)
    source = write_csv(tmp_path / "export.csv", rows)
    result = runner.invoke(app, scan_args(source, tmp_path / "out.csv", "--group-by", "agent"))
    assert "12 rows read, 11 analysed, 1 skipped" in result.output
    assert "Top rules" in result.output and "Worst agent" in result.output
    with (tmp_path / "out.csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [row["id"] for row in table] == [row["ticket"] for row in rows]
    assert {"group_agent", "score", "flagged", "dismissive", "rules", "rewrite"} <= set(table[0])
    pq = pytest.importorskip("pyarrow.parquet")
    runner.invoke(app, scan_args(source, tmp_path / "out.parquet"))
    parquet = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [row["id"] for row in parquet] == [row["ticket"] for row in rows]
    assert [row["score"] for row in parquet] == [int(row["score"]) if row["score"] else None for row in table]


def test_html_report_has_every_plot_and_no_network(tmp_path):
    source = write_csv(tmp_path / "export.csv", export_rows())
    report = tmp_path / "report.html"
    result = runner.invoke(
        app,
        scan_args(source, tmp_path / "o.jsonl", "--group-by", "team", "--agent-column", "agent", "--date-column", "sent",
                  "--report", str(report), "--min-sample", "5"),
    )
    assert result.exit_code == 1, result.output
    html = report.read_text("utf-8")
    for section in ("flags", "scores", "rules", "groups-team", "trend"):
        match = re.search(rf'<section id="{section}"[^>]*>(.*?)</section>', html, re.S)
        assert match, f"no {section} section"
        assert "<svg" in match.group(1), f"the {section} section has no plot"
    agents = re.search(r'<section id="agents">(.*?)</section>', html, re.S).group(1)
    assert sorted(re.findall(r"<tr><td>([^<]+)</td>", agents)) == AGENTS
    assert "<mark>" in html  # example spans are highlighted
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched: viewable offline
    assert "<script" not in html


def test_report_without_dates_has_no_trend(tmp_path):
    source = write_csv(tmp_path / "export.csv", export_rows(12))
    report = tmp_path / "r.html"
    runner.invoke(app, [*scan_args(source, tmp_path / "o.jsonl"), "--report", str(report)])
    html = report.read_text("utf-8")
    assert 'id="flags"' in html and 'id="trend"' not in html


def test_missing_columns_are_a_usage_error(tmp_path):
    source = write_csv(tmp_path / "export.csv", export_rows(8))
    result = runner.invoke(app, scan_args(source, tmp_path / "o.jsonl", "--group-by", "region", "--text-column", "body"))
    assert result.exit_code == 2
    assert "no text column 'body', no group-by column 'region'" in result.output
    bad_out = runner.invoke(app, scan_args(source, tmp_path / "o.xlsx"))
    assert bad_out.exit_code == 2 and "output format" in bad_out.output


# ---------------------------------------------------------------------------
# pandas


def test_analyze_frame_adds_columns_and_leaves_blank_rows_empty(analyzer):
    pd = pytest.importorskip("pandas")
    from toneguard.pandas import analyze_frame

    frame = pd.DataFrame({"reply": ["Just reboot it.", None, "Thanks, it is fixed now!"], "customer": ["Help!", "x", None]})
    result = analyze_frame(frame, text="reply", customer="customer", analyzer=analyzer)
    assert list(result.columns[:2]) == ["reply", "customer"] and len(result) == 3
    expected = analyzer.analyze("Just reboot it.", "Help!")
    assert result.loc[0, "tg_score"] == expected.score
    assert result.loc[0, "tg_categories"] == ";".join(c.value for c in expected.categories)
    assert result.loc[0, "tg_rewrite"] == expected.rewrite
    assert result["tg_score"].isna().tolist() == [False, True, False]
    with pytest.raises(KeyError, match="body"):
        analyze_frame(frame, text="body", analyzer=analyzer)

