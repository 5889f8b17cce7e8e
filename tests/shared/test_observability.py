"""Request ids, request latency by route template, /metrics and its token, and the JSON log lines."""

from __future__ import annotations

import io
import json
import logging
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from shared.app import include_routers, new_app
from shared.observability import (
    REDACTED,
    UNMATCHED_ROUTE,
    HttpMetrics,
    JsonFormatter,
    RequestIdFilter,
    TextFormatter,
    configure_logging,
    current_request_id,
    metrics_router,
    redact,
)

ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger("tests.observability")


@asynccontextmanager
async def _lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield


router = APIRouter(prefix="/api")


@router.get("/items/{item_id}")
def read_item(item_id: int) -> dict[str, str | None]:
    log.info("reading item %s", item_id)  # a sync endpoint: runs in a worker thread
    return {"request_id": current_request_id()}


@router.get("/async")
async def read_async() -> dict[str, str | None]:
    log.info("async endpoint")
    return {"request_id": current_request_id()}


@router.get("/boom")
def boom() -> None:
    raise RuntimeError("the endpoint broke")


def build(*, token: str | None = None) -> tuple[FastAPI, HttpMetrics]:
    metrics = HttpMetrics()
    app = new_app(title="t", version="1", description="d", lifespan=_lifespan, http_metrics=metrics)
    include_routers(app, router, metrics_router(metrics, token=token))
    return app, metrics


