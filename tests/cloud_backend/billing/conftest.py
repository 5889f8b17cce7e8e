"""Billing fixtures: a cloud configured for Razorpay, Razorpay's HTTP API faked (fake_razorpay.py), renewals."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import responses
from fastapi.testclient import TestClient

from cloud_backend.config import Settings
from tests.cloud_backend.billing.fake_razorpay import FakeRazorpay, billing_settings
from tests.cloud_backend.conftest import RegisteredSite


@pytest.fixture
def cloud_settings(cloud_db: str, tmp_path: Path) -> Settings:
    return billing_settings(cloud_db, tmp_path)


@pytest.fixture
def razorpay() -> Iterator[FakeRazorpay]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeRazorpay(mock).install()


@pytest.fixture
def renew(cloud: TestClient, admin_headers: dict[str, str]) -> Callable[..., Any]:
    """POST /api/sites/{id}/renewals: `renew(site, months=12, key=None)` → the response."""

    def _renew(site: RegisteredSite, months: int = 12, key: str | None = None) -> Any:
        headers = dict(admin_headers)
        if key is not None:
            headers["Idempotency-Key"] = key
        return cloud.post(f"/api/sites/{site.site_id}/renewals", json={"months": months}, headers=headers)

    return _renew
