"""Cold start of ``toneguard check``: a fresh process per run, the disk cache warm, beside its floors.

    python benchmarks/cold_start.py                            # this checkout
    python benchmarks/cold_start.py --before ../other/src      # alternated with another source tree

Each run starts this environment's ``toneguard`` console script on one reply,
with a disk cache folder of its own. ``--before`` puts another tree's ``src``
first on ``PYTHONPATH`` (with another cache folder, so that neither evicts the
other's entries), and the two alternate run by run, so that other work on the
machine weighs on both alike. A first, uncounted round warms each cache. Beside them, in the same run, the
floors no toneguard change can go below (Python starting; spaCy imported as
toneguard imports it, without its command-line stack, and its blank English
pipeline built) and, for scale, a plain spaCy program's start.

Prints the median wall-clock and CPU (user + system) time of each, and the
load average; CPU time holds better than wall-clock time on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOOL = Path(sys.executable).with_name("toneguard")
# What any spaCy program pays to start, and the part of it toneguard cannot avoid: spaCy imported
# without its command-line stack (as toneguard imports it) and the blank English pipeline built.
SPACY_PLAIN = "import spacy; spacy.blank('en')"
SPACY_FLOOR = "import toneguard, spacy.lang.en; spacy.lang.en.English()"


def timed_run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--text", default="Please reauthenticate.")
    parser.add_argument("--before", type=Path, help="another toneguard source tree (its src folder) to alternate with")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    check = [str(TOOL), "check", args.text]
    subjects: dict[str, tuple[list[str], dict[str, str]]] = {}
    with tempfile.TemporaryDirectory(prefix="toneguard-cold-") as caches:
        if args.before is not None:
            env = {**os.environ, "PYTHONPATH": str(args.before.resolve()), "TONEGUARD_CACHE_DIR": f"{caches}/before"}
            subjects["toneguard check, before"] = (check, env)
        env = {**os.environ, "TONEGUARD_CACHE_DIR": f"{caches}/after"}
        subjects["toneguard check" if args.before is None else "toneguard check, after"] = (check, env)
        subjects["floor: python -c pass"] = ([sys.executable, "-c", "pass"], dict(os.environ))
        subjects["floor: spaCy without its CLI, English()"] = ([sys.executable, "-c", SPACY_FLOOR], dict(os.environ))
        subjects["peer: import spacy; spacy.blank('en')"] = ([sys.executable, "-c", SPACY_PLAIN], dict(os.environ))

        times: dict[str, list[tuple[float, float]]] = {name: [] for name in subjects}
        for round_ in range(args.runs + 1):
            for name, (command, env) in subjects.items():
                measured = timed_run(command, env)
                if round_:  # the first round only warms the caches
                    times[name].append(measured)

    results = {
        name: {
            "wall_s": round(statistics.median(wall for wall, _ in runs), 3),
            "cpu_s": round(statistics.median(cpu for _, cpu in runs), 3),
            "walls": [round(wall, 3) for wall, _ in runs],
        }
        for name, runs in times.items()
    }
    load = os.getloadavg()
    if args.json:
        print(json.dumps({"text": args.text, "runs": args.runs, "results": results, "load_average": load}, indent=2))
        return
    print(f"cold start of `toneguard check {args.text!r}`, median of {args.runs} runs each (alternated):")
    for name, result in results.items():
        print(f"  {name:<40} wall {result['wall_s']:.3f} s   cpu {result['cpu_s']:.3f} s")
    print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
