"""Thousands of generated user patterns against long replies: hangs, internal errors and memory.

    python benchmarks/pattern_fuzz.py [--patterns 1000] [--max-tokens 5000]

Runs the suite's fuzz (``tests/robustness/test_pattern_fuzz.py``) at scale: each
generated pattern (random operators, ranges with any bounds, nested predicates,
now and then a forbidden key) becomes a user rule whose bad example is a reply of
up to ``--max-tokens`` tokens built from the pattern's own words. Loading the
rule runs the matcher on that reply once; then it is analysed again, with a time
budget of 1 s. A hang is a load or an analysis past its budget plus 1 s; an
internal error is any exception but a load error; every load error must name
the file, the rule and the field. Peak RSS is the process's high-water mark.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "robustness"))
from test_pattern_fuzz import BUDGET_SECONDS, GRACE_SECONDS, check_pattern, pattern, reply_for, word  # noqa: E402


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def reason(problem: str) -> str:
    """A load error without its file, rule and pattern position, to count alike ones together."""
    text = problem.split("': ", 1)[-1]
    return text.split("; ")[0].split(": ", 1)[-1][:70]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--patterns", type=int, default=1000)
    parser.add_argument("--max-tokens", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()

    loaded, stopped, hangs, unlocated, internal = 0, 0, [], [], []
    reasons: Counter[str] = Counter()
    slowest = 0.0
    tokens_total = 0
    rss_start = None
    rss_along: list[float] = []  # at each tenth of the run
    folder = Path(tempfile.mkdtemp(prefix="toneguard-fuzz-"))
    started = time.monotonic()

    lengths = st.one_of(st.integers(1, args.max_tokens), st.integers(args.max_tokens // 2, args.max_tokens), st.just(args.max_tokens))

    @given(tokens=pattern, filler=st.lists(word, max_size=5), count=lengths)
    @settings(max_examples=args.patterns, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), derandomize=False)
    def one(tokens, filler, count):
        nonlocal loaded, stopped, slowest, tokens_total, rss_start
        reply = reply_for(tokens, filler, count)
        tokens_total += count
        try:
            outcome = check_pattern(folder, tokens, reply)
        except Exception as err:  # anything but a load error is the engine's fault
            internal.append((tokens, "".join(traceback.format_exception_only(err)).strip()))
            return
        if rss_start is None:
            rss_start = current_rss_mb()
        if (len(internal) + loaded + sum(reasons.values()) + 1) % max(1, args.patterns // 10) == 0:
            rss_along.append(current_rss_mb())
        loaded += outcome.loaded
        stopped += outcome.stopped
        slowest = max(slowest, outcome.seconds)
        if outcome.hung:
            hangs.append((tokens, outcome.seconds))
        if not outcome.located:
            unlocated.append((tokens, outcome.problem))
        if outcome.problem:
            reasons[reason(outcome.problem)] += 1

    import random
    random.seed(args.seed)
    one()
    runs = loaded + sum(reasons.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{runs + len(internal)} generated patterns against replies of 1..{args.max_tokens} tokens "
          f"(mean {tokens_total / max(1, runs + len(internal)):.0f}), in {time.monotonic() - started:.0f} s")
    print(f"  loaded and analysed: {loaded} ({stopped} stopped at the {BUDGET_SECONDS:g} s budget, with a note)")
    print(f"  refused at load with a located error: {sum(reasons.values()) - len(unlocated)}")
    print(f"  hangs (past the budget + {GRACE_SECONDS:g} s): {len(hangs)}")
    print(f"  internal errors: {len(internal)}")
    print(f"  load errors not naming file, rule and field: {len(unlocated)}")
    print(f"  slowest load or analysis: {slowest:.2f} s")
    print(f"  RSS after the first pattern {rss_start or 0:.0f} MB, at the end {current_rss_mb():.0f} MB, peak {peak:.0f} MB")
    print(f"  RSS at each tenth of the run (MB): {' '.join(f'{rss:.0f}' for rss in rss_along)}")
    print("  most common load errors:")
    for text, count in reasons.most_common(8):
        print(f"    {count:>5}  {text}")
    for tokens, detail in (hangs + internal + unlocated)[:5]:
        print(f"  e.g. {tokens}: {detail}")
    sys.exit(1 if hangs or internal or unlocated else 0)


if __name__ == "__main__":
    main()
