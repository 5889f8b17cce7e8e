"""Real WebSocket clients for the live-stream tests (/ws/events and /ws/kitchen against a real server)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection


def ws_url(base: str, path: str, token: str, since: str | None = None) -> str:
    url = base.replace("http://", "ws://") + f"{path}?token={token}"
    return url + (f"&since={since}" if since else "")


def receive(ws: ClientConnection, timeout: float = 5.0) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(ws.recv(timeout=timeout))
    return message


def nothing_more(ws: ClientConnection, wait: float = 0.3) -> bool:
    try:
        ws.recv(timeout=wait)
    except TimeoutError:
        return True
    return False


def closed_with(ws: ClientConnection) -> int | None:
    """The close code the server sent, once the socket closes (messages before that are skipped)."""
    for _ in range(100):
        try:
            ws.recv(timeout=5)
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd is not None else None
    raise AssertionError("the socket stayed open")


def token_for(api: httpx.Client, username: str, pin: str = "1234") -> str:
    resp = api.post("/api/auth/login", json={"username": username, "pin": pin})
    assert resp.status_code == 200, resp.text
    token: str = resp.json()["access_token"]
    return token
