"""Load on `toneguard serve` over loopback: requests/s and p50/p99 at 1, 10 and 50 concurrent clients.

    python benchmarks/http_load.py [--seconds 5] [--clients 1 10 50] [--workers 1]
    python benchmarks/http_load.py --seconds 10 --clients 200          # the overload test

Starts the service in a subprocess on a free loopback port, then keeps N keep-alive connections
busy with typical drafts for a fixed time per level. The client is a few lines of asyncio speaking
HTTP/1.1, so its own cost per request stays small beside the server's. The in-process latency of
Analyzer.analyze() on the same drafts is printed too, so the HTTP overhead is visible.

A full worker answers 503 with Retry-After; a client then waits that long before its next request,
as a well-behaved one would. Latencies are of accepted (200) requests; "busy" counts the 503s and
"errors" everything else (other statuses, dropped connections). Last, one 256 KiB draft of a
repeated jargon word, the worst case for findings, is timed against the service's time budget.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

HOST = "127.0.0.1"  # loopback only: this is a benchmark, not a load test of someone's server
GOAL_P99_MS_AT_10 = 25.0
GOAL_P99_MS_ACCEPTED_AT_200 = 500.0
TIME_BUDGET_SECONDS = 2.0  # the service's default --time-budget
WORST_BODY_BYTES = 256 * 1024

TYPICAL = [
    ("Hi Sam, thanks for getting in touch. I've reset your password, so please sign in again and let me know "
     "if Outlook still won't open. Best, Jo", "Outlook won't open and I have a meeting in an hour!"),
    ("Calm down. As I already said, this is not our problem.", "I've been charged twice this month!!"),
    ("Your profile is corrupt. Reboot.", "I can't open Outlook and I have a client call in 10 minutes!"),
    ("Hello Priya, sorry for the wait. The printer on floor 3 was stuck on an old job; I've cleared it and it's "
     "printing again. Could you try once more and tell me if anything is still missing?", "Printer broken again??"),
    ("Please flush your DNS cache and reauthenticate via SSO, then clear the browser's cookies.", None),
    ("No.", "Can I get admin rights on my laptop?"),
    ("Thanks for the screenshots! That error means the VPN certificate expired. I've renewed it, so it should "
     "connect now. If not, restart the laptop and it will pick up the new one.", "VPN says certificate error"),
    ("Just restart it.", "My computer is really slow since this morning, I can't work like this."),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def request_bytes(port: int, reply: str, customer: str | None) -> bytes:
    body = json.dumps({"reply": reply, "customer": customer}).encode()
    return request_with_body(port, body)


def request_with_body(port: int, body: bytes) -> bytes:
    head = (
        f"POST /v1/analyze HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    """Reads one response with a Content-Length body: its status code, headers (lower-case names) and body."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = dict((name.strip().lower(), value.strip()) for name, _, value in (line.partition(":") for line in lines[1:] if line))
    body = await reader.readexactly(int(headers["content-length"]))
    return status, headers, body


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.busy = 0
        self.errors: list[str] = []


async def client(port: int, requests: list[bytes], until: float, tally: Tally) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        for payload in itertools.cycle(requests):
            if time.perf_counter() >= until:
                break
            started = time.perf_counter()
            writer.write(payload)
            status, headers, _ = await read_response(reader)
            if status == 200:
                tally.latencies.append(time.perf_counter() - started)
            elif status == 503 and "retry-after" in headers:
                tally.busy += 1
                # At least as long as asked, with jitter, so refused clients do not all return at once.
                pause = float(headers["retry-after"]) * random.uniform(1.0, 1.5)
                await asyncio.sleep(min(pause, max(0.0, until - time.perf_counter())))
            else:
                tally.errors.append(f"HTTP {status}")
    except (OSError, asyncio.IncompleteReadError) as err:
        tally.errors.append(f"{type(err).__name__}: {err}")
    finally:
        writer.close()


async def load(port: int, clients: int, seconds: float) -> tuple[Tally, float]:
    requests = [request_bytes(port, reply, customer) for reply, customer in TYPICAL]
    tally = Tally()
    started = time.perf_counter()
    until = started + seconds
    # Each client starts at a different draft, so the mix is the same at every moment.
    await asyncio.gather(
        *(client(port, requests[i % len(requests):] + requests[: i % len(requests)], until, tally)
          for i in range(clients))
    )
    return tally, time.perf_counter() - started


