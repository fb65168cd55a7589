"""Memory and speed of `toneguard scan` on a help desk's export, beside loading the same export whole.

    python benchmarks/helpdesk_export.py [--tickets 20000 100000] [--jobs 2] [--shared ../shared] [--keep DIR]

Writes Zendesk-shaped exports (tickets with their comments, a users list and groups, as the
Tickets and Ticket Comments APIs give them) built from the TWCS replies in ../shared: each
ticket has a customer message, sometimes a follow-up ("second time I ask"), private notes,
Answer Bot suggestions, trigger comments and attachment-only comments, spread over six months
with a three-week gap, across 40 agents of very different workloads. For each size it writes
the export both as JSON Lines (a ticket a line) and as one JSON document
(``{"tickets": [...], "users": [...], "groups": [...]}``, users after tickets), then measures:

- `toneguard scan EXPORT --jobs N`: peak RSS of the whole process tree and replies/s;
- the peer: Python's `json.load` of the same single document, peak RSS (what reading it whole costs).

Memory is flat when the scan's peak does not grow with the number of tickets. With --keep,
the exports and the HTML reports are left in DIR (the report is the one shown in the README).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent
TOOL = Path(sys.executable).with_name("toneguard")
_HANDLES = re.compile(r"^(@\w+\s*)+")
_SIGNATURE = re.compile(r"\s*(\^|-)\s?[A-Z]{1,4}$")
AGENTS = [
    "Priya Raman", "Marco Bellini", "Dana Osei", "Lee Park", "Sam Okafor", "Ana Souza", "Tom Becker", "Lena Fischer",
    "Ravi Menon", "Chloe Martin", "Jonas Berg", "Aisha Khan", "Mateo Ruiz", "Hana Sato", "Owen Price", "Zoe Adams",
    "Ibrahim Diallo", "Nora Lindqvist", "Felix Wagner", "Grace Kim", "Luca Romano", "Maya Cohen", "Yusuf Demir",
    "Elena Popescu", "Kofi Mensah", "Sofia Rossi", "Ben Carter", "Mia Novak", "Arjun Rao", "Isla Reid",
    "Tariq Aziz", "Julia Santos", "Noah Fischer", "Emma Laurent", "Kenji Ito", "Olga Ivanova", "Pablo Ortega",
    "Amara Obi", "Leo Moreau", "Freya Hall",
]
GROUPS = ["Billing", "Network", "Accounts", "Hardware", "Onboarding"]
CHANNELS = ["email", "email", "email", "web", "web", "chat", "api"]
FOLLOW_UPS = [
    "Any update on this?",
    "Hello? This is the second time I'm asking.",
    "Still waiting for a reply.",
    "I already asked about this last week.",
    "Also, it happened again this morning.",
]


def twcs_pairs(shared: Path) -> list[tuple[str, str]]:
    with (shared / "data" / "twcs" / "agent_replies_dev.csv").open(encoding="utf-8", newline="") as handle:
        pairs = []
        for row in csv.DictReader(handle):
            reply = _SIGNATURE.sub("", _HANDLES.sub("", row["reply_text"])).strip()
            customer = _HANDLES.sub("", row["customer_text"]).strip()
            if reply and customer:
                pairs.append((reply, customer))
        return pairs


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def tickets(count: int, pairs: list[tuple[str, str]], seed: int = 7) -> Iterator[dict]:
    """Zendesk tickets with comments; the replies and customer messages are TWCS's, reused as a help desk reuses macros."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(AGENTS))]
    start = datetime(2025, 1, 6, tzinfo=timezone.utc)
    for number in range(count):
        ticket_id = 100000 + number
        day = rng.randrange(0, 180)
        if 70 <= day < 91:  # a three-week freeze with no tickets
            day += 21
        opened = start + timedelta(days=day, minutes=rng.randrange(0, 24 * 60))
        agent = rng.choices(range(len(AGENTS)), weights)[0]
        requester = 900000 + number
        reply, customer = pairs[number % len(pairs)]
        moment = opened
        comments = [_comment(ticket_id, 1, requester, True, customer, moment)]
        if rng.random() < 0.3:
            moment += timedelta(seconds=5)
            comments.append(_comment(ticket_id, 2, 700, True, "These articles may help: Resetting your password.", moment, "answer_bot_for_web_widget"))
        if rng.random() < 0.25:
            moment += timedelta(hours=rng.randrange(2, 30))
            comments.append(_comment(ticket_id, 3, requester, True, rng.choice(FOLLOW_UPS), moment))
        if rng.random() < 0.4:
            moment += timedelta(minutes=rng.randrange(5, 90))
            comments.append(_comment(ticket_id, 4, 600 + agent, False, "Checked the logs, escalating if this recurs.", moment))
        moment += timedelta(minutes=rng.randrange(3, 60 * 20))
        comments.append(_comment(ticket_id, 5, 600 + agent, True, reply, moment))
        if rng.random() < 0.1:
            moment += timedelta(minutes=rng.randrange(1, 600))
            comments.append(_comment(ticket_id, 6, requester, True, "", moment, attachments=1))
            moment += timedelta(seconds=1)
            comments.append(_comment(ticket_id, 7, 600 + agent, True, "Your request has been updated.", moment, "rule"))
        yield {
            "id": ticket_id,
            "subject": customer[:60],
            "status": "solved",
            "requester_id": requester,
            "assignee_id": 600 + agent,
            "group_id": 1 + agent % len(GROUPS),
            "via": {"channel": rng.choice(CHANNELS)},
            "created_at": _stamp(opened),
            "comments": comments,
        }


