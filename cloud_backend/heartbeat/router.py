"""/api/heartbeat: appliances report in and get their lease (authenticated by site id and key headers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from cloud_backend.deps import client_ip
from cloud_backend.heartbeat import service
from cloud_backend.sites.heartbeats import HeartbeatRateLimited, SiteAuthFailed
from shared.errors import error_responses
from shared.wire import SITE_ID_HEADER, SITE_KEY_HEADER, HeartbeatIn, HeartbeatOut

router = APIRouter(prefix="/api/heartbeat", tags=["heartbeat"])

# Read from the request directly, not declared as Header() parameters: FastAPI inspects each declared
# parameter's annotation on every request, a measurable cost on the hot path. Documented here instead.
_HEADERS = [
    {"name": SITE_ID_HEADER, "in": "header", "required": True, "schema": {"type": "string"}, "description": "Site id"},
    {
        "name": SITE_KEY_HEADER,
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
        "description": "Site key",
    },
]


@router.post(
    "/",
    response_model=HeartbeatOut,
    responses=error_responses(SiteAuthFailed, HeartbeatRateLimited),
    openapi_extra={"parameters": _HEADERS},
)
async def heartbeat(body: HeartbeatIn, request: Request) -> Any:
    """Record a heartbeat and answer with the license decision and a signed lease (401 bad site/key, 429 too often)."""
    state = request.app.state
    headers = request.headers
    out = await service.beat(
        state.heartbeats,
        site_id=headers.get(SITE_ID_HEADER),
        site_key=headers.get(SITE_KEY_HEADER),
        ip=client_ip(request),
        body=body,
        now=state.clock(),
    )
    # Serialized here, once: the hot path skips FastAPI's re-validation of a model it has just built.
    return Response(out.model_dump_json(), media_type="application/json")
