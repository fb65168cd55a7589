"""The HTTP service, driven over real HTTP: `toneguard serve` runs in a subprocess on a loopback port."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import pytest

import toneguard

httpx = pytest.importorskip("httpx", reason="needs the server extra: pip install -e '.[server]'")
pytest.importorskip("fastapi", reason="needs the server extra: pip install -e '.[server]'")

TOKEN = "test-token-4f1c"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ALLOWED_ORIGIN = "https://helpdesk.example"
MAX_BODY = 4096
MAX_BATCH = 3
SECRET_WORDS = "zebra-marmalade-quartet"  # would only reach the log if draft text were logged

DRAFTS = [
    ("Calm down. As I already said, this is not our problem.", "I was charged twice!!"),
    ("Your profile is corrupt. Reboot.", "I can't open Outlook and I have a client call in 10 minutes!"),
    ("Hi Sam, thanks for waiting. I've reset your password, so please sign in again. Best, Jo", None),
    ("", None),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Service:
    def __init__(self, url: str, log: Path):
        self.url = url
        self.log = log


def start_service(folder: Path, *options: str) -> tuple[subprocess.Popen, str]:
    """`toneguard serve` on a free loopback port, in its own process group, once it answers /healthz."""
    port = free_port()
    log = folder / "service.log"
    command = [sys.executable, "-m", "toneguard", "serve", "--port", str(port), *options]
    with log.open("w") as log_file:
        process = subprocess.Popen(command, cwd=folder, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"toneguard serve did not start:\n{log.read_text()}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("service")
    (folder / "token").write_text(TOKEN + "\n", "utf-8")
    process, url = start_service(
        folder, "--token-file", str(folder / "token"), "--max-body-bytes", str(MAX_BODY),
        "--max-batch", str(MAX_BATCH), "--cors-origin", ALLOWED_ORIGIN,
    )
    try:
        yield Service(url, folder / "service.log")
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture()
def client(service: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, headers=AUTH, timeout=10) as client:
        yield client


def test_health_needs_no_token(service):
    response = httpx.get(f"{service.url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": toneguard.__version__, "rules": len(toneguard.Analyzer().rules)}


@pytest.mark.parametrize("reply, customer", DRAFTS)
def test_analyze_returns_exactly_what_the_python_api_returns(client, reply, customer):
    response = client.post("/v1/analyze", json={"reply": reply, "customer": customer})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == toneguard.analyze(reply, customer=customer).model_dump(mode="json")


def test_a_dismissive_draft_comes_back_with_its_findings(client):
    report = client.post("/v1/analyze", json={"reply": "Calm down. Reboot the router."}).json()
    assert "dismissive" in report["categories"]
    calm = next(f for f in report["findings"] if f["rule_id"] == "TG106")
    assert report["reply"][calm["start"] : calm["end"]] == "Calm down"
    assert report["rewrite"] == "Calm down. Restart the router."


def test_batch_gives_one_report_per_item_in_order(client):
    items = [{"reply": reply, "customer": customer} for reply, customer in DRAFTS[:MAX_BATCH]]
    response = client.post("/v1/analyze/batch", json={"items": items})
    assert response.status_code == 200
    assert response.json() == {
        "reports": [toneguard.analyze(i["reply"], customer=i["customer"]).model_dump(mode="json") for i in items]
    }


def test_batch_over_the_limit_is_refused(client):
    response = client.post("/v1/analyze/batch", json={"items": [{"reply": "Thanks!"}] * (MAX_BATCH + 1)})
    assert response.status_code == 413
    assert response.json()["detail"] == f"items: {MAX_BATCH + 1} drafts; the limit is {MAX_BATCH} per call"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}, {"Authorization": TOKEN}],
    ids=["none", "wrong", "not-bearer", "no-scheme"],
)
@pytest.mark.parametrize("method, path", [("POST", "/v1/analyze"), ("POST", "/v1/analyze/batch"), ("GET", "/v1/rules"), ("GET", "/v1/rules/TG101")])
def test_every_v1_call_needs_the_token(service, headers, method, path):
    response = httpx.request(method, f"{service.url}{path}", headers=headers, json={"reply": "Thanks!"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json() == {"detail": "missing or wrong bearer token"}


def test_a_body_over_the_limit_gets_413(client):
    response = client.post("/v1/analyze", json={"reply": "word " * MAX_BODY})
    assert response.status_code == 413
    assert response.json() == {"detail": f"request body is larger than {MAX_BODY} bytes"}


def test_a_streamed_body_over_the_limit_gets_413_too(client):
    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked, so only counting catches it
        yield b'{"reply": "'
        for _ in range(MAX_BODY // 100 + 1):
            yield b"x" * 100
        yield b'"}'

    response = client.post("/v1/analyze", content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body, message",
    [
        (b'{"reply": "Calm down', "the request body is not valid JSON: "),
        (b'{"customer": "Help!"}', "reply: Field required"),
        (b'{"reply": 42}', "reply: Input should be a valid string"),
        (b'{"text": "Calm down."}', "reply: Field required; text: Extra inputs are not permitted"),
        (b"[]", 'the request body must be a JSON object such as {"reply": "...", "customer": "..."}'),
        (b'{"items": "none"}', None),
    ],
    ids=["truncated", "missing", "wrong-type", "misnamed", "not-an-object", "batch-shape"],
)
def test_bad_requests_get_422_saying_what_is_wrong(client, body, message):
    path = "/v1/analyze/batch" if b"items" in body else "/v1/analyze"
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    if message is None:
        assert detail == "items: Input should be a valid list"
    else:
        assert detail.startswith(message)
    assert response.json()["errors"]


def test_rules_list_every_rule(client):
    response = client.get("/v1/rules")
    assert response.status_code == 200
    rules = response.json()
    analyzer = toneguard.Analyzer()
    assert [r["id"] for r in rules] == sorted(loaded.rule.id for loaded in analyzer.rule_set.rules)
    assert all(r["enabled"] for r in rules)
    technical = client.get("/v1/rules", params={"category": "technical"}).json()
    assert technical and {r["category"] for r in technical} == {"technical"}
    assert client.get("/v1/rules", params={"category": "rude"}).status_code == 422


def test_a_rule_in_full_and_an_unknown_one(client):
    rule = client.get("/v1/rules/tg106").json()
    assert rule["id"] == "TG106" and rule["category"] == "dismissive"
    assert rule["why"] and rule["examples"]["bad"] and rule["enabled"] is True
    missing = client.get("/v1/rules/TG999")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "no rule 'TG999'; GET /v1/rules lists them"}


def test_cors_lets_only_the_configured_origin_in(service):
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}
    allowed = httpx.options(f"{service.url}/v1/analyze", headers={"Origin": ALLOWED_ORIGIN, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    other = httpx.options(f"{service.url}/v1/analyze", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers
    too_large = httpx.post(f"{service.url}/v1/analyze", headers={"Origin": ALLOWED_ORIGIN, **AUTH}, json={"reply": "x" * MAX_BODY})
    assert too_large.status_code == 413 and too_large.headers["access-control-allow-origin"] == ALLOWED_ORIGIN


def test_openapi_schema_and_docs_pages_need_nothing_from_the_internet(service):
    schema = httpx.get(f"{service.url}/openapi.json").json()
    assert {"/v1/analyze", "/v1/analyze/batch", "/v1/rules", "/v1/rules/{rule_id}", "/healthz"} <= set(schema["paths"])
    assert "HTTPBearer" in schema["components"]["securitySchemes"]
    for page in ("/docs", "/redoc"):
        html = httpx.get(f"{service.url}{page}").text
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert assets, page
        for asset in assets:
            assert asset.startswith("/"), f"{page} loads {asset} from elsewhere"
            assert httpx.get(f"{service.url}{asset}").status_code == 200, asset


def test_the_draft_page_and_its_assets_are_served_locally(service):
    page = httpx.get(f"{service.url}/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert set(assets) == {"data:,", "static/style.css", "static/app.js"}
    assert httpx.get(f"{service.url}/static/app.js").headers["content-type"].startswith("text/javascript")
    assert httpx.get(f"{service.url}/static/style.css").headers["content-type"].startswith("text/css")
    assert httpx.get(f"{service.url}/static/secrets.txt").status_code == 404


def test_draft_text_stays_out_of_the_log(client, service):
    client.post("/v1/analyze", json={"reply": f"Calm down about the {SECRET_WORDS}.", "customer": SECRET_WORDS})
    invalid = client.post("/v1/analyze", content=json.dumps({"reply": SECRET_WORDS, "customer": 5}))
    assert invalid.status_code == 422 and SECRET_WORDS not in invalid.text  # nor echoed back
    time.sleep(0.2)
    log = service.log.read_text()
    assert "POST /v1/analyze" in log  # the access log is on, without bodies
    assert SECRET_WORDS not in log


def test_workers_share_simultaneous_connections_and_stop_together(tmp_path):
    process, url = start_service(tmp_path, "--workers", "2")
    try:
        # Ten clients connecting at once, as a pool of keep-alive connections does.
        with ThreadPoolExecutor(10) as pool:
            codes = list(pool.map(lambda _: httpx.post(f"{url}/v1/analyze", json={"reply": "No."}).status_code, range(10)))
        assert codes == [200] * 10
    finally:
        process.terminate()
        process.wait(timeout=15)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # no worker outlives the service
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail("processes of the service are still running: " + subprocess.run(
        ["ps", "-o", "pid,args", "-g", str(process.pid)], capture_output=True, text=True).stdout)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"reply": "caf\xe9"}', "the request body is not valid UTF-8 (byte 0xe9 at position 14)"),
        (b"[" * 100_000 + b"]" * 100_000, "the request body nests too deeply"),
        (b'{"reply": "x", "customer": ' + b"9" * 5000 + b"}", "the request body is not valid JSON: Exceeds the limit"),
    ],
    ids=["not-utf8", "deeply-nested", "huge-number"],
)
def test_a_body_that_cannot_be_parsed_gets_422_with_the_reason(bounded, body, reason):
    response = httpx.post(f"{bounded}/v1/analyze", content=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert response.status_code == 422
    assert response.json()["detail"].startswith(reason)
    assert response.json()["errors"][0]["loc"] == ["body"]


def test_every_response_carries_the_security_headers(client, service):
    responses = [
        httpx.get(f"{service.url}/"), httpx.get(f"{service.url}/static/app.js"), httpx.get(f"{service.url}/healthz"),
        client.get("/v1/rules"), client.get("/v1/rules/TG999"), httpx.get(f"{service.url}/v1/rules"),
        client.post("/v1/analyze", json={"reply": "x" * MAX_BODY}), client.post("/v1/analyze", content=b"{"),
        client.post("/v1/analyze", json={"reply": "Thanks!"}), httpx.get(f"{service.url}/nowhere"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 404, 401, 413, 422, 200, 404]
    for response in responses:
        assert response.headers["content-security-policy"].startswith("default-src 'self';"), response.url
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    docs = httpx.get(f"{service.url}/docs").headers["content-security-policy"]
    assert "script-src 'self' 'unsafe-inline'" in docs and "frame-ancestors 'none'" in docs


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A service that holds two analysis requests at a time, each with a fifth of a second."""
    process, url = start_service(tmp_path_factory.mktemp("bounded"), "--max-queue", "2", "--time-budget", "0.2")
    try:
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_full_worker_answers_503_with_retry_after_and_serves_the_rest(bounded):
    draft = {"reply": "Please flush the DNS cache and reauthenticate via SSO. " * 300}

    def post(_: int) -> httpx.Response:
        return httpx.post(f"{bounded}/v1/analyze", json=draft, timeout=30)

    with ThreadPoolExecutor(12) as pool:
        responses = list(pool.map(post, range(12)))
    codes = sorted(r.status_code for r in responses)
    assert set(codes) == {200, 503} and codes.count(200) >= 2, codes
    busy = next(r for r in responses if r.status_code == 503)
    assert busy.headers["retry-after"] == "1" and busy.json()["detail"].startswith("the service is busy")


def test_an_analysis_stops_at_the_request_time_budget_and_says_so(bounded):
    reply = " ".join(f"Obviously you should reboot machine {i}, as I already said." for i in range(5000))
    response = httpx.post(f"{bounded}/v1/analyze", json={"reply": reply[:250_000]}, timeout=30)
    assert response.status_code == 200
    assert any("time budget of" in note and "findings may be incomplete" in note for note in response.json()["notes"])
