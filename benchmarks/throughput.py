"""Speed and memory of toneguard beside its peers, measured in the same run on the same replies.

    python benchmarks/throughput.py [--rows 20000] [--rss-rows 1000000] [--shared ../shared] [--json]

Replies are the TWCS agent replies in ../shared/data, repeated to --rows and each made unique
(a different @handle) so no cache flatters anyone. Prints replies/s and single-call p50/p99 for:
toneguard in one process, with the customer message and reply only; the floor of those two (the
stages no design skips: normalising, tokenizing and VADER); `toneguard scan` with --jobs
1 and 2 (rows/s from its summary, so start-up is excluded; start-up is the cold-start line);
VADER alone; textstat alone; proselint; write-good through node when it is installed (`npm ci`
in benchmarks/, or `npm install write-good` there or globally). Then the cold start of
`toneguard check`, and RSS after 10k rows vs --rss-rows rows.

The in-process lines also give CPU figures (replies per CPU second, and the p99 of each call's
CPU time), which hold on a machine that other work shares: wall-clock figures there measure the
load as much as the code.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import cycle, islice
from pathlib import Path
from typing import Callable, Iterator

HERE = Path(__file__).resolve().parent
TOOL = Path(sys.executable).with_name("toneguard")
_HANDLE = re.compile(r"^@\w+\s*")
csv.field_size_limit(10**8)


def twcs_pairs(shared: Path) -> list[tuple[str, str]]:
    with (shared / "data" / "twcs" / "agent_replies_dev.csv").open(encoding="utf-8", newline="") as handle:
        return [(row["reply_text"], row["customer_text"]) for row in csv.DictReader(handle) if row["reply_text"].strip()]


def unique_pairs(base: list[tuple[str, str]], count: int) -> Iterator[tuple[str, str]]:
    """``count`` replies cycling through ``base``, each reply and customer message from its own @handle."""
    for number, (reply, customer) in enumerate(islice(cycle(base), count)):
        handle = f"@{200000 + number}"
        yield f"{handle} {_HANDLE.sub('', reply)}", f"{handle} {customer}"


def timed(name: str, calls: Iterator[Callable[[], object]], note: str = "") -> dict:
    latencies, cpu_times = [], []
    started, cpu_started = time.perf_counter(), time.process_time()
    for call in calls:
        start, cpu_start = time.perf_counter_ns(), time.thread_time_ns()
        call()
        latencies.append(time.perf_counter_ns() - start)
        cpu_times.append(time.thread_time_ns() - cpu_start)
    total, cpu_total = time.perf_counter() - started, time.process_time() - cpu_started
    cuts, cpu_cuts = statistics.quantiles(latencies, n=100), statistics.quantiles(cpu_times, n=100)
    return {
        "name": name,
        "replies_per_s": round(len(latencies) / total, 1),
        "p50_ms": round(cuts[49] / 1e6, 3),
        "p99_ms": round(cuts[98] / 1e6, 3),
        "replies_per_cpu_s": round(len(latencies) / cpu_total, 1) if cpu_total else None,
        "cpu_p99_ms": round(cpu_cuts[98] / 1e6, 3),
        "note": note,
    }


def measure_toneguard(pairs: list[tuple[str, str]]) -> list[dict]:
    import toneguard

    analyzer = toneguard.Analyzer()
    analyzer.analyze("Warm-up reply.", "warm-up")
    return [
        timed("toneguard, with customer", ((lambda r=r, c=c: analyzer.analyze(r, c)) for r, c in pairs)),
        timed("toneguard, reply only", ((lambda r=r: analyzer.analyze(r)) for r, _ in pairs)),
    ]


def measure_floor(pairs: list[tuple[str, str]]) -> list[dict]:
    """The stages every reply and customer message pass through, however the rest is built.

    Normalising (what is prose), spaCy's tokenizer and VADER: a report's metrics hold the words
    and sentiment of both texts, so no design skips them. Their rate bounds toneguard's own.
    """
    import toneguard
    from toneguard._text.normalize import normalize

    analyzer = toneguard.Analyzer()
    tokenize, sentiment = analyzer._engine.pipeline.doc, analyzer._sentiment.score  # the analyzer's own stages

    def floor(*texts: str) -> None:
        for text in texts:
            masked = normalize(text).masked
            tokenize(masked)
            sentiment(masked)

    note = "normalise + tokenize + VADER only"
    return [
        timed("floor, with customer", ((lambda r=r, c=c: floor(r, c)) for r, c in pairs), note),
        timed("floor, reply only", ((lambda r=r: floor(r)) for r, _ in pairs), note),
    ]


def measure_scan(pairs: list[tuple[str, str]], jobs: int, workdir: Path) -> dict:
    source = workdir / "replies.csv"
    if not source.exists():
        with source.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["id", "reply", "customer"])
            writer.writerows((i, r, c) for i, (r, c) in enumerate(pairs))
    command = [str(TOOL), "scan", str(source), "--jobs", str(jobs), "--quiet", "--format", "json", "--out", str(workdir / "out.jsonl")]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise RuntimeError(f"toneguard scan failed: {done.stderr}")
    summary = json.loads(done.stdout)
    return {
        "name": f"toneguard scan --jobs {jobs}",
        "replies_per_s": summary["rows_per_second"],
        "p50_ms": None,
        "p99_ms": None,
        "replies_per_cpu_s": None,
        "cpu_p99_ms": None,
        "note": f"{summary['rows']:,} rows; {wall:.1f} s wall including start-up",
    }


def measure_vader(pairs: list[tuple[str, str]]) -> dict:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    vader = SentimentIntensityAnalyzer()
    return timed("VADER alone", ((lambda r=r: vader.polarity_scores(r)) for r, _ in pairs))


def measure_textstat(pairs: list[tuple[str, str]]) -> dict:
    import textstat

    def offline_counts(text: str) -> tuple[int, int, int]:
        return textstat.lexicon_count(text), textstat.sentence_count(text), textstat.char_count(text)

    return timed(
        "textstat alone",
        ((lambda r=r: offline_counts(r)) for r, _ in pairs),
        note="lexicon/sentence/char counts only: its syllable-based scores download cmudict (not offline)",
    )


def measure_proselint(pairs: list[tuple[str, str]]) -> dict | None:
    try:
        from proselint.checks import __register__
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile
    except ImportError:
        return None
    CheckRegistry().register_many(__register__)
    return timed("proselint", ((lambda r=r: LintFile("<reply>", r).lint()) for r, _ in pairs))


def measure_write_good(pairs: list[tuple[str, str]], workdir: Path) -> dict | None:
    node = shutil.which("node")
    if node is None:
        return None
    replies = workdir / "replies.json"
    replies.write_text(json.dumps([r for r, _ in pairs]), encoding="utf-8")
    script = """
