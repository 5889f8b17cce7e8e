"""The example env files are what an installer copies: each must load as it stands (empty values mean unset)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloud_backend.config import Settings as CloudSettings
from local_backend.config import Settings as ApplianceSettings
from tests.support.appliance import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"


def _clean_env(monkeypatch: pytest.MonkeyPatch, example: Path) -> None:
    """The test runner's own environment must not fill in what the file leaves out."""
    for line in example.read_text().splitlines():
        name = line.lstrip("# ").split("=", 1)[0].strip()
        if name.isupper():
            monkeypatch.delenv(name, raising=False)


def test_the_cloud_example_loads_and_leaves_the_secrets_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    example = DEPLOY / "cloud" / "cloud.env.example"
    _clean_env(monkeypatch, example)
    settings = CloudSettings(_env_file=example)
    assert settings.database_url.startswith("postgresql+psycopg://")
    # Nothing secret has a usable value in an example: the installer must set them.
    assert settings.secret_key is None
    assert settings.admin_password is None
    assert settings.razorpay_key_secret is None
    assert settings.renewal_price_per_month is None
    assert settings.workers == 2


def test_the_appliance_example_loads_and_runs_its_trial_until_activated(monkeypatch: pytest.MonkeyPatch) -> None:
    example = DEPLOY / "local" / "appliance.env.example"
    _clean_env(monkeypatch, example)
    settings = ApplianceSettings(_env_file=example)
    assert settings.database_url == "sqlite:////var/lib/tavolo/pos.db"
    assert settings.timezone == "Europe/Athens"
    assert (settings.site_id, settings.site_key) == (None, None)
    assert settings.cloud_url == "https://license.example.com"
