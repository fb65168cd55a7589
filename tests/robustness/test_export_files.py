"""Exports in the encodings help desks really produce, and output that is never half-written."""

from __future__ import annotations

import json

import pytest

from toneguard._apps.row_files import read_rows, sniff_encoding
from toneguard._apps.scan import ScanInterrupted, scan_file
from toneguard._apps.scan_output import ScanOutputError

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


def test_each_row_is_decoded_on_its_own_and_a_fallback_is_reported(tmp_path):
    path = tmp_path / "export.jsonl"
    good = json.dumps({"reply": "Thanks, fixed — all good."}, ensure_ascii=False).encode() + b"\n"
    cp1252 = json.dumps({"reply": "Merci, café réparé"}, ensure_ascii=False).encode("cp1252") + b"\n"
    path.write_bytes(cp1252 + good * 3 + cp1252)  # the first bytes are not UTF-8; the rows in between are
    rows = list(read_rows(path))
    assert [r.fields["reply"] for r in rows] == ["Merci, café réparé"] + ["Thanks, fixed — all good."] * 3 + ["Merci, café réparé"]
    assert [r.encoding for r in rows] == ["cp1252", None, None, None, "cp1252"]


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


def test_an_interrupted_scan_keeps_only_its_partial_file_and_resumes_to_the_same_output(tmp_path, analyzer):
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps({"reply": f"Thanks {i}, all fixed. Reboot."}) for i in range(600)), "utf-8")
    out = tmp_path / "results.jsonl"
    out.write_text("an older complete result\n", "utf-8")

    def interrupt(done: int, *args) -> None:
        if done >= 256:
            raise KeyboardInterrupt

    with pytest.raises(ScanInterrupted) as caught:
        scan_file(path, analyzer, out=out, on_progress=interrupt)
    assert caught.value.rows >= 256 and caught.value.partial == tmp_path / "results.jsonl.partial"
    assert out.read_text("utf-8") == "an older complete result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.jsonl", "results.jsonl", "results.jsonl.partial"]
    with pytest.raises(ScanOutputError, match="--resume"):
        scan_file(path, analyzer, out=out)  # a plain run does not throw the interrupted one's rows away

    summary = scan_file(path, analyzer, out=out, resume=True)
    assert summary.rows == 600 and summary.resumed == caught.value.rows
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.jsonl", "results.jsonl"]
    straight = tmp_path / "straight.jsonl"
    assert scan_file(path, analyzer, out=straight).model_dump(exclude={"seconds", "rows_per_second", "resumed"}) == (
        summary.model_dump(exclude={"seconds", "rows_per_second", "resumed"})
    )
    assert out.read_bytes() == straight.read_bytes()


@pytest.mark.parametrize("content", [b"", b"id,reply\r\n"])
def test_an_empty_export_gives_an_empty_complete_result(tmp_path, analyzer, content):
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    out = tmp_path / "results.jsonl"
    summary = scan_file(path, analyzer, out=out)
    assert summary.rows == 0 and out.exists() and out.read_text("utf-8") == ""
