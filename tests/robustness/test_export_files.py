"""Exports in the encodings help desks really produce, and output that is never half-written."""

from __future__ import annotations

import json

import pytest

from toneguard._apps.row_files import read_rows, sniff_encoding
from toneguard._apps.scan import scan_file

ROWS = [("1", "Obviously you should have rebooted."), ("2", "Merci, café réparé — thanks for waiting!")]


def _csv_text() -> str:
    return "id,reply\r\n" + "".join(f'{i},"{text}"\r\n' for i, text in ROWS)


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252")],
)
def test_csv_in_common_encodings_reads_every_row_intact(tmp_path, encoding, expected):
    path = tmp_path / "export.csv"
    path.write_bytes(_csv_text().encode(encoding))
    assert sniff_encoding(path.read_bytes()[:4096]) == expected
    rows = list(read_rows(path))
    assert [(r.fields["id"], r.fields["reply"]) for r in rows] == ROWS


def test_a_row_with_bytes_invalid_in_the_file_encoding_is_an_error_row(tmp_path):
    path = tmp_path / "export.jsonl"
    good = json.dumps({"reply": "Thanks, fixed — all good."}).encode() + b"\n"
    lead = 3000  # past the bytes the encoding is sniffed from, so the file reads as UTF-8
    path.write_bytes(good * lead + b'{"reply": "bad \xff\xfe byte"}\n' + good)
    rows = list(read_rows(path))
    assert len(rows) == lead + 2
    assert rows[lead].fields is None and "not valid utf-8" in rows[lead].problem
    assert all(r.fields for i, r in enumerate(rows) if i != lead)


def test_a_latin1_file_is_read_not_refused(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_bytes(json.dumps({"reply": "café"}, ensure_ascii=False).encode("latin-1") + b"\n")
    assert [r.fields["reply"] for r in read_rows(path)] == ["café"]


def test_rows_in_equal_rows_out_plus_error_rows(tmp_path, analyzer):
    path = tmp_path / "export.csv"
    path.write_text('id,reply\n1,"Thanks, fixed."\n2,"too","many","fields"\n3,\n4,"Obviously."\n', "utf-8")
    out = tmp_path / "results.jsonl"
    summary = scan_file(path, analyzer, out=out)
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(line["row"], line["line"]) for line in lines] == [(1, 2), (2, 3), (3, 4), (4, 5)]
    assert summary.rows == 4 and summary.analyzed + summary.skipped == 4
    assert sum(1 for line in lines if line.get("skipped")) == summary.skipped == 2


def test_an_interrupted_scan_leaves_no_file_under_the_requested_name(tmp_path, analyzer, monkeypatch):
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps({"reply": f"Thanks {i}, all fixed."}) for i in range(50)), "utf-8")
    out = tmp_path / "results.jsonl"
    out.write_text("an older complete result\n", "utf-8")

    def interrupt(done: int, *args) -> None:
        if done >= 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        scan_file(path, analyzer, out=out, on_progress=interrupt)
    assert out.read_text("utf-8") == "an older complete result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.jsonl", "results.jsonl"]
    scan_file(path, analyzer, out=out)
    assert len(out.read_text("utf-8").splitlines()) == 50


@pytest.mark.parametrize("content", [b"", b"id,reply\r\n"])
def test_an_empty_export_gives_an_empty_complete_result(tmp_path, analyzer, content):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    out = tmp_path / "results.jsonl"
    summary = scan_file(path, analyzer, out=out)
    assert summary.rows == 0 and out.exists() and out.read_text("utf-8") == ""
