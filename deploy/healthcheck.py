"""Container health check, standard library only: exit 0 when the service answers, 1 when it does not.

    python healthcheck.py appliance                 GET /api/system/health on $PORT (8000), over HTTPS when the
                                                    appliance serves TLS itself (SSL_CERTFILE set)
    python healthcheck.py cloud                     GET /health on $PORT (8001)
    python healthcheck.py http://127.0.0.1:8000/x   any URL: a 2xx reply
    python healthcheck.py escpos://127.0.0.1:9100   a network printer answers DLE EOT 1 with its status byte

Docker runs it inside the container, so it checks the process from where it listens, not through the network.
"""

from __future__ import annotations

import os
import socket
import ssl
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 3.0
# DLE EOT 1: the real-time "printer status" request every ESC/POS printer answers with one byte, even when it is
# busy or out of paper, so an answer means the printer's network side is alive.
STATUS_REQUEST = b"\x10\x04\x01"


def target_url(target: str, env: dict[str, str]) -> str:
    """The URL to check for a named service, or the target itself."""
    if target == "appliance":
        scheme = "https" if env.get("SSL_CERTFILE") else "http"
        return f"{scheme}://127.0.0.1:{env.get('PORT') or 8000}/api/system/health"
    if target == "cloud":
        return f"http://127.0.0.1:{env.get('PORT') or 8001}/health"
    return target


def check_http(url: str) -> str | None:
    """None when the URL answers 2xx, else why not."""
    # The certificate is for the LAN name, not 127.0.0.1, and it is the process's own: nothing to verify here.
    context = ssl._create_unverified_context() if url.startswith("https:") else None  # noqa: S323
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS, context=context) as reply:  # noqa: S310
            status: int = reply.status
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return None if 200 <= status < 300 else f"HTTP {status}"


def check_printer(host: str, port: int) -> str | None:
    """None when the printer answers a status request, else why not."""
    try:
        with socket.create_connection((host, port), timeout=TIMEOUT_SECONDS) as sock:
            sock.settimeout(TIMEOUT_SECONDS)
            sock.sendall(STATUS_REQUEST)
            if not sock.recv(1):
                return "the printer closed the connection without a status byte"
    except OSError as exc:
        return str(exc) or type(exc).__name__
    return None


def check(target: str, env: dict[str, str]) -> str | None:
    url = target_url(target, env)
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        return check_http(url)
    if parts.scheme == "escpos" and parts.hostname:
        return check_printer(parts.hostname, parts.port or 9100)
    return f"unknown target {target!r} (appliance, cloud, http(s)://… or escpos://host:port)"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 1  # Docker reserves 2; anything but 0 is unhealthy
    problem = check(argv[0], dict(os.environ))
    if problem is not None:
        print(f"unhealthy: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