async def worst_case(port: int) -> tuple[float, int, list[str]]:
    """Seconds, status and notes of one 256 KiB draft of a repeated jargon word."""
    reply = ("reboot " * (WORST_BODY_BYTES // 7))[: WORST_BODY_BYTES - 20].strip()
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        started = time.perf_counter()
        writer.write(request_with_body(port, json.dumps({"reply": reply}).encode()))
        status, _, body = await read_response(reader)
        elapsed = time.perf_counter() - started
    finally:
        writer.close()
    return elapsed, status, json.loads(body).get("notes", []) if status == 200 else []


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def in_process_latencies(rounds: int) -> list[float]:
    import toneguard

    analyzer = toneguard.Analyzer()
    latencies = []
    for reply, customer in TYPICAL * rounds:
        started = time.perf_counter()
        analyzer.analyze(reply, customer)
        latencies.append(time.perf_counter() - started)
    return latencies


def wait_until_up(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("toneguard serve exited before it was ready")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("toneguard serve did not answer /healthz in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0, help="measured time per concurrency level (max 60)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 10, 50], help="concurrency levels (max 200)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--serve-option", dest="serve_options", action="append", default=[],
                        help="an option passed on to toneguard serve, e.g. --serve-option=--max-queue=32")
    args = parser.parse_args()
    if not 0 < args.seconds <= 60 or not all(0 < c <= 200 for c in args.clients):
        parser.error("keep it bounded: --seconds in (0, 60], --clients in 1..200")

    warm = in_process_latencies(rounds=5)  # loads pipelines and warms caches before timing
    local = in_process_latencies(rounds=50)
    print(f"in-process Analyzer.analyze(): p50 {percentile(local, 0.5) * 1000:.2f} ms, "
          f"p99 {percentile(local, 0.99) * 1000:.2f} ms, {len(local) / sum(local):.0f} drafts/s on one thread "
          f"({len(local) + len(warm)} calls)")

    port = free_port()
    command = [sys.executable, "-m", "toneguard", "serve", "--host", HOST, "--port", str(port), *args.serve_options,
               "--workers", str(args.workers)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(port, process)
        asyncio.run(load(port, clients=max(args.clients), seconds=1.0))  # warm-up, not measured
        print(f"\nHTTP POST /v1/analyze on loopback, {args.workers} worker(s), {args.seconds:g} s per level")
        print(f"{'clients':>7} {'accepted':>9} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'busy':>6} {'errors':>6}")
        for clients in args.clients:
            tally, elapsed = asyncio.run(load(port, clients, args.seconds))
            latencies = tally.latencies
            p50, p99, worst = ((percentile(latencies, share) * 1000 if latencies else float("nan")) for share in (0.5, 0.99, 1.0))
            print(f"{clients:>7} {len(latencies):>9} {len(latencies) / elapsed:>8.0f} {p50:>7.2f} {p99:>7.2f} "
                  f"{worst:>7.1f} {tally.busy:>6} {len(tally.errors):>6}")
            if tally.errors:
                print(f"        first error: {tally.errors[0]}")
            if clients == 10:
                verdict = "meets" if p99 <= GOAL_P99_MS_AT_10 else "misses"
                print(f"        {verdict} the goal p99 <= {GOAL_P99_MS_AT_10:g} ms at 10 clients")
            if clients == 200:
                verdict = "meets" if p99 <= GOAL_P99_MS_ACCEPTED_AT_200 and not tally.errors else "misses"
                print(f"        {verdict} the goal: 0 errors but 503, p99 of accepted <= {GOAL_P99_MS_ACCEPTED_AT_200:g} ms")
        seconds, status, notes = asyncio.run(worst_case(port))
        verdict = "within" if seconds <= TIME_BUDGET_SECONDS else "beyond"
        print(f"\n256 KiB of 'reboot reboot ...': HTTP {status} in {seconds:.2f} s, {verdict} the "
              f"{TIME_BUDGET_SECONDS:g} s budget; notes: {notes}")
        print(f"\nmean in-process latency {statistics.mean(local) * 1000:.2f} ms; "
              "the rest of the HTTP p50 at 1 client is the service's overhead")
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
