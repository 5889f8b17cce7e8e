"""Fixtures for the X/Z report tests: two waiters and a till ringing up real sales."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.local_backend.shifts.helpers import Till


@pytest.fixture
def staff(client, make_user):
    make_user("maria", display_name="Maria")
    make_user("nikos", display_name="Nikos")
    return login(client, "maria", "1234"), login(client, "nikos", "1234")


@pytest.fixture
def till(client, make_table, make_product):
    return Till(client, make_table, make_product)
