"""Errors that carry their HTTP status and a machine-readable code, and the handlers that render them.

Every error response of both backends is `{"detail": "human text", "code": "MACHINE_CODE"}`.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class ErrorOut(BaseModel):
    """The body of every error response."""

    detail: str
    code: str


class AppError(Exception):
    """Base of every expected error; subclasses set status_code and code."""

    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "BAD_REQUEST"
    default_detail: ClassVar[str] = "Bad request"
    # Some failures must still be recorded (failed logins): the request's transaction commits before rendering.
    commit_on_raise: ClassVar[bool] = False

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None) -> None:
        self.detail = detail or self.default_detail
        self.headers = headers
        super().__init__(self.detail)


class BadRequest(AppError):
    status_code = 400
    code = "BAD_REQUEST"


class Unauthorized(AppError):
    status_code = 401
    code = "NOT_AUTHENTICATED"
    default_detail = "Not authenticated"


class PaymentRequired(AppError):
    status_code = 402
    code = "PAYMENT_REQUIRED"
    default_detail = "License required"


class Forbidden(AppError):
    status_code = 403
    code = "FORBIDDEN"
    default_detail = "You may not do this"


class NotFound(AppError):
    status_code = 404
    code = "NOT_FOUND"
    default_detail = "Not found"


class Conflict(AppError):
    status_code = 409
    code = "CONFLICT"
    default_detail = "Conflicts with the current state"


class PayloadTooLarge(AppError):
    status_code = 413
    code = "PAYLOAD_TOO_LARGE"
    default_detail = "Payload too large"


class UnsupportedMediaType(AppError):
    status_code = 415
    code = "UNSUPPORTED_MEDIA_TYPE"
    default_detail = "Unsupported media type"


class Unprocessable(AppError):
    status_code = 422
    code = "VALIDATION_ERROR"
    default_detail = "Invalid input"


class Locked(AppError):
    status_code = 423
    code = "LOCKED"
    default_detail = "Locked"


class TooManyRequests(AppError):
    status_code = 429
    code = "TOO_MANY_REQUESTS"
    default_detail = "Too many requests"


def error_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for a route from the errors it can raise."""
    out: dict[int | str, dict[str, Any]] = {}
    for err in errors:
        entry = out.setdefault(err.status_code, {"model": ErrorOut, "description": ""})
        codes = [c for c in entry["description"].split(", ") if c]
        if err.code not in codes:
            codes.append(err.code)
        entry["description"] = ", ".join(codes)
    return out


_HTTP_CODES = {
    400: "BAD_REQUEST",
    401: "NOT_AUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "TOO_MANY_REQUESTS",
}


def _summarize_validation(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{loc}: {err.get('msg', 'invalid')}" if loc else str(err.get("msg", "invalid")))
    return "; ".join(parts) or "Invalid input"


def _safe_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Input echoed back may hold bytes or objects that are not JSON; keep only what is.
    return [
        {
            "loc": [str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()[:20]
    ]


def install_error_handlers(app: FastAPI) -> None:
    """Render every error as `{detail, code}`; nothing a client sends may produce a 500 body leak."""

    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail, "code": exc.code}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            {"detail": _summarize_validation(exc), "code": "VALIDATION_ERROR", "errors": _safe_errors(exc)},
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "HTTP_ERROR")
        detail = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ").capitalize()
        return JSONResponse(
            {"detail": detail, "code": code},
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse({"detail": "Internal error", "code": "INTERNAL_ERROR"}, status_code=500)


def install_openapi_errors(app: FastAPI) -> None:
    """Make the OpenAPI document say what the handlers above really send.

    FastAPI documents its own 422 body (`detail` as a list); ours is `{detail, code, errors}`. And any route
    with a body answers 400 BAD_REQUEST when the body cannot be parsed at all.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas["HTTPValidationError"] = {
            "title": "HTTPValidationError",
            "type": "object",
            "required": ["detail", "code"],
            "properties": {
                "detail": {"type": "string", "title": "Detail"},
                "code": {"type": "string", "title": "Code", "enum": ["VALIDATION_ERROR"]},
                "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}},
            },
        }
        schemas.setdefault("ErrorOut", ErrorOut.model_json_schema())
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                if isinstance(operation, dict) and "requestBody" in operation:
                    operation.setdefault("responses", {}).setdefault(
                        "400",
                        {
                            "description": "BAD_REQUEST: the body could not be parsed",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
                        },
                    )
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
