"""An app under a real uvicorn on a free 127.0.0.1 port, in a thread of the test process."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn


@contextlib.contextmanager
def serve_in_thread(app: Any, *, name: str = "uvicorn", start_timeout: float = 20.0, **config: Any) -> Iterator[str]:
    """Serve `app` and yield its base URL; stopped on exit. `config` goes to uvicorn.Config: by default no log
    config of its own (records reach the root logger, where caplog sees them) and no access log."""
    options: dict[str, Any] = {"log_config": None, "access_log": False, **config}
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, **options))
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout
    while not server.started:
        assert thread.is_alive(), "uvicorn stopped while starting"
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)
