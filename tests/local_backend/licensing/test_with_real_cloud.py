"""End to end on loopback: a real cloud process and a real appliance process, no mocks.

Register a site in the cloud, activate the appliance with it, lock the site, sync: new orders get 423 while the
open bill still settles; unlock, sync: orders are taken again.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from shared.clock import utcnow
from tests.cloud_backend.support import CloudProcess, admin_login
from tests.support.appliance import TEST_ENV, Appliance

pytestmark = pytest.mark.slow

ADMIN = ("root", "correct-horse-battery-staple")


@pytest.fixture(autouse=True)
def cloud_mock() -> None:
    """Nothing is mocked here (the package's autouse respx mock is switched off for this module)."""


@pytest.fixture
def cloud(tmp_path: Path) -> Iterator[CloudProcess]:
    env = {"ADMIN_USERNAME": ADMIN[0], "ADMIN_PASSWORD": ADMIN[1]}
    with CloudProcess(f"sqlite:///{tmp_path / 'cloud.db'}", tmp_path / "cloud.log", env=env) as started:
        yield started


def ok(resp: httpx.Response, status: int = 200) -> Any:
    assert resp.status_code == status, resp.text
    return resp.json() if resp.content else None


def test_register_activate_lock_and_unlock_with_both_real_servers(cloud: CloudProcess, tmp_path: Path) -> None:
    assert not respx.mock.routes  # really no mock in the way
    admin = admin_login(cloud.base_url, *ADMIN)
    with httpx.Client(base_url=cloud.base_url, headers=admin, timeout=10) as sysadmin:
        site = ok(
            sysadmin.post(
                "/api/sites/",
                json={
                    "name": "Kafeneio",
                    "owner_name": "Nikos",
                    "contact_email": "nikos@example.com",
                    "license_expires_at": (utcnow() + timedelta(days=30)).isoformat(),
                },
            ),
            201,
        )
        jwks = ok(sysadmin.get("/.well-known/jwks.json"))
        env = {**TEST_ENV, "LICENSE_PUBLIC_KEYS": httpx.Response(200, json=jwks).text}
        with (
            Appliance(tmp_path / "appliance", env=env) as appliance,
            httpx.Client(base_url=appliance.base_url, timeout=15) as pos,
        ):
            token = ok(pos.post("/api/auth/login", json={"username": "boss", "pin": "9999"}))["access_token"]
            pos.headers["Authorization"] = f"Bearer {token}"
            assert ok(pos.get("/api/license"))["state"] == "trial"

            status = ok(
                pos.post(
                    "/api/license/activate",
                    json={"site_id": site["site_id"], "site_key": site["secret_key"], "cloud_url": cloud.base_url},
                )
            )
            assert (status["state"], status["site_id"]) == ("active", site["site_id"])
            assert status["paid_through"][:10] == site["license_expires_at"][:10]

            tables = [ok(pos.post("/api/tables/", json={"number": n}), 201) for n in (1, 2, 3)]
            order = ok(pos.post("/api/orders/", json={"table_id": tables[0]["id"]}), 201)

            ok(sysadmin.post(f"/api/sites/{site['site_id']}/lock", json={"reason": "Invoice unpaid"}))
            status = ok(pos.post("/api/license/sync"))
            assert (status["state"], status["lock_reason"]) == ("locked", "Invoice unpaid")
            refused = pos.post("/api/orders/", json={"table_id": tables[1]["id"]})
            assert refused.status_code == 423
            assert refused.json()["code"] == "LICENSE_LOCKED"
            # The open (empty) order can still be closed: settling is never blocked.
            assert ok(pos.post(f"/api/orders/{order['id']}/close"))["status"] == "closed"

            ok(sysadmin.post(f"/api/sites/{site['site_id']}/unlock"))
            assert ok(pos.post("/api/license/sync"))["state"] == "active"
            ok(pos.post("/api/orders/", json={"table_id": tables[2]["id"]}), 201)

        # The cloud saw the appliance's heartbeats.
        detail = ok(sysadmin.get(f"/api/sites/{site['site_id']}"))
        assert detail["last_seen_at"] is not None
