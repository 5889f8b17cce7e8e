"""create_app: the licensing cloud's FastAPI application (sites, heartbeats and leases come with licensing)."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel

from cloud_backend import __version__
from cloud_backend.config import Settings
from shared.errors import install_error_handlers, install_openapi_errors


class HealthRead(BaseModel):
    status: str
    version: str


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the cloud app."""
    settings = settings or Settings()
    app = FastAPI(title="Tavolo cloud", version=__version__, description="Sites, licenses and leases.")
    app.state.settings = settings
    install_error_handlers(app)

    @app.get("/health", response_model=HealthRead, tags=["system"])
    def health() -> HealthRead:
        """Liveness."""
        return HealthRead(status="ok", version=__version__)

    install_openapi_errors(app)
    return app
