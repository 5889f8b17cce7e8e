"""Fixtures for the cash shift tests: a waiter and a till ringing up real sales."""

from __future__ import annotations

import pytest

from tests.local_backend.shifts.helpers import Till


@pytest.fixture
def maria(waiter_headers):
    return waiter_headers("maria")


@pytest.fixture
def till(client, make_table, make_product):
    return Till(client, make_table, make_product)
