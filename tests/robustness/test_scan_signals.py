"""`toneguard scan` under signals, as a supervisor or a terminal sends them, in real processes.

Each scan runs with two workers on a few thousand short rows; the signal goes
once results are flowing. After it: the documented exit code and one line on
how to resume, nothing at the output's path, only the partial file beside it,
no worker left alive, and ``--resume`` ends with exactly the output of a scan
never interrupted. ``benchmarks/scan_signals.py`` does this at random moments
of a 200,000-row scan.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")

ROWS = 1500
REPLIES = [
    "Just reboot the laptop and it will work.",
    "Hi Sam, thanks for waiting. I have reset your password.",
    "Please flush the DNS cache and reauthenticate via SSO.",
    "As I already said, that is not our problem.",
]


def scan_command(export: Path, out: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "toneguard", "scan", str(export), "--out", out, "--jobs", "2", "--quiet", "--exit-zero", *extra]


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "tickets.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(ROWS):
            # Long enough replies (a few milliseconds each) that a signal finds the scan still at work.
            reply = " ".join(f"{REPLIES[(i + k) % len(REPLIES)]} Ticket {i}." for k in range(24))
            handle.write(json.dumps({"id": f"T{i}", "reply": reply}) + "\n")
    return path


@pytest.fixture(scope="module")
def uninterrupted(export, tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("reference") / "results.jsonl"
    subprocess.run(scan_command(export, str(out)), check=True, capture_output=True, timeout=300)
    return out.read_bytes()


def children(pid: int) -> set[int]:
    """The processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """True unless the process is gone (or a zombie nobody has reaped yet)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def start_and_wait_for_rows(command: list[str], partial: Path, **popen) -> tuple[subprocess.Popen, set[int]]:
    """Starts the scan and returns once rows are reaching the partial file, with its worker processes."""
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, **popen)
    wait_until(lambda: partial.exists() and partial.read_bytes().count(b"\n") >= 2)
    workers = children(process.pid)
    assert len(workers) >= 2, "the scan should run two workers"
    return process, workers


@pytest.mark.parametrize(("signal_number", "exit_code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_scan_keeps_its_rows_and_resume_finishes_it(tmp_path, export, uninterrupted, signal_number, exit_code):
    out = tmp_path / "results.jsonl"
    partial = tmp_path / "results.jsonl.partial"
    process, workers = start_and_wait_for_rows(scan_command(export, str(out)), partial)
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=60)

    assert process.returncode == exit_code
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert f"stopped by {signal.Signals(signal_number).name}" in lines[0] and str(partial) in lines[0] and "--resume" in lines[0]
    wait_until(lambda: not any(alive(pid) for pid in workers), timeout=10)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.jsonl.partial"]

    resumed = subprocess.run(scan_command(export, str(out), "--resume", "--format", "json"), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert summary["rows"] == ROWS and 0 < summary["resumed"] < ROWS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.jsonl"]
    assert out.read_bytes() == uninterrupted


def test_workers_die_with_a_parent_killed_outright(tmp_path, export):
    partial = tmp_path / "results.jsonl.partial"
    process, workers = start_and_wait_for_rows(scan_command(export, str(tmp_path / "results.jsonl")), partial)
    process.kill()
    process.wait(timeout=30)
    wait_until(lambda: not any(alive(pid) for pid in workers), timeout=10)


def test_a_pipe_from_a_stopped_scan_ends_so_its_reader_does_not_hang(tmp_path, export):
    process = subprocess.Popen(
        [*scan_command(export, "-")], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    first = b""
    while b"\n" not in first:  # results are flowing (read unbuffered: communicate reads the pipe itself)
        first += os.read(process.stdout.fileno(), 1 << 16)
    workers = children(process.pid)
    process.send_signal(signal.SIGTERM)
    rest, stderr = process.communicate(timeout=60)  # returns only once every writer of the pipe has closed it
    assert process.returncode == 143
    assert b"stopped by SIGTERM" in stderr and b"--resume needs --out FILE" in stderr
    rows = [json.loads(line)["row"] for line in (first + rest).splitlines()]  # whole lines only
    assert rows == list(range(1, len(rows) + 1))
    assert not any(alive(pid) for pid in workers)


def test_resume_refuses_a_partial_file_of_another_input_and_leaves_it(tmp_path, export):
    out = tmp_path / "results.jsonl"
    partial = tmp_path / "results.jsonl.partial"
    process, _ = start_and_wait_for_rows(scan_command(export, str(out)), partial)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    kept = partial.read_bytes()

    plain = subprocess.run(scan_command(export, str(out)), capture_output=True, text=True, timeout=120)
    assert plain.returncode == 2 and "add --resume to continue it" in plain.stderr

    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"reply": "A different export."}) + "\n", "utf-8")
    refused = subprocess.run(scan_command(other, str(out), "--resume"), capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "was written for another input" in refused.stderr
    assert partial.read_bytes() == kept and not out.exists()


def test_a_full_disk_leaves_nothing_behind(tmp_path, export):
    resource = pytest.importorskip("resource")
    out = tmp_path / "results.jsonl"

    def small_files() -> None:  # writes past 100 kB fail with EFBIG, as they would on a full disk with ENOSPC
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    full = subprocess.run(scan_command(export, str(out)), capture_output=True, text=True, timeout=300, preexec_fn=small_files)
    assert full.returncode == 2
    assert full.stderr.strip() == f"toneguard: cannot write {out}: File too large; nothing was kept"
    assert list(tmp_path.iterdir()) == []
    assert ".partial" not in full.stderr
