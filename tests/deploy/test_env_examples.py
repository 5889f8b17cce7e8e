"""The example env files are what an installer copies: each must load as it stands (empty values mean unset)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

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


def _documented(example: Path) -> set[str]:
    """Every NAME= in the file, set or commented out with its default."""
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example.read_text(), re.MULTILINE))


@pytest.mark.parametrize(
    ("example", "settings"),
    [
        (DEPLOY / "local" / "appliance.env.example", ApplianceSettings),
        (DEPLOY / "cloud" / "cloud.env.example", CloudSettings),
    ],
    ids=["appliance", "cloud"],
)
def test_every_setting_is_documented_in_its_example(example: Path, settings: type[BaseSettings]) -> None:
    # The example is the installer's template and the technician's reference: a new setting belongs in it.
    names = {name.upper() for name in settings.model_fields}
    assert names - _documented(example) == set()


def test_the_examples_name_no_setting_that_does_not_exist() -> None:
    # uvicorn reads FORWARDED_ALLOW_IPS itself, behind nginx.
    extra = {"appliance": set(), "cloud": {"FORWARDED_ALLOW_IPS"}}
    for key, example, settings in (
        ("appliance", DEPLOY / "local" / "appliance.env.example", ApplianceSettings),
        ("cloud", DEPLOY / "cloud" / "cloud.env.example", CloudSettings),
    ):
        names = {name.upper() for name in settings.model_fields}
        assert _documented(example) - names == extra[key], key


def test_the_appliance_example_creates_no_manager_with_a_known_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    # A PIN in the example would be every fresh install's manager PIN; install.sh generates one instead.
    example = DEPLOY / "local" / "appliance.env.example"
    _clean_env(monkeypatch, example)
    settings = ApplianceSettings(_env_file=example)
    assert settings.manager_username == "manager"
    assert settings.manager_pin is None
    assert settings.secret_key is None
