"""Both apps as production builds them (security headers, CORS, web apps served), for the security pass.

The web apps are small stand-ins written into a temp dir (an index.html and a hashed asset each), so these tests
need no `npm run build`. Both create_app functions install the security headers and CORS themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from cloud_backend.app import create_app as create_cloud_app
from cloud_backend.config import Settings as CloudSettings
from local_backend.app import create_app as create_appliance_app
from local_backend.config import Settings as ApplianceSettings
from tests.cloud_backend.conftest import FakeClock
from tests.cloud_backend.conftest import make_settings as make_cloud_settings
from tests.conftest import make_settings as make_appliance_settings

WEB_APPS = ("waiter", "kitchen", "manager", "guest", "sysadmin")
INDEX_MARK = "tavolo-test-index"
WEBHOOK_SECRET = "whsec-security-tests-0123456789"


def write_web_apps(root: Path) -> Path:
    """A built-looking `frontends/dist`: each app's index.html and one hashed asset, plus a file beside it all."""
    for name in WEB_APPS:
        app_dir = root / "dist" / name
        (app_dir / "assets").mkdir(parents=True, exist_ok=True)
        (app_dir / "index.html").write_text(f"<!doctype html><title>{name}</title><p>{INDEX_MARK} {name}</p>")
        (app_dir / "assets" / "index-abc123.js").write_text("console.log('app');")
    # A secret beside the served tree: no path may reach it.
    (root / "secret.txt").write_text("do-not-serve")
    return root / "dist"


def appliance_settings(tmp: Path, **overrides: Any) -> ApplianceSettings:
    values: dict[str, Any] = {"web_dir": write_web_apps(tmp / "web")}
    values.update(overrides)
    return make_appliance_settings(tmp, **values)


def build_appliance(settings: ApplianceSettings) -> FastAPI:
    app = create_appliance_app(settings)
    assert app.state.web_security
    return app


def cloud_settings(tmp: Path, database_url: str | None = None, **overrides: Any) -> CloudSettings:
    values: dict[str, Any] = {
        "web_dir": write_web_apps(tmp / "web") / "sysadmin",
        "razorpay_webhook_secret": WEBHOOK_SECRET,
    }
    values.update(overrides)
    return make_cloud_settings(database_url or f"sqlite:///{tmp / 'cloud.db'}", tmp, **values)


def build_cloud(settings: CloudSettings, clock: FakeClock | None = None) -> FastAPI:
    app = create_cloud_app(settings, clock=clock or FakeClock())
    assert app.state.web_security
    return app
