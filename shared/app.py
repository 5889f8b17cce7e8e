"""How both backends build their FastAPI app around their own routers, state and lifespan."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from starlette.types import Lifespan

from shared.errors import install_error_handlers, install_openapi_errors
from shared.observability import HttpMetrics, RequestObservability, ResponseHook
from shared.paths import RejectControlCharacters


def new_app(
    *,
    title: str,
    version: str,
    description: str,
    lifespan: Lifespan[FastAPI],
    http_metrics: HttpMetrics | None = None,
    on_response: ResponseHook | None = None,
    **state: Any,
) -> FastAPI:
    """The app with `state` on `app.state`, errors rendered as `{detail, code}`, bad paths refused, and every
    request given an id and (with `http_metrics`) timed; `on_response` is told each route and status."""
    app = FastAPI(title=title, version=version, description=description, lifespan=lifespan)
    for name, value in state.items():
        setattr(app.state, name, value)
    app.state.http_metrics = http_metrics
    install_error_handlers(app)
    app.add_middleware(RejectControlCharacters)
    # Added last, so outermost: it times (and ids) everything, refused paths included.
    app.add_middleware(
        RequestObservability,
        latency=http_metrics.latency if http_metrics is not None else None,
        on_response=on_response,
    )
    return app


def include_routers(app: FastAPI, *routers: APIRouter) -> None:
    """Serve `routers` (matched in this order), then make the OpenAPI document show the real error bodies."""
    for router in routers:
        app.include_router(router)
    install_openapi_errors(app)


def retry_later(detail: str, code: str) -> JSONResponse:
    """503 for a failure the client may simply retry (with the same Idempotency-Key, where it has one)."""
    return JSONResponse({"detail": detail, "code": code}, status_code=503, headers={"Retry-After": "1"})
