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

import anyio
import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from ._apps.http_guards import BUSY_DETAIL, RETRY_AFTER_SECONDS, Admission, BodyGuard, SecurityHeaders, remaining_seconds
from ._core.analyzer import Analyzer
from ._core.config import Config
from ._version import VERSION
from .models import Category, Record, Report, Severity

log = logging.getLogger("toneguard.server")

# uvicorn's worker processes rebuild the app from this, since an app object cannot be handed to them.
SETUP_ENVIRONMENT_VARIABLE = "TONEGUARD_SERVER_SETUP"
APP_FACTORY = "toneguard.server:app_from_environment"

_ANALYSIS_PATHS = frozenset({"/v1/analyze", "/v1/analyze/batch"})
_ANALYSIS_THREADS = 2
# A batch's drafts after its time ran out still get this long each, so each has a report (saying so).
_LEAST_SECONDS = 0.001

# The draft page's files, served from the package so they ship in the wheel and work offline.
_PAGE_ASSETS = {"app.js": "text/javascript; charset=utf-8", "style.css": "text/css; charset=utf-8"}


class ServerSettings(Record):
    """How the service guards itself. The defaults suit a service on loopback."""

    token: SecretStr | None = Field(default=None, description="When set, /v1 calls need `Authorization: Bearer <token>`.")
    max_body_bytes: int = Field(default=256 * 1024, gt=0, description="Larger request bodies get 413.")
    max_batch: int = Field(default=50, gt=0, description="Most drafts in one batch call; more get 413.")
    time_budget: float = Field(
        default=2.0,
        gt=0,
        description="Seconds an analysis request may take, waiting included: the analysis stops there and its report "
        "says its findings may be incomplete (503 with Retry-After if it never got to start).",
    )
    max_queue: int = Field(
        default=32, gt=0, description="Analysis requests one worker holds, running or waiting; more get 503 with Retry-After."
    )
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
    # Each middleware added wraps those before it: security headers go on every answer, and CORS
    # wraps the guards so a browser can read their 413, 422 and 503.
    app.add_middleware(BodyGuard, max_bytes=settings.max_body_bytes)
    app.add_middleware(Admission, paths=_ANALYSIS_PATHS, max_held=settings.max_queue, seconds=settings.time_budget)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
        )
    app.add_middleware(SecurityHeaders)
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

    # Analysis is CPU-bound under the GIL: two threads let a short draft pass a long one, more only contend.
    limiter = anyio.CapacityLimiter(_ANALYSIS_THREADS)

    def analyze(draft: Draft, state: Any, may_refuse: bool = True) -> Report:
        """The report, within what is left of the request's time; 503 if none is left and nothing was done yet."""
        remaining = remaining_seconds(state)
        if remaining is not None and remaining <= 0:
            if may_refuse:
                raise HTTPException(503, BUSY_DETAIL, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
            remaining = _LEAST_SECONDS  # a batch's later drafts still get a (partial) report each
        report = analyzer.analyze(draft.reply, draft.customer, max_seconds=remaining)
        flagged = ", ".join(c.value for c in report.categories) or "nothing"
        if settings.log_drafts:
            log.info("draft %r (customer %r): score %d, flagged %s", draft.reply, draft.customer, report.score, flagged)
        else:
            log.debug("draft of %d characters: score %d, flagged %s", len(draft.reply), report.score, flagged)
        return report

    @router.post("/analyze", response_model=Report, tags=["analysis"])
    async def analyze_one(draft: Draft, request: Request) -> Response:
        """The report for one draft, exactly as the Python API's ``Report.model_dump(mode="json")``."""
        return await anyio.to_thread.run_sync(lambda: _json(analyze(draft, request.state)), limiter=limiter)

    @router.post(
        "/analyze/batch",
        response_model=BatchReports,
        tags=["analysis"],
        description=f"Reports for up to {settings.max_batch} drafts, in order; more get 413.",
    )
    async def analyze_batch(batch: Batch, request: Request) -> Response:
        if len(batch.items) > settings.max_batch:
            raise HTTPException(413, f"items: {len(batch.items)} drafts; the limit is {settings.max_batch} per call")

        def reports() -> Response:
            items = enumerate(batch.items)
            return _json(BatchReports(reports=[analyze(draft, request.state, may_refuse=i == 0) for i, draft in items]))

        return await anyio.to_thread.run_sync(reports, limiter=limiter)

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
            # Accepted connections inherit it; without it a response sent in two writes waits out the
            # client's delayed ACK (40 ms a request with two workers).
            listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
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
