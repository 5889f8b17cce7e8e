"""Signing keys: one generated at first start, rotation through a *next* key that appliances learn from leases
they already trust, the `keys` CLI, and the JWKS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from cloud_backend.__main__ import main as cli
from cloud_backend.db import Database
from cloud_backend.keys import service as keys
from cloud_backend.keys.models import SigningKeyRecord
from shared.lease import Lease, LeaseInvalid, SigningKey, keys_from_jwks, verify_lease
from tests.cloud_backend.conftest import START, Beat, RegisteredSite, new_nonce

Register = Callable[..., RegisteredSite]
REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def run_cli(cloud_settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run `python -m cloud_backend ...` in this process against the test database: (exit code, stdout, stderr)."""
    monkeypatch.setenv("DATABASE_URL", cloud_settings.database_url)
    monkeypatch.setenv("SECRET_KEY", cloud_settings.secret_key.get_secret_value())
    monkeypatch.setenv("PASSWORD_HASH_ROUNDS", "4")

    def _run(*args: str) -> tuple[int, str, str]:
        code = cli(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


def lease_from(cloud: TestClient, beat: Beat, site: RegisteredSite, trusted: dict[str, Any]) -> tuple[str, Lease]:
    nonce = new_nonce()
    resp = beat(site, nonce=nonce)
    assert resp.status_code == 200, resp.text
    return resp.json()["lease"], verify_lease(resp.json()["lease"], trusted, site_id=site.site_id, nonce=nonce)


class TestFirstKey:
    def test_the_first_start_generates_one_current_key(self, database: Database, cloud: TestClient) -> None:
        with database.write_session() as db:
            [record] = db.scalars(select(SigningKeyRecord)).all()
        assert record.state == "current"
        assert record.activated_at == START
        assert SigningKey(record.private_pem).kid == record.kid
        assert [k["kid"] for k in cloud.get("/.well-known/jwks.json").json()["keys"]] == [record.kid]
        assert keys.ensure_current(database, now=START) == record.kid  # a second start keeps it

    def test_the_database_refuses_a_second_current_or_next_key(self, database: Database) -> None:
        def row(key: SigningKey, state: str) -> SigningKeyRecord:
            return SigningKeyRecord(kid=key.kid, private_pem=key.private_pem, public_jwk=key.public, state=state)

        with database.write_session() as db:
            db.add(row(SigningKey.generate(), "next"))
        for state in ("current", "next"):  # the startup key is current, and there is a next one now
            with pytest.raises(IntegrityError), database.write_session() as db:
                db.add(row(SigningKey.generate(), state))


class TestRotation:
    def test_an_appliance_learns_the_next_key_from_a_trusted_lease_and_accepts_leases_it_signs(
        self,
        cloud: TestClient,
        cloud_app: FastAPI,
        admin_headers: dict[str, str],
        register_site: Register,
        beat: Beat,
        run_cli,
    ) -> None:
        site = register_site()
        # What an appliance starts from: the JWKS it was configured with (only the first key).
        trusted = keys_from_jwks(cloud.get("/.well-known/jwks.json").json())
        [first_kid] = trusted
        code, out, _ = run_cli("keys", "rotate")
        assert code == 0
        next_kid = out.split()[3]
        assert next_kid != first_kid
        cloud_app.state.keyring.refresh()  # replicas pick it up within KEY_CACHE_SECONDS on their own
        jwks_now = cloud.get("/.well-known/jwks.json").json()
        assert [k["kid"] for k in jwks_now["keys"]] == [first_kid, next_kid]
        # Still signed by the first key; its keys claim announces the next one, and the appliance pins it.
        _, lease = lease_from(cloud, beat, site, trusted)
        assert lease.kid == first_kid
        assert [k["kid"] for k in lease.keys] == [first_kid, next_kid]
        learned = {**trusted, **keys_from_jwks(list(lease.keys))}

        code, out, _ = run_cli("keys", "activate", next_kid)
        assert code == 0, out
        cloud_app.state.keyring.refresh()
        token, lease = lease_from(cloud, beat, site, learned)
        assert lease.kid == next_kid
        assert [k["kid"] for k in lease.keys] == [next_kid]
        with pytest.raises(LeaseInvalid, match="does not trust"):
            verify_lease(token, trusted, site_id=site.site_id)  # only the first key: refused
        assert [k["kid"] for k in cloud.get("/.well-known/jwks.json").json()["keys"]] == [next_kid]

        code, out, _ = run_cli("keys", "list")
        states = {line.split()[0]: line.split()[1] for line in out.splitlines()[1:]}
        assert states == {first_kid: "retired", next_kid: "current"}
        events = cloud.get("/api/audit/", headers=admin_headers).json()
        key_events = [(e["action"], e["data"]["kid"]) for e in events if e["action"].startswith("keys.")]
        assert key_events == [("keys.activate", next_kid), ("keys.rotate", next_kid), ("keys.generate", first_kid)]
        assert events[0]["actor_name"].startswith("cli:")

    def test_a_second_rotation_before_activation_and_bad_activations_are_refused(self, run_cli) -> None:
        code, out, _ = run_cli("keys", "rotate")
        assert code == 0
        next_kid = out.split()[3]
        code, _, err = run_cli("keys", "rotate")
        assert code == 1
        assert f"{next_kid} is already next" in err
        code, _, err = run_cli("keys", "activate", "no-such-kid")
        assert code == 1
        assert "No signing key" in err
        # One thumbprint in 64 starts with "-": it must reach the command, not be parsed as an option.
        code, _, err = run_cli("keys", "activate", "-no-such-kid")
        assert code == 1
        assert "No signing key -no-such-kid" in err
        code, out, _ = run_cli("keys", "list")
        current = next(line.split()[0] for line in out.splitlines() if " current " in line)
        code, _, err = run_cli("keys", "activate", current)
        assert code == 1
        assert "only the next key" in err

    def test_export_jwks_writes_what_the_endpoint_publishes(
        self, cloud: TestClient, cloud_app: FastAPI, run_cli, tmp_path: Path
    ) -> None:
        run_cli("keys", "rotate")
        cloud_app.state.keyring.refresh()
        target = tmp_path / "jwks.json"
        assert run_cli("keys", "export-jwks", "-o", str(target))[0] == 0
        assert json.loads(target.read_text()) == cloud.get("/.well-known/jwks.json").json()
        _code, out, _ = run_cli("keys", "export-jwks")
        assert json.loads(out) == cloud.get("/.well-known/jwks.json").json()
        assert all("d" not in k for k in json.loads(out)["keys"])

    def test_a_key_ring_reloads_after_its_cache_time(self, database: Database) -> None:
        ring = keys.KeyRing(database, ttl=0)
        before = ring.signer().key.kid
        with database.write_session() as db:
            record = keys.rotate(db, now=START, actor="test")
        with database.write_session() as db:
            keys.activate(db, kid=record.kid, now=START, actor="test")
        assert ring.signer().key.kid == record.kid != before


class TestCommandLine:
    def test_python_m_cloud_backend_keys_list_works_as_a_process(self, cloud_settings, cloud: TestClient) -> None:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "PYTHONPATH": str(REPO),
            "DATABASE_URL": cloud_settings.database_url,
        }
        done = subprocess.run(
            [sys.executable, "-m", "cloud_backend", "keys", "list"],
            env=env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[0].split() == ["kid", "state", "created", "activated", "retired"]
        assert " current " in done.stdout
