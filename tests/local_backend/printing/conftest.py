"""Fixtures for the printing tests: a fake printer on 127.0.0.1 and a bounded socket exchange."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.support.fake_printer import FakePrinter, fake_printer


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    with fake_printer(name="kitchen") as started:
        yield started


def exchange(address: tuple[str, int], data: bytes, *, expect: int = 0, timeout: float = 3.0) -> bytes:
    """Send `data` on a fresh connection, read up to `expect` reply bytes (bounded), close."""
    reply = b""
    with socket.create_connection(address, timeout=timeout) as conn:
        conn.sendall(data)
        while len(reply) < expect:
            chunk = conn.recv(expect - len(reply))
            if not chunk:
                break
            reply += chunk
    return reply