const writeGood = require('write-good');
const replies = require(process.argv[1]);
writeGood('Warm up.');
const latencies = [];
const started = process.hrtime.bigint();
for (const reply of replies) { const t = process.hrtime.bigint(); writeGood(reply); latencies.push(Number(process.hrtime.bigint() - t)); }
const total = Number(process.hrtime.bigint() - started) / 1e9;
latencies.sort((a, b) => a - b);
const at = q => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] / 1e6;
console.log(JSON.stringify({rate: replies.length / total, p50: at(0.5), p99: at(0.99)}));
"""
    env = {**os.environ, "NODE_PATH": os.pathsep.join([str(HERE / "node_modules"), "/tmp/wg/node_modules"])}
    done = subprocess.run([node, "-e", script, str(replies)], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        return {"name": "write-good (node)", "replies_per_s": None, "p50_ms": None, "p99_ms": None, "note": "not installed"}
    result = json.loads(done.stdout)
    return {
        "name": "write-good (node)",
        "replies_per_s": round(result["rate"], 1),
        "p50_ms": round(result["p50"], 3),
        "p99_ms": round(result["p99"], 3),
        "note": "reply only; wall-clock timing inside node",
    }


def cold_start(runs: int = 3) -> dict:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([str(TOOL), "check", "Please reboot your laptop.", "--color", "never"], capture_output=True)
        times.append(time.perf_counter() - started)
    return {"cold_start_s": round(statistics.median(times), 2), "runs": [round(t, 2) for t in times]}


def rss_probe(shared: Path, rows: int) -> dict:
    """Run in a fresh process: RSS after 10k rows and after ``rows``, and the highest RSS seen.

    The peak is sampled every 1,000 rows rather than read from ``ru_maxrss``, which Linux carries
    over from the parent that started this process (the benchmark itself, holding its own Analyzer).
    """
    import psutil

    import toneguard

    analyzer = toneguard.Analyzer()
    process = psutil.Process()
    marks = {}
    peak = process.memory_info().rss
    started = time.perf_counter()
    for done, (reply, customer) in enumerate(unique_pairs(twcs_pairs(shared), rows), 1):
        analyzer.analyze(reply, customer)
        if done % 1_000 == 0 or done in (10_000, rows):
            rss = process.memory_info().rss
            peak = max(peak, rss)
            if done in (10_000, rows):
                marks[done] = round(rss / 2**20, 1)
    return {
        "rss_mb_after": marks,
        "peak_rss_mb": round(peak / 2**20, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rss-rows", type=int, default=1_000_000, help="rows for the memory-flatness probe (>= 10000)")
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rss-probe", type=int, help=argparse.SUPPRESS)  # the probe's own fresh process
    args = parser.parse_args()
    if args.rss_probe:
        print(json.dumps(rss_probe(args.shared, args.rss_probe)))
        return
    pairs = list(unique_pairs(twcs_pairs(args.shared), args.rows))
    results = []
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        results.extend(measure_toneguard(pairs))
        results.extend(measure_floor(pairs))
        results.extend(measure_scan(pairs, jobs, workdir) for jobs in (1, 2))
        results.append(measure_vader(pairs))
        results.append(measure_textstat(pairs))
        results.extend(r for r in (measure_proselint(pairs), measure_write_good(pairs, workdir)) if r)
    start = cold_start()
    probe = subprocess.run(
        [sys.executable, __file__, "--shared", str(args.shared), "--rss-probe", str(max(args.rss_rows, 10_000))],
        capture_output=True,
        text=True,
        check=True,
    )
    memory = json.loads(probe.stdout)
    scan_rates = {r["name"]: r["replies_per_s"] for r in results if r["name"].startswith("toneguard scan")}
    speedup = scan_rates["toneguard scan --jobs 2"] / scan_rates["toneguard scan --jobs 1"]
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "rows": args.rows,
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 2),
        "results": results,
        "jobs_2_speedup": round(speedup, 2),
        **start,
        **memory,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    load = os.getloadavg()[0]
    print(f"{report['date']}: {args.rows:,} unique TWCS replies, {os.cpu_count()} CPUs, load average {load:.2f} at the end\n")
    print(f"{'':<28}{'replies/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'/CPU-s':>9}{'CPU p99':>9}  note")
    for r in results:
        cells = [
            "-" if r.get(field) is None else format(r[field], spec)
            for field, spec in (("replies_per_s", ",.0f"), ("p50_ms", ".3f"), ("p99_ms", ".3f"), ("replies_per_cpu_s", ",.0f"), ("cpu_p99_ms", ".3f"))
        ]
        print(f"{r['name']:<28}{cells[0]:>11}{cells[1]:>9}{cells[2]:>9}{cells[3]:>9}{cells[4]:>9}  {r['note']}")
    rates = {r["name"]: r for r in results}
    vader = rates["VADER alone"]
    for name in ("toneguard, with customer", "toneguard, reply only"):
        ratio = rates[name]["replies_per_s"] / vader["replies_per_s"]
        cpu_ratio = rates[name]["replies_per_cpu_s"] / vader["replies_per_cpu_s"]
        floor = rates[name.replace("toneguard", "floor")]["replies_per_cpu_s"]
        share = rates[name]["replies_per_cpu_s"] / floor
        print(f"\n{name}: {ratio:.2f}x VADER's rate ({cpu_ratio:.2f}x per CPU second); floor stages {share:.0%} of its CPU time", end="")
    print()
    print(f"\n--jobs 2 speed-up over --jobs 1: {speedup:.2f}x")
    print(f"cold start (toneguard check): {start['cold_start_s']} s (runs {start['runs']})")
    marks = ", ".join(f"{int(rows):,} rows: {mb} MB" for rows, mb in memory["rss_mb_after"].items())
    print(f"RSS after {marks}; peak {memory['peak_rss_mb']} MB ({memory['seconds']} s)")


if __name__ == "__main__":
    main()
