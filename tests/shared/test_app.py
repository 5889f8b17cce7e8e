"""How both backends build their app: state, house error bodies, refused paths, documented errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel

from shared.app import include_routers, new_app, retry_later
from shared.errors import Conflict

started: list[str] = []


class Busy(Conflict):
    code = "BUSY"


class Body(BaseModel):
    name: str


router = APIRouter(prefix="/api")


@router.get("/state")
def read_state(request: Request) -> dict[str, str]:
    return {"flavour": request.app.state.flavour}


@router.post("/things")
def make_thing(body: Body) -> dict[str, str]:
    if body.name == "busy":
        raise Busy("Try another name")
    return {"name": body.name}


@router.get("/unavailable")
def unavailable() -> None:
    raise RuntimeError("the database went away")


def build() -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        started.append(app.title)
        yield

    app = new_app(title="Test app", version="9.9", description="For tests.", lifespan=lifespan, flavour="vanilla")

    @app.exception_handler(RuntimeError)
    async def _retry(_: Request, exc: RuntimeError) -> JSONResponse:
        return retry_later("Try again", "DATABASE_UNAVAILABLE")

    include_routers(app, router)
    return app


class TestNewApp:
    def test_the_state_and_the_lifespan_are_the_callers(self) -> None:
        with TestClient(build()) as client:
            assert client.get("/api/state").json() == {"flavour": "vanilla"}
        assert started[-1] == "Test app"

    def test_errors_are_rendered_as_detail_and_code(self) -> None:
        with TestClient(build()) as client:
            resp = client.post("/api/things", json={"name": "busy"})
            assert (resp.status_code, resp.json()) == (409, {"detail": "Try another name", "code": "BUSY"})
            assert client.post("/api/things", json={}).json()["code"] == "VALIDATION_ERROR"

    def test_a_path_with_a_control_character_is_not_found(self) -> None:
        with TestClient(build()) as client:
            resp = client.get("/api/state%0A")
            assert (resp.status_code, resp.json()["code"]) == (404, "NOT_FOUND")


class TestIncludeRouters:
    def test_the_openapi_document_shows_the_real_error_bodies(self) -> None:
        schema = build().openapi()
        post = schema["paths"]["/api/things"]["post"]
        assert "400" in post["responses"]  # an unparsable body
        assert schema["components"]["schemas"]["HTTPValidationError"]["required"] == ["detail", "code"]


class TestRetryLater:
    def test_is_a_503_with_retry_after_and_the_house_body(self) -> None:
        with TestClient(build(), raise_server_exceptions=False) as client:
            resp = client.get("/api/unavailable")
        assert resp.status_code == 503
        assert resp.headers["retry-after"] == "1"
        assert resp.json() == {"detail": "Try again", "code": "DATABASE_UNAVAILABLE"}
