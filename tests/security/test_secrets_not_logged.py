"""No PIN, password, token, site key or SECRET_KEY ever reaches a log record, on either service.

Both services run under uvicorn on 127.0.0.1 with the access log on, and every record is captured at DEBUG (the
root logger and every logger that set a level of its own, so nothing is filtered before it is seen). The checks
look at the formatted message, the raw message and arguments, every extra attribute and any traceback.
"""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from websockets.sync.client import connect

from tests.cloud_backend.conftest import ADMIN
from tests.cloud_backend.conftest import TEST_SECRET as CLOUD_SECRET
from tests.conftest import TEST_SECRET as APPLIANCE_SECRET
from tests.security.conftest import WEBHOOK_SECRET, appliance_settings, build_appliance, build_cloud, cloud_settings
from tests.support.served import serve_in_thread

MANAGER_PIN = "86420135"
WRONG_PIN = "53197531"
WAITER_PIN = "24681357"
NEW_WAITER_PIN = "97531864"
WRONG_PASSWORD = "wrong-horse-battery-staple"
# The library loggers that would log SQL parameters at DEBUG: SQLAlchemy sets "sqlalchemy" to WARN itself, and
# LOG_LEVEL=DEBUG (the root level) leaves it there; echoing SQL is a developer's switch, not a log level.
LEFT_AT_THEIR_LEVEL = ("sqlalchemy",)
# This test's own clients, in the same process: their DEBUG lines (the redirect's Location) are not the services'.
# Neither service calls out here (no CLOUD_URL, no SMTP, no Razorpay), so nothing of theirs is dropped with them.
TEST_CLIENT_LOGGERS = ("httpx", "httpcore", "websockets.client")


@contextlib.contextmanager
def everything_logged(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """caplog at DEBUG for the root and for every logger with a level of its own (restored afterwards)."""
    caplog.set_level(logging.DEBUG)
    touched = []
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger) and logger.level and not name.startswith(LEFT_AT_THEIR_LEVEL):
            touched.append((logger, logger.level))
            logger.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        for logger, level in touched:
            logger.setLevel(level)


@contextlib.contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """The app under uvicorn on a free 127.0.0.1 port, access log on, records left to the root logger."""
    with serve_in_thread(app, name="uvicorn-secrets", access_log=True, log_level="debug") as url:
        yield url


def record_texts(record: logging.LogRecord) -> list[str]:
    texts = [record.getMessage(), str(record.msg), repr(record.args), repr(vars(record))]
    if record.exc_info and record.exc_info[1] is not None:
        texts.append("".join(traceback.format_exception(record.exc_info[1])))
    return texts


def assert_not_logged(caplog: pytest.LogCaptureFixture, secrets: dict[str, str]) -> None:
    assert len(caplog.records) > 10, "nothing was captured: the check would prove nothing"
    for record in caplog.records:
        if record.name.startswith(TEST_CLIENT_LOGGERS):
            continue
        for text in record_texts(record):
            for name, secret in secrets.items():
                assert secret not in text, f"{name} logged by {record.name}: {record.getMessage()[:300]}"


def jwt_parts(name: str, token: str) -> dict[str, str]:
    """A token and its signature alone (a log that cut the token would still leak that)."""
    return {name: token, f"{name} signature": token.rsplit(".", 1)[-1]}


