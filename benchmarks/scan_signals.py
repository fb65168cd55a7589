"""SIGINT and SIGTERM at random moments of a 200,000-row `toneguard scan --jobs 2`, then --resume.

    python benchmarks/scan_signals.py [--rows 200000] [--signals 20] [--max-delay 12] [--shared ../shared]

The export is the TWCS agent replies in ../shared/data (with their customer messages), repeated to
--rows, each made unique. One uninterrupted scan gives the reference output. Then scans are
started and stopped again and again: each gets SIGINT or SIGTERM (--signals of each, in random
order) after a random delay of 0..--max-delay seconds, which lands anywhere from start-up to the
final copy; the next run adds --resume. When a run finishes before its signal, its output is
compared with the reference and a fresh scan begins. After every signal it checks: the exit code
(128 + the signal, or the signal itself when it came before toneguard had set up its handlers),
nothing at the output's path, no file beside it but the documented partial one, and no worker
left alive. The last chain is resumed to the end and compared too. Prints every figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path

HERE = Path(__file__).resolve().parent


def write_export(path: Path, rows: int, shared: Path) -> None:
    source = shared / "data" / "twcs" / "agent_replies_dev.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        pairs = [(row["reply_text"], row["customer_text"]) for row in csv.DictReader(handle)]
    with path.open("w", encoding="utf-8") as out:
        for i, (reply, customer) in enumerate(islice(cycle(pairs), rows)):
            out.write(json.dumps({"id": i, "reply": f"{reply} #{i}", "customer": customer}) + "\n")


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (read from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def command(export: Path, out: Path, resume: bool) -> list[str]:
    return [sys.executable, "-m", "toneguard", "scan", str(export), "--out", str(out), "--jobs", "2", "--quiet",
            "--exit-zero", "--format", "json", *(["--resume"] if resume else [])]


def run_to_end(export: Path, out: Path, resume: bool) -> tuple[float, dict]:
    started = time.monotonic()
    done = subprocess.run(command(export, out, resume), capture_output=True, text=True, check=True)
    return time.monotonic() - started, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--signals", type=int, default=20, help="of each kind")
    parser.add_argument("--max-delay", type=float, default=12.0)
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="toneguard-signals-") as folder:
        soak(Path(folder), args)


def soak(folder: Path, args: argparse.Namespace) -> None:
    """The uninterrupted scan, the signalled runs and the final resume, all inside ``folder``."""
    chooser = random.Random(args.seed)
    export = folder / "tickets.jsonl"
    write_export(export, args.rows, args.shared)
    results = folder / "out"
    results.mkdir()
    out = results / "results.jsonl"

    seconds, summary = run_to_end(export, out, resume=False)
    reference = out.read_bytes()
    out.unlink()
    print(f"uninterrupted: {summary['rows']:,} rows in {seconds:.0f} s ({summary['rows_per_second']:,.0f} rows/s)")

    plan = [signal.SIGINT] * args.signals + [signal.SIGTERM] * args.signals
    chooser.shuffle(plan)
    exit_codes: dict[str, dict[int, int]] = {"SIGINT": {}, "SIGTERM": {}}
    orphans = wrong_files = at_output = unclear = 0
    finished_chains = identical = 0
    resume = False
    for number in plan:
        name = signal.Signals(number).name
        delay = chooser.uniform(0, args.max_delay)
        process = subprocess.Popen(command(export, out, resume), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        seen: set[int] = set()
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and process.poll() is None:
            seen |= descendants(process.pid)
            time.sleep(0.05)
        if process.poll() is None:
            seen |= descendants(process.pid)
            process.send_signal(number)
        _, stderr = process.communicate()
        code = process.returncode
        exit_codes[name][code] = exit_codes[name].get(code, 0) + 1
        time.sleep(0.5)  # the kernel's SIGKILL to a dead parent's workers is immediate; reaping is not
        orphans += sum(alive(pid) for pid in seen)
        names = sorted(p.name for p in results.iterdir())
        if code == 0:  # finished before the signal
            finished_chains += 1
            identical += out.read_bytes() == reference
            out.unlink()
            resume = False
            continue
        at_output += out.exists()
        wrong_files += names not in ([], ["results.jsonl.partial"])
        if code == 128 + number and "results.jsonl.partial" in names and "--resume" not in stderr:
            unclear += 1
        resume = "results.jsonl.partial" in names

    seconds, summary = run_to_end(export, out, resume=resume)
    finished_chains += 1
    identical += out.read_bytes() == reference
    leftovers = sorted(p.name for p in results.iterdir() if p.name != "results.jsonl")

    print(f"{len(plan)} signals ({args.signals} SIGINT, {args.signals} SIGTERM), each 0..{args.max_delay:g} s into a run")
    for name, codes in exit_codes.items():
        shown = ", ".join(f"{code}: {count}" for code, count in sorted(codes.items()))
        print(f"  {name} exit codes: {shown}   (0 = the run finished first; -N = killed before its handlers were set)")
    print(f"  workers left alive after their scan ended: {orphans}")
    print(f"  runs that left something at the output's path: {at_output}")
    print(f"  runs that left a file other than the one partial file: {wrong_files}")
    print(f"  runs that kept a partial file without saying how to resume: {unclear}")
    print(f"  chains resumed to the end: {finished_chains}, output identical to the uninterrupted run: {identical}")
    print(f"  last --resume: {summary['resumed']:,} rows taken from the partial file, {summary['rows']:,} in all, "
          f"in {seconds:.0f} s; left beside the output: {leftovers or 'nothing'}")


if __name__ == "__main__":
    main()
