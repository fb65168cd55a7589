"""What bounds every request to the HTTP service, as plain ASGI middleware (needs the ``server`` extra).

- :class:`SecurityHeaders` puts a Content-Security-Policy (scripts, styles and
  connections from the service itself only; never framed), ``nosniff`` and
  ``Referrer-Policy`` on every response.
- :class:`BodyGuard` reads a request's body before the app does: over the
  size limit it answers 413; a body that is not UTF-8 or not JSON (or nested
  deeper than any request needs) gets 422 with the reason, never a bare 400.
- :class:`Admission` bounds the analysis requests a worker holds, running or
  waiting: one more gets 503 with ``Retry-After`` at once. Each admitted
  request gets a deadline its analysis must meet, waiting time included.
"""

from __future__ import annotations

import json
import time
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# data: images only for the page's empty favicon (which spares a request for one).
CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
# Swagger UI and ReDoc start from an inline script and style their pages inline; they show no data.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
RETRY_AFTER_SECONDS = 1
BUSY_DETAIL = f"the service is busy; try again in {RETRY_AFTER_SECONDS} s"
DEADLINE_KEY = "toneguard_deadline"
"""Where :class:`Admission` puts a request's deadline (``time.monotonic()``) in its ASGI scope's state."""


class SecurityHeaders:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_CONTENT_SECURITY_POLICY if scope["path"] in DOCS_PATHS else CONTENT_SECURITY_POLICY
        added = [
            (b"content-security-policy", policy.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in added}
                kept = [(name, value) for name, value in message.get("headers", []) if name.lower() not in names]
                message = {**message, "headers": [*kept, *added]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyGuard:
    """Answers 413 to bodies over the limit and 422 to bodies that are not UTF-8 JSON, before the app reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _answer(scope, receive, send, 413, f"request body is larger than {self.max_bytes} bytes")
            return
        chunks = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await _answer(scope, receive, send, 413, f"request body is larger than {self.max_bytes} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        problem = self._problem(body) if body.strip() else None
        if problem is not None:
            # Shaped like the app's own 422s: the reason, and the error list with its location.
            error = {"loc": ["body"], "msg": problem, "type": "body_unreadable"}
            await JSONResponse({"detail": problem, "errors": [error]}, status_code=422)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    def _problem(self, body: bytes) -> str | None:
        """Why the body cannot be read as JSON, in words; None when it can."""
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as err:
            return f"the request body is not valid UTF-8 (byte {body[err.start]:#04x} at position {err.start})"
        try:
            json.loads(text)
        except RecursionError:
            return "the request body nests too deeply (no request needs more than a few levels)"
        except json.JSONDecodeError as err:
            return f"the request body is not valid JSON: {err.msg} at character {err.pos}"
        except ValueError as err:  # e.g. an integer with more digits than Python converts
            return f"the request body is not valid JSON: {err}"
        return None


class Admission:
    """Bounds the requests to ``paths`` a worker holds at once; more get 503 with Retry-After."""

    def __init__(self, app: ASGIApp, paths: frozenset[str], max_held: int, seconds: float):
        self.app = app
        self.paths = paths
        self.max_held = max_held
        self.seconds = seconds
        self.held = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        if self.held >= self.max_held:
            await busy(scope, receive, send)
            return
        scope.setdefault("state", {})[DEADLINE_KEY] = time.monotonic() + self.seconds
        self.held += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.held -= 1


async def busy(scope: Scope, receive: Receive, send: Send) -> None:
    """503 with Retry-After: the worker holds as many requests as it may."""
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    response = JSONResponse({"detail": BUSY_DETAIL}, status_code=503, headers=headers)
    await response(scope, receive, send)


async def _answer(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the app the body already read, then whatever the client sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def remaining_seconds(state: Any) -> float | None:
    """Seconds left before the request's deadline (None when it has none)."""
    deadline = getattr(state, DEADLINE_KEY, None)
    return None if deadline is None else deadline - time.monotonic()
