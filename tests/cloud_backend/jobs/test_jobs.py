"""Periodic jobs: stale sites alerted once per episode, expiry reminders once per site and date, pruning, and
each slot run once, also with two real cloud processes on one PostgreSQL schema."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from cloud_backend.alerts.models import Alert
from cloud_backend.app import create_app
from cloud_backend.audit.models import AuditEvent
from cloud_backend.auth.models import LoginFailure
from cloud_backend.config import Settings
from cloud_backend.db import Database
from cloud_backend.jobs.models import JobRun
from cloud_backend.jobs.runner import Job, run_once, slot_of
from cloud_backend.jobs.service import build_jobs
from cloud_backend.sites.models import Heartbeat, Site
from tests.cloud_backend.conftest import ADMIN, START, Beat, FakeClock, RegisteredSite, make_settings, postgres_schema
from tests.cloud_backend.support import CloudProcess, admin_login

Register = Callable[..., RegisteredSite]


@pytest.fixture
def run_job(database: Database, cloud_settings: Settings, clock: FakeClock) -> Callable[[str], Any]:
    jobs = {job.name: job for job in build_jobs(cloud_settings)}

    def _run(name: str) -> Any:
        return run_once(database, jobs[name], now=clock.now, runner="test")

    return _run


def count(database: Database, model: type, *where: Any) -> int:
    with database.write_session() as db:
        return int(db.scalar(select(func.count()).select_from(model).where(*where)) or 0)


class TestStaleSites:
    def test_a_site_that_goes_quiet_is_alerted_once_per_episode(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        beat: Beat,
        clock: FakeClock,
        run_job: Callable[[str], Any],
        database: Database,
    ) -> None:
        site = register_site(grace_hours=24)
        quiet_never_seen = register_site()  # never heartbeated: "never seen", not stale
        beat(site)
        clock.advance(hours=30)
        assert run_job("stale_sites") == {"stale": []}  # exactly interval + grace: not yet
        clock.advance(minutes=5)
        assert run_job("stale_sites") == {"stale": [site.site_id]}
        for _ in range(3):
            clock.advance(minutes=5)
            assert run_job("stale_sites") == {"stale": []}  # the same episode: no new alert
        [alert] = cloud.get("/api/alerts/", params={"kind": "site_stale"}, headers=admin_headers).json()
        assert alert["site_id"] == site.site_id
        assert "no heartbeat since 2026-11-22 12:00 UTC" in alert["message"]
        detail = cloud.get(f"/api/sites/{site.site_id}", headers=admin_headers).json()
        assert detail["status"] == "stale"
        assert detail["stale_since"] is not None
        assert [a["kind"] for a in detail["alerts"]] == ["site_stale"]
        # It comes back, then goes quiet again: a new episode, a new alert.
        beat(site)
        assert cloud.get(f"/api/sites/{site.site_id}", headers=admin_headers).json()["stale_since"] is None
        clock.advance(hours=31)
        assert run_job("stale_sites") == {"stale": [site.site_id]}
        assert count(database, AuditEvent, AuditEvent.action == "site.stale") == 2
        assert count(database, Alert, Alert.site_id == quiet_never_seen.site_id) == 0

    def test_deregistered_sites_are_not_watched(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        beat: Beat,
        clock: FakeClock,
        run_job: Callable[[str], Any],
    ) -> None:
        site = register_site()
        beat(site)
        cloud.delete(f"/api/sites/{site.site_id}", headers=admin_headers)
        clock.advance(days=3)
        assert run_job("stale_sites") == {"stale": []}


class TestExpiryReminders:
    def test_a_license_expiring_within_seven_days_is_reminded_once_per_expiry_date(
        self,
        cloud: TestClient,
        admin_headers: dict[str, str],
        register_site: Register,
        clock: FakeClock,
        run_job: Callable[[str], Any],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        soon = register_site(name="Soon", days=5)
        later = register_site(name="Later", days=10)
        register_site(name="Lapsed", days=-1)
        with caplog.at_level("INFO", logger="cloud_backend.sites.service"):
            assert run_job("expiry_reminders") == {"reminded": [soon.site_id]}
        assert any(soon.body["contact_email"] in r.getMessage() for r in caplog.records)
        clock.advance(hours=1)
        assert run_job("expiry_reminders") == {"reminded": []}
        clock.advance(days=3)  # Later now expires in under 7 days
        assert run_job("expiry_reminders") == {"reminded": [later.site_id]}
        # Renewed by one day: a new paid-through date still within the horizon is a new reminder.
        cloud.post(f"/api/sites/{soon.site_id}/extend", json={"days": 1}, headers=admin_headers)
        clock.advance(hours=1)
        assert run_job("expiry_reminders") == {"reminded": [soon.site_id]}
        alerts = cloud.get("/api/alerts/", params={"site_id": soon.site_id}, headers=admin_headers).json()
        assert [a["kind"] for a in alerts] == ["license_expiring", "license_expiring"]
        assert alerts[0]["data"]["contact_email"] == soon.body["contact_email"]


class TestPruning:
    def test_old_heartbeats_beyond_the_newest_per_site_and_old_failures_are_pruned(
        self, cloud_db: str, tmp_path: Path, clock: FakeClock
    ) -> None:
        settings = make_settings(cloud_db, tmp_path, heartbeat_keep_per_site=5, heartbeat_keep_days=30)
        app = create_app(settings, clock=clock)
        with TestClient(app):
            database: Database = app.state.database
            with database.write_session() as db:
                for name in ("a", "b"):
                    db.add(
                        Site(
                            site_id=f"site_{name}",
                            name=name,
                            owner_name=name,
                            contact_email=f"{name}@x.gr",
                            key_hash="0" * 64,
                            license_expires_at=START + timedelta(days=9),
                            grace_hours=24,
                        )
                    )
                db.flush()
                for n in range(12):
                    db.add(
                        Heartbeat(
                            site_id="site_a", at=START - timedelta(hours=n), ip=None, version="1", uptime_seconds=n
                        )
                    )
                for n in range(3):
                    db.add(
                        Heartbeat(
                            site_id="site_b", at=START - timedelta(days=40 + n), ip=None, version="1", uptime_seconds=n
                        )
                    )
                db.add(LoginFailure(username="x", ip=None, at=START - timedelta(days=2)))
                db.add(LoginFailure(username="y", ip=None, at=START - timedelta(minutes=2)))
            prune = next(j for j in build_jobs(settings) if j.name == "prune")
            result = run_once(database, prune, now=clock.now)
            assert result == {"heartbeats": 3 + 7, "login_failures": 1, "job_runs": 0}
            with database.write_session() as db:
                kept = db.scalars(select(Heartbeat.uptime_seconds).where(Heartbeat.site_id == "site_a")).all()
                assert sorted(kept) == [0, 1, 2, 3, 4]  # the newest five
                assert db.scalar(select(func.count()).select_from(Heartbeat).where(Heartbeat.site_id == "site_b")) == 0


class TestRunOnce:
    def test_a_slot_runs_once_and_a_failed_run_leaves_it_free(self, database: Database, clock: FakeClock) -> None:
        calls: list[int] = []

        def work(_db: Any, _now: Any) -> dict[str, Any]:
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("boom")
            return {"n": len(calls)}

        job = Job("test_job", 60, work)
        with pytest.raises(RuntimeError):
            run_once(database, job, now=clock.now)
        assert count(database, JobRun, JobRun.job == "test_job") == 0  # the claim rolled back with the work
        assert run_once(database, job, now=clock.now) == {"n": 2}
        assert run_once(database, job, now=clock.now + timedelta(seconds=30)) is None  # same slot
        assert run_once(database, job, now=clock.now + timedelta(seconds=60)) == {"n": 3}
        with database.write_session() as db:
            runs = db.scalars(select(JobRun).where(JobRun.job == "test_job").order_by(JobRun.slot)).all()
        assert [r.slot for r in runs] == [slot_of(job, clock.now), slot_of(job, clock.now) + 1]
        assert runs[0].result == {"n": 2}

    def test_the_scheduler_runs_the_jobs_in_the_app(self, cloud_db: str, tmp_path: Path) -> None:
        settings = make_settings(cloud_db, tmp_path, jobs_enabled=True, jobs_interval_seconds=0.3)
        app = create_app(settings)
        with TestClient(app):
            database: Database = app.state.database
            deadline = time.monotonic() + 10
            while count(database, JobRun, JobRun.job == "stale_sites") < 2:
                assert time.monotonic() < deadline, "the scheduler ran no job within 10 s"
                time.sleep(0.05)


JOB_LINE = re.compile(r"job (\w+) slot (\d+) ran on (\S+):")


class TestTwoReplicas:
    @pytest.mark.slow
    def test_two_cloud_processes_on_one_postgresql_run_each_slot_once(self, tmp_path: Path) -> None:
        with postgres_schema() as url:
            env = {
                "ADMIN_USERNAME": ADMIN[0],
                "ADMIN_PASSWORD": ADMIN[1],
                "PASSWORD_HASH_ROUNDS": "4",
                "JOBS_INTERVAL_SECONDS": "0.25",
                "PRUNE_INTERVAL_SECONDS": "0.25",
                "LOG_LEVEL": "INFO",
                "DB_POOL_SIZE": "2",
            }
            one = CloudProcess(url, tmp_path / "one.log", env=env)
            two = CloudProcess(url, tmp_path / "two.log", env=env)
            # Both start together on an empty schema: the migration lock lets one migrate while the other waits.
            one.start()
            two.start()
            try:
                one.wait_healthy()
                two.wait_healthy()
                headers = admin_login(one.base_url, *ADMIN)
                body = {
                    "name": "Quiet taverna",
                    "owner_name": "O",
                    "contact_email": "o@example.com",
                    "license_expires_at": "2099-01-01T00:00:00Z",
                }
                site = httpx.post(two.base_url + "/api/sites/", json=body, headers=headers, timeout=10).json()
                settings = make_settings(url, tmp_path)
                database = Database(settings)
                try:
                    with database.write_session() as db:
                        # Heartbeated two days ago: stale for every run from now on, alerted once.
                        db.execute(
                            update(Site)
                            .where(Site.site_id == site["site_id"])
                            .values(last_seen_at=func.now() - timedelta(days=2))
                        )
                    time.sleep(3)  # 12 slots of each job, contended by both processes
                finally:
                    database.dispose()
            finally:
                one.stop()
                two.stop()
            logs = {"one": one.log_path.read_text(), "two": two.log_path.read_text()}
            database = Database(make_settings(url, tmp_path))
            try:
                with database.write_session() as db:
                    runs = db.scalars(select(JobRun)).all()
                    stale_audits = db.scalar(
                        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "site.stale")
                    )
                    alerts = db.scalar(select(func.count()).select_from(Alert))
            finally:
                database.dispose()
        ran = [(m[1], int(m[2]), m[3], name) for name, text in logs.items() for m in JOB_LINE.finditer(text)]
        slots = Counter((job, slot) for job, slot, _, _ in ran)
        assert slots
        assert max(slots.values()) == 1, [k for k, v in slots.items() if v > 1]
        assert len(ran) == len(runs)
        per_job = Counter(job for job, _, _, _ in ran)
        assert set(per_job) == {"stale_sites", "expiry_reminders", "prune"}
        assert min(per_job.values()) >= 6, per_job
        assert {name for *_, name in ran} == {"one", "two"}, "one process ran every slot: no contention was tested"
        assert stale_audits == 1
        assert alerts == 1
        assert "Traceback" not in logs["one"] + logs["two"]