class TestTheApplianceLogsNoSecret:
    def test_through_logins_failures_pin_changes_sockets_and_pairing(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        app = build_appliance(appliance_settings(tmp_path, manager_pin=MANAGER_PIN))
        with everything_logged(caplog), serve(app) as base, httpx.Client(base_url=base, timeout=20) as api:
            login = api.post("/api/auth/login", json={"username": "boss", "pin": MANAGER_PIN}).json()
            manager = {"Authorization": f"Bearer {login['access_token']}"}
            assert api.post("/api/auth/login", json={"username": "boss", "pin": WRONG_PIN}).status_code == 401
            assert api.post("/api/auth/login", json={"username": "nobody", "pin": WRONG_PIN}).status_code == 401
            refreshed = api.post("/api/auth/refresh", json={"refresh_token": login["refresh_token"]}).json()

            body = {"username": "maria", "display_name": "Maria", "role": "waiter", "pin": WAITER_PIN}
            waiter = api.post("/api/waiters/", json=body, headers=manager).json()
            reset = api.post(f"/api/waiters/{waiter['id']}/pin", json={"pin": NEW_WAITER_PIN}, headers=manager)
            assert reset.status_code // 100 == 2, reset.text
            waiter_login = api.post("/api/auth/login", json={"username": "maria", "pin": NEW_WAITER_PIN}).json()

            screen = api.post("/api/kitchen/screens", json={"name": "Grill", "expo": True}, headers=manager).json()
            assert api.get(f"/kitchen?pair={screen['token']}", follow_redirects=False).status_code == 308

            ws_base = base.replace("http://", "ws://")
            with connect(f"{ws_base}/ws/events?token={waiter_login['access_token']}", open_timeout=10) as socket:
                assert '"snapshot"' in socket.recv(timeout=10)
            with connect(f"{ws_base}/ws/kitchen?token={screen['token']}", open_timeout=10) as socket:
                assert '"snapshot"' in socket.recv(timeout=10)
            assert api.post("/api/auth/logout", json={"refresh_token": refreshed["refresh_token"]}, headers=manager)

        secrets = {
            "SECRET_KEY": APPLIANCE_SECRET,
            "the manager's PIN": MANAGER_PIN,
            "a wrong PIN": WRONG_PIN,
            "a new waiter's PIN": WAITER_PIN,
            "a reset PIN": NEW_WAITER_PIN,
            "the kitchen screen's token": screen["token"],
            **jwt_parts("an access token", login["access_token"]),
            **jwt_parts("a refresh token", login["refresh_token"]),
            **jwt_parts("a rotated refresh token", refreshed["refresh_token"]),
            **jwt_parts("the waiter's access token", waiter_login["access_token"]),
        }
        assert_not_logged(caplog, secrets)
        # The socket lines were logged (redacted), so the check above really looked at them.
        assert any("/ws/events" in r.getMessage() for r in caplog.records)


class TestTheCloudLogsNoSecret:
    def test_through_logins_failures_sites_keys_and_heartbeats(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        app = build_cloud(cloud_settings(tmp_path))
        with everything_logged(caplog), serve(app) as base, httpx.Client(base_url=base, timeout=20) as api:
            assert (
                api.post("/api/auth/login", json={"username": ADMIN[0], "password": WRONG_PASSWORD}).status_code == 401
            )
            login = api.post("/api/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]}).json()
            admin = {"Authorization": f"Bearer {login['access_token']}"}
            body = {
                "name": "Taverna",
                "owner_name": "Owner",
                "contact_email": "owner@example.com",
                "license_expires_at": "2027-01-01T00:00:00+00:00",
            }
            site = api.post("/api/sites/", json=body, headers=admin).json()
            beat = {"version": "1.0.0", "uptime_seconds": 5, "nonce": "n" * 24}
            headers = {"X-Site-ID": site["site_id"], "X-Site-Key": site["secret_key"]}
            assert api.post("/api/heartbeat/", json=beat, headers=headers).status_code == 200
            rotated = api.post(f"/api/sites/{site['site_id']}/rotate-key", headers=admin).json()
            stale = api.post("/api/heartbeat/", json=beat, headers=headers)  # the old key: refused, and logged?
            assert stale.status_code == 401
            fresh = {"X-Site-ID": site["site_id"], "X-Site-Key": rotated["secret_key"]}
            assert api.post("/api/heartbeat/", json=beat, headers=fresh).status_code == 200
            webhook = api.post("/api/billing/razorpay/webhook", content=b"{}", headers={"X-Razorpay-Signature": "x"})
            assert webhook.status_code == 400

        secrets = {
            "SECRET_KEY": CLOUD_SECRET,
            "the sysadmin's password": ADMIN[1],
            "a wrong password": WRONG_PASSWORD,
            "a site key": site["secret_key"],
            "a rotated site key": rotated["secret_key"],
            "the webhook secret": WEBHOOK_SECRET,
            **jwt_parts("an access token", login["access_token"]),
        }
        assert_not_logged(caplog, secrets)
