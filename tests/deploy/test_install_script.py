"""deploy/local/install.sh, run for real: `--dry-run` prints the plan and touches nothing, and `--prefix DIR` stages
every file it installs under DIR (skipping apt, the user, the venv and systemctl, which change the machine), so the
files a Pi would get are checked here: the settings file it generates loads, and a second run keeps it."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from local_backend.config import Settings as ApplianceSettings
from tests.support.appliance import REPO_ROOT

pytestmark = pytest.mark.timeout(60)

INSTALL_SH = REPO_ROOT / "deploy" / "local" / "install.sh"
CLI = REPO_ROOT / "deploy" / "local" / "tavolo-cli"


def _install(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(INSTALL_SH), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def _staged(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = _install("--prefix", root, "--no-web", *args)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _env_lines(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            values[name] = value
    return values


class TestScriptSyntax:
    @pytest.mark.parametrize("script", [INSTALL_SH, CLI], ids=["install.sh", "tavolo-cli"])
    def test_it_parses_and_passes_shellcheck_where_installed(self, script: Path) -> None:
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, timeout=10, check=False)
        assert result.returncode == 0, result.stderr
        if shutil.which("shellcheck"):
            lint = subprocess.run(["shellcheck", str(script)], capture_output=True, text=True, timeout=30, check=False)
            assert lint.returncode == 0, lint.stdout

    def test_it_is_executable(self) -> None:
        assert os.stat(INSTALL_SH).st_mode & stat.S_IXUSR
        assert os.stat(CLI).st_mode & stat.S_IXUSR

    def test_an_unknown_option_is_refused_with_the_usage(self) -> None:
        result = _install("--frobnicate")
        assert result.returncode == 2
        assert "Usage: install.sh" in result.stderr

    def test_a_relative_backup_dir_is_refused(self) -> None:
        result = _install("--dry-run", "--backup-dir", "backups")
        assert result.returncode == 2
        assert "absolute path" in result.stderr


class TestDryRun:
    def test_it_prints_every_step_and_changes_nothing(self, tmp_path: Path) -> None:
        root = tmp_path / "root"
        result = _install("--dry-run", "--prefix", root)
        assert result.returncode == 0, result.stderr
        plan = result.stdout
        assert not root.exists()
        assert "useradd --system --user-group --home-dir /var/lib/tavolo" in plan or "user tavolo exists" in plan
        for step in (
            f"install -d -m 0750 {root}/var/lib/tavolo",
            f"tar -C {REPO_ROOT} ... | tar -C {root}/opt/tavolo -x",
            "uv sync --frozen --no-dev --python /usr/bin/python3 --project /opt/tavolo",
            "write /etc/tavolo/appliance.env (0600)",
            f"install -m 0644 {REPO_ROOT}/deploy/local/tavolo.service {root}/etc/systemd/system/tavolo.service",
            f"{root}/etc/systemd/journald.conf.d/tavolo.conf",
            "systemctl enable tavolo",
            "systemctl restart tavolo",
        ):
            assert step in plan, step
        # Under --prefix the steps that change the machine are listed as skipped.
        assert "skip (--prefix): systemctl enable tavolo" in plan

    def test_the_steps_come_in_an_order_that_works(self, tmp_path: Path) -> None:
        plan = _install("--dry-run", "--prefix", tmp_path / "root").stdout
        order = ["==> user tavolo", "| tar -C", "uv sync", "appliance.env", "tavolo.service", "systemctl enable tavolo"]
        positions = [plan.index(step) for step in order]
        assert positions == sorted(positions)


class TestStagedInstall:
    def test_it_installs_the_code_the_unit_runs(self, tmp_path: Path) -> None:
        _staged(tmp_path)
        app = tmp_path / "opt" / "tavolo"
        for path in ("local_backend/__main__.py", "shared/__init__.py", "pyproject.toml", "uv.lock", "healthcheck.py"):
            assert (app / path).is_file(), path
        assert not list(app.rglob("__pycache__")), "bytecode is compiled on the target, not copied"
        unit = (tmp_path / "etc/systemd/system/tavolo.service").read_text()
        assert unit == (REPO_ROOT / "deploy/local/tavolo.service").read_text()
        assert re.search(r"^ExecStart=/opt/tavolo/\.venv/bin/python -m local_backend$", unit, re.MULTILINE)

    def test_the_settings_file_is_private_has_fresh_secrets_and_loads(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        result = _staged(tmp_path)
        env_file = tmp_path / "etc" / "tavolo" / "appliance.env"
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600
        values = _env_lines(env_file)
        assert re.fullmatch(r"[A-Za-z0-9_-]{60,}", values["SECRET_KEY"])
        assert re.fullmatch(r"\d{6}", values["MANAGER_PIN"])
        assert f"PIN {values['MANAGER_PIN']}" in result.stdout, "the technician is told the first PIN once"
        for name in values:
            monkeypatch.delenv(name, raising=False)
        settings = ApplianceSettings(_env_file=env_file)
        assert settings.database_url == "sqlite:////var/lib/tavolo/pos.db"
        assert settings.secret_key is not None
        assert settings.secret_key.get_secret_value() == values["SECRET_KEY"]
        assert settings.manager_username == "manager"

    def test_two_installs_get_different_secrets(self, tmp_path: Path) -> None:
        _staged(tmp_path / "a")
        _staged(tmp_path / "b")
        first = _env_lines(tmp_path / "a/etc/tavolo/appliance.env")
        second = _env_lines(tmp_path / "b/etc/tavolo/appliance.env")
        assert first["SECRET_KEY"] != second["SECRET_KEY"]

    def test_it_installs_the_journal_limits_and_the_cli(self, tmp_path: Path) -> None:
        _staged(tmp_path)
        journald = tmp_path / "etc/systemd/journald.conf.d/tavolo.conf"
        assert journald.read_text() == (REPO_ROOT / "deploy/local/journald-tavolo.conf").read_text()
        cli = tmp_path / "usr/local/bin/tavolo"
        assert cli.stat().st_mode & stat.S_IXOTH
        assert "EnvironmentFile=/etc/tavolo/appliance.env" in cli.read_text()


class TestRunningAgain:
    def test_the_settings_are_kept_and_the_code_replaced(self, tmp_path: Path) -> None:
        _staged(tmp_path)
        env_file = tmp_path / "etc/tavolo/appliance.env"
        env_file.write_text(env_file.read_text() + "RESTAURANT_NAME=Kept By The Technician\n")
        before = env_file.read_text()
        stale = tmp_path / "opt/tavolo/local_backend/removed_in_this_version.py"
        stale.write_text("")
        result = _staged(tmp_path)
        assert env_file.read_text() == before
        assert "keeping the existing /etc/tavolo/appliance.env" in result.stdout
        assert "PIN " not in result.stdout
        assert not stale.exists()


class TestBackupDirectory:
    def test_a_usb_directory_is_configured_and_opened_to_the_service_but_not_created(self, tmp_path: Path) -> None:
        result = _staged(tmp_path, "--backup-dir", "/media/usb/tavolo-backups")
        assert _env_lines(tmp_path / "etc/tavolo/appliance.env")["BACKUP_DIR"] == "/media/usb/tavolo-backups"
        dropin = tmp_path / "etc/systemd/system/tavolo.service.d/backup-dir.conf"
        assert "ReadWritePaths=-/media/usb/tavolo-backups" in dropin.read_text()
        # Created on an unmounted stick's mount point it would fill the SD card instead.
        assert not (tmp_path / "media").exists()
        assert "/media/usb/tavolo-backups does not exist yet" in result.stderr

    def test_a_later_run_keeps_it_and_an_explicit_one_changes_it(self, tmp_path: Path) -> None:
        _staged(tmp_path, "--backup-dir", "/media/usb/tavolo-backups")
        _staged(tmp_path)
        env_file = tmp_path / "etc/tavolo/appliance.env"
        dropin = tmp_path / "etc/systemd/system/tavolo.service.d/backup-dir.conf"
        assert _env_lines(env_file)["BACKUP_DIR"] == "/media/usb/tavolo-backups"
        assert dropin.is_file()
        _staged(tmp_path, "--backup-dir", "/var/lib/tavolo/backups")
        assert _env_lines(env_file)["BACKUP_DIR"] == "/var/lib/tavolo/backups"
        assert not dropin.exists()
        assert (tmp_path / "var/lib/tavolo/backups").is_dir()

    def test_by_default_backups_stay_beside_the_database(self, tmp_path: Path) -> None:
        _staged(tmp_path)
        assert "BACKUP_DIR" not in _env_lines(tmp_path / "etc/tavolo/appliance.env")
        assert (tmp_path / "var/lib/tavolo/backups").is_dir()
        assert not (tmp_path / "etc/systemd/system/tavolo.service.d").exists()
