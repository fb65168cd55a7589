"""The HTTP service: the analysis API under ``/v1``, the draft page at ``/`` and offline API docs.

``toneguard serve`` runs it; :func:`create_app` builds the ASGI app for embedding in your own.
Needs the ``server`` extra: ``pip install 'toneguard[server]'``.
"""

from __future__ import annotations

import hmac
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
from importlib import resources
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._core.analyzer import Analyzer
from ._core.config import Config
from ._version import VERSION
from .models import Category, Record, Report, Severity

log = logging.getLogger("toneguard.server")

# uvicorn's worker processes rebuild the app from this, since an app object cannot be handed to them.
SETUP_ENVIRONMENT_VARIABLE = "TONEGUARD_SERVER_SETUP"
APP_FACTORY = "toneguard.server:app_from_environment"

# The draft page's files, served from the package so they ship in the wheel and work offline.
_PAGE_ASSETS = {"app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8"}


class ServerSettings(Record):
    """How the service guards itself. The defaults suit a service on loopback."""

    token: SecretStr | None = Field(default=None, description="When set, /v1 calls need `Authorization: Bearer <token>`.")
    max_body_bytes: int = Field(default=256 * 1024, gt=0, description="Larger request bodies get 413.")
    max_batch: int = Field(default=50, gt=0, description="Most drafts in one batch call; more get 413.")
    cors_origins: list[str] = Field(default=[], description="Web origins allowed to call the API from a browser.")
    log_drafts: bool = Field(default=False, description="Write draft text to the log (off: only sizes and results).")


class Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reply: str = Field(description="The agent's draft reply.", examples=["Calm down. Reboot the router."])
    customer: str | None = Field(default=None, description="The customer's message the reply answers.")


class Batch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: list[Draft]


class BatchReports(BaseModel):
    reports: list[Report] = Field(description="One report per item, in order.")


class RuleSummary(BaseModel):
    id: str
    name: str
    category: Category
    severity: Severity
    check: str
    message: str
    enabled: bool = Field(description="False when the service's settings disable it.")


class Health(BaseModel):
    status: str
    version: str
    rules: int = Field(description="Rules in force.")


class BodySizeLimit:
    """Answers 413 to bodies over the limit, whether declared by Content-Length or streamed in chunks."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        received = 0
        refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not refused:
                    refused = True
                    await self._refuse(scope, receive, send)
                    # The app sees the client go away, so it stops reading; whatever it answers is dropped.
                    return {"type": "http.disconnect"}
            return message

        async def send_unless_refused(message: Message) -> None:
            if not refused:
                await send(message)

        await self.app(scope, counting_receive, send_unless_refused)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        detail = f"request body is larger than {self.max_bytes} bytes"
        await JSONResponse({"detail": detail}, status_code=413)(scope, receive, send)


def describe_validation_error(error: dict[str, Any]) -> str:
    """One line a person can act on, e.g. ``reply: Field required``."""
    location = list(error.get("loc", ()))
    if error.get("type") == "json_invalid":
        reason = error.get("ctx", {}).get("error", "cannot be parsed")
        where = f" at character {location[1]}" if len(location) > 1 else ""
        return f"the request body is not valid JSON: {reason}{where}"
    if location and location[0] == "body":
        location = location[1:]
    if not location and error.get("type") in {"missing", "model_attributes_type", "dict_type"}:
        return 'the request body must be a JSON object such as {"reply": "...", "customer": "..."}'
    where = ".".join(str(part) for part in location) or "request body"
    return f"{where}: {error.get('msg', 'invalid')}"


async def _invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
    # The offending input is not echoed back: it may be a customer's message.
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()]
    detail = "; ".join(describe_validation_error(e) for e in exc.errors()) or "invalid request"
    return JSONResponse({"detail": detail, "errors": errors}, status_code=422)


def _json(model: BaseModel) -> Response:
    # Serialised by pydantic itself, so the body is exactly Report.model_dump(mode="json").
    return Response(model.model_dump_json(), media_type="application/json")


def _read_asset(name: str) -> bytes:
    return resources.files("toneguard").joinpath("static", name).read_bytes()


def create_app(config: Config | None = None, settings: ServerSettings | None = None) -> FastAPI:
    """The toneguard service as an ASGI app; mount it in your own app or run it with any ASGI server."""
    settings = settings or ServerSettings()
    analyzer = Analyzer(config)
    app = FastAPIOffline(
        title="toneguard",
        version=VERSION,
        description="Flags dismissive, clipped and overly technical wording in help-desk replies.",
    )
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    # Added last, so it wraps the size limit too and a browser can read the 413.
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.include_router(_api_router(analyzer, settings))
    _add_page_routes(app)

    @app.get("/healthz", response_model=Health, tags=["service"])
    def health() -> Health:
        return Health(status="ok", version=VERSION, rules=len(analyzer.rules))

    return app


def _api_router(analyzer: Analyzer, settings: ServerSettings) -> APIRouter:
    expected = settings.token.get_secret_value().encode() if settings.token else None
    bearer = HTTPBearer(auto_error=False, description="Needed when the service was started with a token.")

    def require_token(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
        if expected is None:
            return
        if credentials is None or not hmac.compare_digest(credentials.credentials.encode(), expected):
            raise HTTPException(401, "missing or wrong bearer token", headers={"WWW-Authenticate": "Bearer"})

    router = APIRouter(prefix="/v1", dependencies=[Depends(require_token)])
    enabled = {rule.id for rule in analyzer.rules}

    def analyze(draft: Draft) -> Report:
        report = analyzer.analyze(draft.reply, draft.customer)
        flagged = ", ".join(c.value for c in report.categories) or "nothing"
        if settings.log_drafts:
            log.info("draft %r (customer %r): score %d, flagged %s", draft.reply, draft.customer, report.score, flagged)
        else:
            log.debug("draft of %d characters: score %d, flagged %s", len(draft.reply), report.score, flagged)
        return report

    # Plain `def` endpoints run in the thread pool, so a long draft does not stall the event loop.
    @router.post("/analyze", response_model=Report, tags=["analysis"])
    def analyze_one(draft: Draft) -> Response:
        """The report for one draft, exactly as the Python API's ``Report.model_dump(mode="json")``."""
        return _json(analyze(draft))

    @router.post(
        "/analyze/batch",
        response_model=BatchReports,
        tags=["analysis"],
        description=f"Reports for up to {settings.max_batch} drafts, in order; more get 413.",
    )
    def analyze_batch(batch: Batch) -> Response:
        if len(batch.items) > settings.max_batch:
            raise HTTPException(413, f"items: {len(batch.items)} drafts; the limit is {settings.max_batch} per call")
        return _json(BatchReports(reports=[analyze(draft) for draft in batch.items]))

    @router.get("/rules", response_model=list[RuleSummary], tags=["rules"])
    def list_rules(category: Category | None = None) -> list[RuleSummary]:
        """Every rule (disabled ones too, marked), optionally of one category."""
        return [
            RuleSummary(
                id=rule.id,
                name=rule.name,
                category=rule.category,
                severity=rule.severity,
                check=rule.check,
                message=rule.message,
                enabled=rule.id in enabled,
            )
            for rule in (loaded.rule for loaded in analyzer.rule_set.in_id_order())
            if category is None or rule.category == category
        ]

    @router.get("/rules/{rule_id}", tags=["rules"])
    def show_rule(rule_id: str) -> dict[str, Any]:
        """A rule in full: why, suggestions, examples and its check's settings. Retired ids give their successor."""
        try:
            rule = analyzer.rule(rule_id)
        except KeyError:
            raise HTTPException(404, f"no rule {rule_id!r}; GET /v1/rules lists them") from None
        return {**rule.model_dump(mode="json"), "enabled": rule.id in enabled}

    return router


