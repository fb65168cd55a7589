"""``toneguard serve``: the HTTP service. Kept apart from ``toneguard.server`` so the CLI starts without FastAPI."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .common import InputError, build_analyzer, load_config, user_errors


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; loopback unless you mean to expose it.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    token_file: Annotated[
        Optional[Path], typer.Option("--token-file", help="File holding a bearer token every /v1 call must send.")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes, each with its own analyzer.")] = 1,
    max_body_bytes: Annotated[int, typer.Option(min=1, help="Larger request bodies get 413.")] = 256 * 1024,
    max_batch: Annotated[int, typer.Option(min=1, help="Most drafts in one batch call.")] = 50,
    time_budget: Annotated[
        float,
        typer.Option(min=0.01, help="Seconds an analysis request may take, waiting included; then partial findings, with a note."),
    ] = 2.0,
    max_queue: Annotated[
        int, typer.Option(min=1, help="Analysis requests a worker holds, running or waiting; more get 503 with Retry-After.")
    ] = 32,
    cors_origin: Annotated[
        Optional[list[str]],
        typer.Option("--cors-origin", help="Web origin allowed to call the API from a browser; repeatable.", metavar="ORIGIN"),
    ] = None,
    log_drafts: Annotated[bool, typer.Option("--log-drafts", help="Write draft text to the log (off by default).")] = False,
    config_path: Annotated[
        Optional[Path],
        typer.Option("--config", help="Settings file (toneguard.toml or pyproject.toml); default: discovered from here."),
    ] = None,
) -> None:
    """Serve the HTTP API and the draft page (needs the `server` extra)."""
    with user_errors():
        try:
            from .. import server
        except ImportError as err:
            raise InputError(f"serve needs the server extra: pip install 'toneguard[server]' ({err})") from None
        token = read_token(token_file) if token_file is not None else None
        settings = server.ServerSettings(
            token=token,
            max_body_bytes=max_body_bytes,
            max_batch=max_batch,
            time_budget=time_budget,
            max_queue=max_queue,
            cors_origins=cors_origin or [],
            log_drafts=log_drafts,
        )
        config = load_config(config_path)
        build_analyzer(config)  # a broken settings or rules file is reported here, not in a worker's traceback
    server.run(config, settings, host=host, port=port, workers=workers)


def read_token(path: Path) -> str:
    try:
        token = path.read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"cannot read the token file {path}: {err}") from None
    if not token:
        raise InputError(f"the token file {path} is empty")
    return token
