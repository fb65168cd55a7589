"""Every answer toneguard gives on the real replies in ../shared/data, written down to compare later.

    python benchmarks/snapshot.py --out before.jsonl        # on the old code
    python benchmarks/snapshot.py --out after.jsonl         # on the new code
    python benchmarks/snapshot.py --compare before.jsonl after.jsonl
    python benchmarks/snapshot.py --digests tests/data/snapshot_digests.json   # after a deliberate rule change

A refactor or a speed rewrite must leave every answer as it was: the
comparison prints how many rows differ (0 is the only good answer), and where
the first few differ. Each line holds a row's key (``source:id``) and its whole
report (findings with ids, spans and replacements; scores with contributions;
the rewrite; metrics; notes) except the echoed reply and customer message.
Only the public API is used, so any two versions of toneguard can be compared.

``--digests`` writes the suite's pinned sample: for one row in
``DIGEST_SAMPLE`` of every source (chosen by a hash of the row's key), the
SHA-256 of that row's answer as written here. It holds no text of the data;
``tests/test_snapshot_digests.py`` recomputes it. Regenerate it when rules
change on purpose, and say so in the commit.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator

csv.field_size_limit(10**8)

Row = tuple[str, str, "str | None"]
"""(key, reply, customer message or None)."""


def _csv_rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _jsonl_rows(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def twcs(shared: Path) -> Iterator[Row]:
    """Brand agents' replies on Twitter, with the customer's tweet they answer."""
    for row in _csv_rows(shared / "data/twcs/agent_replies_dev.csv"):
        yield row["tweet_id"], row["reply_text"], row["customer_text"] or None


def ubuntu_irc(shared: Path) -> Iterator[Row]:
    """Ubuntu IRC help replies, with the message each one answers as the customer's."""
    for row in _csv_rows(shared / "data/ubuntu-irc/reply_pairs_sample.csv"):
        yield f"{row['file']}:{row['msg_index']}", row["text"], row["reply_to_text"] or None


def corpus(name: str) -> Callable[[Path], Iterator[Row]]:
    def rows(shared: Path) -> Iterator[Row]:
        for row in _jsonl_rows(shared / "corpus" / name):
            yield str(row["id"]), row["reply"], row.get("customer")

    rows.__doc__ = f"The labelled corpus file {name} (reply and customer message)."
    return rows


def reply_only(relative: str, id_column: str | None, text_column: str) -> Callable[[Path], Iterator[Row]]:
    def rows(shared: Path) -> Iterator[Row]:
        for index, row in enumerate(_csv_rows(shared / relative), 1):
            yield row[id_column] if id_column else str(index), row[text_column], None

    rows.__doc__ = f"{relative}: column {text_column!r}, as a reply with no customer message."
    return rows


SOURCES: dict[str, Callable[[Path], Iterator[Row]]] = {
    "twcs": twcs,
    "ubuntu-irc": ubuntu_irc,
    "real_dev": corpus("real_dev.jsonl"),
    "dev": corpus("dev.jsonl"),
    "stanford-politeness": reply_only("data/stanford-politeness/wikipedia.annotated.csv", "Id", "Request"),
    "ucc-unhealthy": reply_only("data/ucc-unhealthy/val.csv", "_unit_id", "comment"),
    "github-incivility": reply_only("data/github-incivility/annotated_comment_level.csv", "id", "comment_body"),
}


DIGEST_SAMPLE = 10
"""One row in this many of each source is pinned by the digest file."""


def answer_line(key: str, report: Any) -> str:
    """A row's snapshot line: its key and its whole report but the echoed texts, as canonical JSON."""
    answer = report.model_dump(mode="json", exclude={"reply", "customer"})
    return json.dumps({"key": key, **answer}, ensure_ascii=False, sort_keys=True)