def _comment(ticket: int, index: int, author: int, public: bool, body: str, at: datetime, channel: str = "web", attachments: int = 0) -> dict:
    return {
        "id": ticket * 10 + index,
        "type": "Comment",
        "author_id": author,
        "public": public,
        "body": body,
        "html_body": f"<div class=\"zd-comment\"><p>{body}</p></div>" if body else "",
        "plain_body": body,
        "attachments": [{"id": ticket * 10 + index, "file_name": "screenshot.png"}] * attachments,
        "via": {"channel": channel},
        "created_at": _stamp(at),
    }


def users() -> list[dict]:
    return [{"id": 600 + i, "name": name, "role": "agent"} for i, name in enumerate(AGENTS)] + [
        {"id": 700, "name": "Answer Bot", "role": "agent"}
    ]


def write_exports(folder: Path, count: int, pairs: list[tuple[str, str]]) -> tuple[Path, Path]:
    lines, whole = folder / f"zendesk-{count}.jsonl", folder / f"zendesk-{count}.json"
    with lines.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"users": users(), "groups": _groups()}) + "\n")
        for ticket in tickets(count, pairs):
            handle.write(json.dumps(ticket) + "\n")
    with whole.open("w", encoding="utf-8") as handle:
        handle.write('{"tickets": [')
        for index, ticket in enumerate(tickets(count, pairs)):
            handle.write(("," if index else "") + json.dumps(ticket))
        handle.write(f'], "users": {json.dumps(users())}, "groups": {json.dumps(_groups())}, "end_of_stream": true}}')
    return lines, whole


def _groups() -> list[dict]:
    return [{"id": 1 + i, "name": name} for i, name in enumerate(GROUPS)]


def peak_rss(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Peak RSS in MB of the command's process tree (sampled every 50 ms), its wall time, and its result."""
    import psutil

    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        root = psutil.Process(process.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    done.set()
    sampler.join()
    result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    return round(peak, 1), time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--shared", type=Path, default=HERE.parent.parent / "shared")
    parser.add_argument("--keep", type=Path, help="leave the exports and reports in this folder")
    args = parser.parse_args()
    pairs = twcs_pairs(args.shared)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="toneguard-export-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{len(pairs):,} TWCS reply/customer pairs; exports in {folder}")
    print(f"{'tickets':>9} {'file':>6} {'MB':>7} {'measured':<34} {'peak RSS MB':>11} {'replies/s':>10}")
    for count in args.tickets:
        lines, whole = write_exports(folder, count, pairs)
        for path in (lines, whole):
            size = path.stat().st_size / 2**20
            report = folder / f"{path.name}.html"
            command = [str(TOOL), "scan", str(path), "--jobs", str(args.jobs), "--quiet", "--format", "json",
                       "--exit-zero", "--out", str(folder / f"{path.name}.results.jsonl"), "--report", str(report)]
            peak, _, result = peak_rss(command)
            if result.returncode != 0:
                sys.exit(f"scan failed: {result.stderr}")
            summary = json.loads(result.stdout)
            rate = summary["analyzed"] / summary["seconds"] if summary["seconds"] else 0.0
            print(f"{count:>9,} {path.suffix:>6} {size:>7.1f} {'toneguard scan --jobs ' + str(args.jobs):<34} {peak:>11.1f} {rate:>10,.0f}")
        loader = [sys.executable, "-c", f"import json; json.load(open({str(whole)!r}, encoding='utf-8'))"]
        peak, seconds, _ = peak_rss(loader)
        print(f"{count:>9,} {'.json':>6} {whole.stat().st_size / 2**20:>7.1f} {'peer: json.load of the whole file':<34} {peak:>11.1f} {'—':>10}")
        if not args.keep:
            for path in folder.glob(f"zendesk-{count}.*"):
                path.unlink()


if __name__ == "__main__":
    main()
