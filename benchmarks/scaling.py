"""How one reply's analysis time grows with its length, on realistic messy text.

    python benchmarks/scaling.py [--sizes 10000,100000,1000000]

Each input is agent prose mixed with the mess that stays inline (HTML, entities,
links, log and quoted lines, code, emoji, another language), ending in a ticket
of tests/data/messy_tickets.jsonl with its quoted history. It prints the best of
a few timings and the time per 10 kB: linear growth keeps that column flat.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import toneguard

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "messy_tickets.jsonl"


# Agent prose with the mess that stays inline: HTML, entities, links, addresses, log and quoted
# lines, code, emoji and a sentence in another language.
PARAGRAPH = (
    "Hi Sam, please reboot the laptop and clear the DNS cache. As I already said, it's not our problem.\n"
    "<p>Thanks&nbsp;for waiting &rsquo;til now.</p> See https://kb.example.com/a/1 or mail it@example.com.\n"
    "2024-05-01 10:12:03 ERROR Outlook profile load failed, see C:\\Users\\sam\\AppData\\Local 😀\n"
    "> On Monday you wrote that the VPN drops. `ipconfig /flushdns` fixed it. Gracias por su paciencia.\n"
)


def messy_text(size: int) -> str:
    """``size`` characters of prose with inline mess, ending in a corpus ticket's quoted history."""
    tail = json.loads(CORPUS.read_text("utf-8").splitlines()[0])["text"]
    body = PARAGRAPH * (max(0, size - len(tail)) // len(PARAGRAPH) + 1)
    return body[: max(0, size - len(tail))] + tail


def best_time(analyzer: toneguard.Analyzer, text: str, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        analyzer.analyze(text)
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated input sizes in characters")
    parser.add_argument("--runs", type=int, default=3, help="timings per size below 1 MB (the best is shown)")
    args = parser.parse_args()
    analyzer = toneguard.Analyzer()
    analyzer.analyze("Warm-up: please restart the laptop.")
    print(f"{'characters':>12} {'seconds':>10} {'ms per 10 kB':>14}")
    for size in (int(part) for part in args.sizes.split(",")):
        seconds = best_time(analyzer, messy_text(size), args.runs if size < 1_000_000 else 1)
        print(f"{size:>12,} {seconds:>10.3f} {seconds * 1000 * 10_000 / size:>14.1f}", flush=True)


if __name__ == "__main__":
    main()