@pytest.fixture
def client() -> Iterator[TestClient]:
    app, _ = build()
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def records() -> Iterator[io.StringIO]:
    """What the test logger writes while the test runs, as JSON lines."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    try:
        yield out
    finally:
        log.removeHandler(handler)


def samples(
    client: TestClient, name: str, headers: dict[str, str] | None = None
) -> dict[tuple[tuple[str, str], ...], float]:
    resp = client.get("/metrics", headers=headers or {})
    assert resp.status_code == 200, resp.text
    out = {}
    for family in text_string_to_metric_families(resp.text):
        for sample in family.samples:
            if sample.name == name:
                out[tuple(sorted(sample.labels.items()))] = sample.value
    return out


class TestRequestIds:
    def test_a_safe_incoming_request_id_is_kept_and_echoed(self, client: TestClient) -> None:
        resp = client.get("/api/async", headers={"X-Request-ID": "phone-7:abc.123"})
        assert resp.headers["X-Request-ID"] == "phone-7:abc.123"
        assert resp.json()["request_id"] == "phone-7:abc.123"

    @pytest.mark.parametrize("given", ["x" * 65, "has space", 'quote"d', "<script>", "ünïcode"])
    def test_an_unsafe_incoming_id_is_replaced_by_a_generated_one(self, client: TestClient, given: str) -> None:
        resp = client.get("/api/async", headers={"X-Request-ID": given.encode("utf-8")})
        echoed = resp.headers["X-Request-ID"]
        assert echoed != given
        assert len(echoed) == 16
        int(echoed, 16)

    def test_each_request_without_an_id_gets_its_own(self, client: TestClient) -> None:
        first = client.get("/api/async").headers["X-Request-ID"]
        second = client.get("/api/async").headers["X-Request-ID"]
        assert first != second

    def test_log_records_written_during_a_request_carry_its_id_in_worker_threads_too(
        self, client: TestClient, records: io.StringIO
    ) -> None:
        client.get("/api/items/5", headers={"X-Request-ID": "sync-1"})
        client.get("/api/async", headers={"X-Request-ID": "async-1"})
        lines = [json.loads(line) for line in records.getvalue().splitlines()]
        assert [(line["message"], line["request_id"]) for line in lines] == [
            ("reading item 5", "sync-1"),
            ("async endpoint", "async-1"),
        ]

    def test_outside_a_request_there_is_no_id(self) -> None:
        assert current_request_id() is None


class TestLatencyByRoute:
    def test_requests_are_labelled_by_route_template_not_by_path(self, client: TestClient) -> None:
        for item_id in (1, 2, 3):
            client.get(f"/api/items/{item_id}")
        counts = samples(client, "tavolo_http_request_duration_seconds_count")
        key = (("method", "GET"), ("route", "/api/items/{item_id}"), ("status", "2xx"))
        assert counts[key] == 3
        assert not any("/api/items/1" in dict(labels)["route"] for labels in counts)

    def test_unmatched_paths_share_one_label(self, client: TestClient) -> None:
        for path in ("/nope", "/api/nothing/here", "/api/items/%0A"):
            client.get(path)
        counts = samples(client, "tavolo_http_request_duration_seconds_count")
        assert counts[(("method", "GET"), ("route", UNMATCHED_ROUTE), ("status", "4xx"))] == 3

    def test_a_crashing_endpoint_counts_as_a_server_error(self, client: TestClient) -> None:
        assert client.get("/api/boom").status_code == 500
        counts = samples(client, "tavolo_http_request_duration_seconds_count")
        assert counts[(("method", "GET"), ("route", "/api/boom"), ("status", "5xx"))] == 1

    def test_unknown_methods_share_one_label(self, client: TestClient) -> None:
        client.request("BREW", "/api/async")
        counts = samples(client, "tavolo_http_request_duration_seconds_count")
        assert any(dict(labels)["method"] == "OTHER" for labels in counts)

    def test_every_metric_is_prefixed_tavolo(self, client: TestClient) -> None:
        client.get("/api/async")
        text = client.get("/metrics").text
        names = {family.name for family in text_string_to_metric_families(text)}
        assert names
        assert all(name.startswith("tavolo_") for name in names), names


class TestMetricsToken:
    def test_without_a_token_setting_metrics_are_open(self) -> None:
        app, _ = build()
        with TestClient(app) as c:
            assert c.get("/metrics").status_code == 200

    def test_with_a_token_setting_a_scrape_needs_that_bearer_token(self) -> None:
        app, _ = build(token="scrape-secret")
        with TestClient(app) as c:
            missing = c.get("/metrics")
            assert missing.status_code == 401
            assert missing.json()["code"] == "METRICS_TOKEN_REQUIRED"
            assert c.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
            ok = c.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})
            assert ok.status_code == 200
            assert "tavolo_http_request_duration_seconds" in ok.text

    def test_metrics_stay_out_of_the_openapi_document(self) -> None:
        app, _ = build()
        assert "/metrics" not in app.openapi()["paths"]


class TestJsonLines:
    def test_a_record_is_one_json_object_with_time_level_logger_message_request_id_and_extras(self) -> None:
        record = logging.LogRecord("tavolo.orders", logging.WARNING, __file__, 1, "order %s late", (7,), None)
        record.order_id = 7
        line = JsonFormatter().format(record)
        assert "\n" not in line
        body = json.loads(line)
        assert body["level"] == "WARNING"
        assert body["logger"] == "tavolo.orders"
        assert body["message"] == "order 7 late"
        assert body["request_id"] is None
        assert body["order_id"] == 7
        assert body["time"].endswith("Z")
        assert datetime.fromisoformat(body["time"].replace("Z", "+00:00")).utcoffset() == timedelta(0)

    def test_an_exception_is_kept_inside_the_one_line(self) -> None:
        try:
            raise ValueError("bad value")
        except ValueError:
            record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
        body = json.loads(JsonFormatter().format(record))
        assert "ValueError: bad value" in body["exc"]


class TestSecretsNeverLogged:
    JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"

    @pytest.mark.parametrize(
        "message",
        [
            f'127.0.0.1:5 - "WebSocket /ws/events?token={JWT}&since=a:1" [accepted]',
            f"Authorization: Bearer {JWT}",
            "login with pin=1234 failed",
            "heartbeat with site_key=sk_abcdef",
            "password=hunter22 rejected",
            f"a token {JWT} somewhere",
        ],
    )
    def test_credentials_in_messages_are_redacted(self, message: str) -> None:
        record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, message, (), None)
        for formatter in (JsonFormatter(), TextFormatter()):
            line = formatter.format(record)
            assert REDACTED in line
            for secret in (self.JWT, "1234", "sk_abcdef", "hunter22"):
                assert secret not in line

    def test_extras_named_like_secrets_are_redacted(self) -> None:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "login", (), None)
        record.pin = "4321"
        record.site_key = "sk_zzz"
        record.headers = {"Authorization": "Bearer abc", "X-Site-Key": "sk_q", "Accept": "text/plain"}
        record.username = "maria"
        body = json.loads(JsonFormatter().format(record))
        assert body["pin"] == REDACTED
        assert body["site_key"] == REDACTED
        assert body["headers"] == {"Authorization": REDACTED, "X-Site-Key": REDACTED, "Accept": "text/plain"}
        assert body["username"] == "maria"

    def test_ordinary_text_is_left_alone(self) -> None:
        assert redact("order 12 paid by card, printing on kitchen") == "order 12 paid by card, printing on kitchen"


class TestConfigureLogging:
    def run(self, code: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True
        )
        return done.stderr.splitlines()

    def test_a_process_logs_json_lines_to_stderr_once_even_when_configured_twice(self) -> None:
        lines = self.run(
            "import logging\n"
            "from shared.observability import configure_logging\n"
            "configure_logging('json', 'INFO')\n"
            "configure_logging('json', 'INFO')\n"
            "logging.getLogger('uvicorn.error').info('started')\n"
            "logging.getLogger('tavolo').debug('hidden')\n"
            "logging.getLogger('tavolo').info('hello %s', 'world', extra={'pin': '1234', 'table': 4})\n"
        )
        bodies = [json.loads(line) for line in lines]
        assert [(b["logger"], b["message"]) for b in bodies] == [
            ("uvicorn.error", "started"),
            ("tavolo", "hello world"),
        ]
        assert bodies[1]["pin"] == REDACTED
        assert bodies[1]["table"] == 4

    def test_text_format_writes_the_classic_line(self) -> None:
        lines = self.run(
            "import logging\n"
            "from shared.observability import configure_logging\n"
            "configure_logging('text', 'INFO')\n"
            "logging.getLogger('tavolo').info('hello')\n"
        )
        assert len(lines) == 1
        assert lines[0].endswith("INFO tavolo [-]: hello")

    def test_under_uvicorn_every_line_is_json_and_the_access_line_has_the_request_id_and_no_token(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        code = (
            "import logging, uvicorn\n"
            "from contextlib import asynccontextmanager\n"
            "from fastapi import APIRouter\n"
            "from shared.app import include_routers, new_app\n"
            "from shared.observability import logging_config\n"
            "@asynccontextmanager\n"
            "async def life(app):\n"
            "    yield\n"
            "r = APIRouter()\n"
            "@r.get('/ping')\n"
            "def ping():\n"
            "    logging.getLogger('tavolo.ping').info('pong')\n"
            "    return {}\n"
            "app = new_app(title='t', version='1', description='d', lifespan=life)\n"
            "include_routers(app, r)\n"
            f"uvicorn.run(app, host='127.0.0.1', port={port}, log_config=logging_config('json', 'INFO'),"
            " access_log=True, log_level='info')\n"
        )
        server = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    resp = httpx.get(
                        f"http://127.0.0.1:{port}/ping?token=s3cr3t-token&x=1",
                        headers={"X-Request-ID": "e2e-1"},
                        timeout=2,
                    )
                    break
                except httpx.TransportError:
                    assert server.poll() is None, "the server died"
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.05)
            assert resp.headers["X-Request-ID"] == "e2e-1"
        finally:
            server.terminate()
            _, stderr = server.communicate(timeout=20)
        bodies = [json.loads(line) for line in stderr.splitlines() if line.strip()]
        pong = [b for b in bodies if b["message"] == "pong"]
        access = [b for b in bodies if b["logger"] == "uvicorn.access"]
        assert [b["request_id"] for b in pong] == ["e2e-1"]
        assert len(access) == 1
        assert access[0]["request_id"] == "e2e-1"
        assert f"token={REDACTED}" in access[0]["message"]
        assert "s3cr3t-token" not in stderr

    def test_an_unknown_format_is_refused(self) -> None:
        with pytest.raises(ValueError, match="unknown log format"):
            configure_logging("xml", "INFO")
