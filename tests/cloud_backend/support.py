"""A real `python -m cloud_backend` process on a free 127.0.0.1 port (for the two-replica test and the benchmark).

Every wait is bounded and the process is always ended on exit, so a broken server fails a test instead of
hanging it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import httpx

from tests.support.appliance import REPO_ROOT, free_port

CLOUD_SECRET = "cloud-process-secret-key-long-enough-for-hs256-0123456789"


class CloudError(RuntimeError):
    """The cloud process did not start or died."""


class CloudProcess:
    """`python -m cloud_backend` with a minimal environment plus `env`; use as a context manager."""

    def __init__(
        self,
        database_url: str,
        log_path: Path,
        *,
        env: dict[str, str] | None = None,
        workers: int = 1,
        startup_timeout: float = 30.0,
    ) -> None:
        self.database_url = database_url
        self.log_path = log_path
        self.extra_env = dict(env or {})
        self.workers = workers
        self.startup_timeout = startup_timeout
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"}}
        env.update(
            {
                "PYTHONPATH": str(REPO_ROOT),
                "PYTHONUNBUFFERED": "1",
                "DATABASE_URL": self.database_url,
                "SECRET_KEY": CLOUD_SECRET,
                "WEB_DIR": str(self.log_path.parent / "no-panel"),
            }
        )
        env.update(self.extra_env)
        return env

    def start(self) -> CloudProcess:
        self.port = free_port()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        cmd = [sys.executable, "-m", "cloud_backend", "--host", "127.0.0.1", "--port", str(self.port)]
        if self.workers > 1:
            cmd += ["--workers", str(self.workers)]
        self.proc = subprocess.Popen(
            cmd, env=self.env, cwd=REPO_ROOT, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def wait_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                raise CloudError(f"the cloud exited while starting:\n{self.log_tail()}")
            try:
                if httpx.get(self.base_url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise CloudError(f"the cloud was not healthy within {self.startup_timeout:.0f}s:\n{self.log_tail()}")

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            # The whole group: with --workers, uvicorn's children must go too.
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def __enter__(self) -> CloudProcess:
        self.start()
        try:
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def admin_login(base_url: str, username: str, password: str) -> dict[str, Any]:
    resp = httpx.post(base_url + "/api/auth/login", json={"username": username, "password": password}, timeout=10)
    resp.raise_for_status()
    return {"Authorization": f"Bearer {resp.json()['access_token']}"}