def answers(shared: Path, sources: list[str], limit: int | None = None, sample: int | None = None) -> Iterator[tuple[str, str]]:
    """(key, snapshot line) for each row of ``sources``: at most ``limit`` a source, or one in ``sample`` by key hash."""
    import toneguard

    analyzer = toneguard.Analyzer()
    for source in sources:
        for index, (key, reply, customer) in enumerate(SOURCES[source](shared)):
            if limit is not None and index >= limit:
                break
            key = f"{source}:{key}"
            if sample is not None and int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % sample:
                continue
            yield key, answer_line(key, analyzer.analyze(reply, customer))


def digests(shared: Path) -> dict[str, str]:
    """The SHA-256 of each sampled row's snapshot line, by key."""
    return {key: hashlib.sha256(line.encode("utf-8")).hexdigest() for key, line in answers(shared, list(SOURCES), sample=DIGEST_SAMPLE)}


def write_digests(shared: Path, out: Path) -> None:
    rows = digests(shared)
    document = {
        "about": "SHA-256 of toneguard's answer on sampled real replies (no text of them); "
        "regenerate with: python benchmarks/snapshot.py --digests tests/data/snapshot_digests.json",
        "sample": f"one row in {DIGEST_SAMPLE} of each source, by the first 8 hex digits of the SHA-256 of its key",
        "digests": rows,
    }
    out.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{out}: {len(rows)} digests", file=sys.stderr)


def write_snapshot(shared: Path, out: Path, sources: list[str], limit: int | None) -> None:
    started = time.perf_counter()
    written = 0
    with out.open("w", encoding="utf-8") as handle:
        for _, line in answers(shared, sources, limit):
            handle.write(line + "\n")
            written += 1
    seconds = time.perf_counter() - started
    print(f"{out}: {written} rows from {', '.join(sources)} in {seconds:.1f} s", file=sys.stderr)


def _load(path: Path) -> dict[str, dict[str, Any]]:
    return {row.pop("key"): row for row in _jsonl_rows(path)}


def first_difference(a: Any, b: Any, where: str = "") -> str | None:
    """The path of the first place ``a`` and ``b`` differ, with both values there; None when equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{where}.{key}: only in {'the second' if key not in a else 'the first'}"
            found = first_difference(a[key], b[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for index, (item_a, item_b) in enumerate(zip(a, b)):
            found = first_difference(item_a, item_b, f"{where}[{index}]")
            if found:
                return found
        return None if len(a) == len(b) else f"{where}: {len(a)} items vs {len(b)}"
    return None if a == b else f"{where}: {a!r} vs {b!r}"


def compare(first: Path, second: Path, shown: int) -> int:
    """Prints the rows that differ; the exit code is 1 when any does."""
    a, b = _load(first), _load(second)
    keys = sorted(set(a) | set(b))
    differing = [key for key in keys if a.get(key) != b.get(key)]
    print(f"{len(keys)} rows compared ({len(a)} in {first}, {len(b)} in {second}); {len(differing)} differ")
    for key in differing[:shown]:
        if key not in a or key not in b:
            print(f"  {key}: only in {second if key not in a else first}")
        else:
            print(f"  {key}{first_difference(a[key], b[key])}")
    return 1 if differing else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    parser.add_argument("--out", type=Path, help="Write the snapshot here (JSON Lines).")
    parser.add_argument("--sources", default=",".join(SOURCES), help=f"Comma-separated, of: {', '.join(SOURCES)}.")
    parser.add_argument("--limit", type=int, help="At most this many rows per source.")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"), help="Compare two snapshots instead.")
    parser.add_argument("--show", type=int, default=10, help="Differences to print when comparing.")
    parser.add_argument("--digests", type=Path, metavar="FILE", help="Write the suite's digest file of sampled rows instead.")
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare, args.show))
    if args.digests:
        write_digests(args.shared, args.digests)
        return
    if args.out is None:
        parser.error("give --out FILE to write a snapshot, --compare A B, or --digests FILE")
    sources = [name.strip() for name in args.sources.split(",") if name.strip()]
    unknown = [name for name in sources if name not in SOURCES]
    if unknown:
        parser.error(f"unknown source {', '.join(unknown)}; known: {', '.join(SOURCES)}")
    write_snapshot(args.shared, args.out, sources, args.limit)


if __name__ == "__main__":
    main()