def _add_page_routes(app: FastAPI) -> None:
    page = _read_asset("index.html")
    assets = {name: (_read_asset(name), media_type) for name, media_type in _PAGE_ASSETS.items()}

    @app.get("/", include_in_schema=False)
    def draft_page() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/static/{name}", include_in_schema=False)
    def page_asset(name: str) -> Response:
        if name not in assets:
            raise HTTPException(404, f"no file {name!r}")
        content, media_type = assets[name]
        return Response(content, media_type=media_type, headers={"Cache-Control": "no-cache"})


def app_from_environment() -> FastAPI:
    """The app described by :data:`SETUP_ENVIRONMENT_VARIABLE`: how ``serve`` hands its setup to workers."""
    setup = json.loads(os.environ[SETUP_ENVIRONMENT_VARIABLE])
    settings = ServerSettings.model_validate(setup["settings"])
    if settings.log_drafts:  # uvicorn sets up only its own loggers; an embedding app sets up its own
        log.setLevel(logging.INFO)
        log.addHandler(logging.StreamHandler())
    return create_app(Config.model_validate(setup["config"]), settings)


def run(
    config: Config,
    settings: ServerSettings,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    log_level: str = "info",
) -> None:
    """Serves until interrupted. With several workers each process loads its own Analyzer."""
    import uvicorn

    settings_data = settings.model_dump(mode="json")
    settings_data["token"] = settings.token.get_secret_value() if settings.token else None
    os.environ[SETUP_ENVIRONMENT_VARIABLE] = json.dumps({"config": config.model_dump(mode="json"), "settings": settings_data})
    if workers > 1 and hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux"):
        _run_balanced(host, port, workers, log_level)
        return
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers, log_level=log_level)


def _run_balanced(host: str, port: int, workers: int, log_level: str) -> None:
    """Worker processes that each listen on their own SO_REUSEPORT socket.

    uvicorn's own workers share one listening socket, and the first to wake
    accepts every connection waiting: ten clients connecting at once all land
    on one worker while the other idles. With a socket per worker, Linux
    spreads new connections across them. The sockets are bound here, so a busy
    port fails at once, and port 0 means one free port for all.
    """
    sockets = []
    try:
        for _ in range(workers):
            listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(listener)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            listener.bind((host, port))
            port = listener.getsockname()[1]
            listener.listen(2048)
        context = multiprocessing.get_context("spawn")
        processes = [context.Process(target=_serve_on, args=(listener, log_level)) for listener in sockets]
        # A supervisor's SIGTERM must stop the workers too, not leave them orphaned.
        signal.signal(signal.SIGTERM, _stop)
        for process in processes:
            process.start()
        try:
            # Until interrupted, or until a worker dies: then all stop, for a supervisor to restart.
            multiprocessing.connection.wait([process.sentinel for process in processes])
        except KeyboardInterrupt:
            pass
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(timeout=10)
    finally:
        for listener in sockets:
            listener.close()


def _stop(signal_number: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _serve_on(listener: socket.socket, log_level: str) -> None:
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(APP_FACTORY, factory=True, log_level=log_level))
    server.run(sockets=[listener])
